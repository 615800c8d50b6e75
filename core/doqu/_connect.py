"""``doqu.connect()``: a storage from a URL, by way of the backend serving its scheme."""

from __future__ import annotations

from typing import Any

from ._discovery import backend_for_scheme
from ._storage import StorageAdapter
from ._url import check_options, parse_url

__all__ = ["connect"]


def connect(url: str, **options: Any) -> StorageAdapter:
    """A storage for ``url``, built by the backend that serves its scheme.

    The scheme picks the backend (case-insensitively): ``memory://``, ``mongodb://...``,
    ``mongodb+srv://...``, ``mongomock://...``; ``doqu backends`` lists those installed. The
    backend receives ``url`` exactly as given, and ``options``, through its adapter's
    ``from_url(url, **options)``.

    Raises ``InvalidURLError`` for a URL without a valid scheme or with text UTF-8 cannot
    encode (a lone surrogate), ``ConfigurationError`` for such an option, ``UnknownBackendError``
    (naming the installed schemes, the plugin to install, and the plugins that failed to
    load) when no backend serves the scheme, and a ``PluginError`` when the backend is broken
    or claimed by two plugins.
    """
    adapter = backend_for_scheme(parse_url(url).scheme)
    check_options(options)
    return adapter.from_url(url, **options)
