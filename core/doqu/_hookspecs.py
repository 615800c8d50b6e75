"""The hooks a backend plugin implements, and what they return.

A plugin is a module (or object) registered under the ``doqu`` entry point group whose
functions are marked with :data:`hookimpl`::

    # pyproject.toml
    [project.entry-points.doqu]
    shelve = "doqu_shelve._plugin"

    # doqu_shelve/_plugin.py
    import doqu

    @doqu.hookimpl
    def doqu_backends() -> list[doqu.BackendSpec]:
        return [
            doqu.BackendSpec("shelve", schemes=("shelve",), adapter="doqu_shelve:ShelveStorage")
        ]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from ._storage import StorageAdapter

__all__ = ["PROJECT", "BackendSpec", "Target", "hookimpl", "hookspec"]

#: the pluggy project name and the entry point group plugins register under.
PROJECT = "doqu"

hookspec = pluggy.HookspecMarker(PROJECT)
#: marks a plugin's hook implementations.
hookimpl = pluggy.HookimplMarker(PROJECT)


@dataclass(frozen=True, slots=True)
class BackendSpec:
    """A backend a plugin offers.

    ``adapter`` is the :class:`~doqu.StorageAdapter` subclass, or its ``"module:Class"`` path so
    that importing the plugin stays cheap; it is imported on first use. The class builds
    storages with ``from_url(url, **options)``.
    """

    name: str
    schemes: tuple[str, ...]
    adapter: str | type[StorageAdapter]
    description: str = ""


@dataclass(frozen=True, slots=True)
class Target:
    """A storage the contract suite can run against, offered by a plugin for its own backend.

    ``factory`` returns a fresh, empty, isolated storage each call; ``oracle``, if given, turns
    such a storage into raw access that bypasses the adapter (see ``doqu.contract``).
    ``cleanup`` runs once when the test session ends. ``unavailable`` explains why the target
    cannot run here (e.g. no server); the suite reports it as skipped, or as a failure when the
    target is required. ``connect_args``, if given, says how another process reaches a storage
    the factory made: ``doqu.connect(url, **options)`` with the ``(url, options)`` it returns
    (the durability contract runs its writer in a child process through it). ``urls``, if
    given, lists every ``(url, options)`` form the backend documents that reaches a storage the
    factory made (none for a storage no URL names); the URL contract connects through each, or
    through ``connect_args`` without it. ``bad_urls`` are URLs of the backend's own scheme that
    ``from_url`` must refuse with a ``ConfigurationError`` (e.g. a part the backend does not
    take).
    """

    name: str
    factory: Callable[[], StorageAdapter]
    oracle: Callable[[StorageAdapter], Any] | None = None
    cleanup: Callable[[], None] | None = None
    unavailable: str | None = None
    required: bool = False
    tags: Sequence[str] = field(default=())
    connect_args: Callable[[StorageAdapter], tuple[str, dict[str, str]]] | None = None
    urls: Callable[[StorageAdapter], Sequence[tuple[str, dict[str, str]]]] | None = None
    bad_urls: Sequence[str] = field(default=())


class DoquHookSpecs:
    """Hook specifications (pluggy); plugins implement any of them."""

    @hookspec
    def doqu_backends(self) -> list[BackendSpec]:  # type: ignore[empty-body]
        """The backends this plugin provides."""

    @hookspec
    def doqu_test_targets(self) -> list[Target]:  # type: ignore[empty-body]
        """Storages the contract suite should run against for this plugin's backends.

        The name predates :class:`Target` (once ``TestTarget``); it stays, so that installed
        plugins keep working.
        """
