"""Connection URLs: every form a backend documents reaches its storage; what is not its URL
is refused.

The target says which URLs reach a storage its factory made (``Target.urls``, else
``Target.connect_args``) and which URLs of its own scheme its backend refuses
(``Target.bad_urls``).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ..._connect import connect
from ..._hookspecs import Target
from ..._storage import StorageAdapter
from ...errors import ConfigurationError, InvalidURLError
from .._fixtures import StorageFixtures

__all__ = ["URLContract"]

#: storages the reach test makes besides its own: a factory may make them in several ways, in
#: turn (memory's makes four)
_MORE_STORAGES = 3


def _urls(target: Target, storage: StorageAdapter) -> Sequence[tuple[str, dict[str, str]]]:
    if target.urls is not None:
        return target.urls(storage)
    return [] if target.connect_args is None else [target.connect_args(storage)]


class URLContract(StorageFixtures):
    """``doqu.connect()`` with the backend's URLs, and ``from_url`` refusing others."""

    def test_from_url_refuses_another_scheme_and_the_urls_the_target_names_bad(
        self, storage: StorageAdapter, contract_target: Target
    ) -> None:
        with pytest.raises(InvalidURLError, match="nosuch"):
            type(storage).from_url("nosuch://localhost")
        for url in contract_target.bad_urls:
            with pytest.raises(ConfigurationError):
                type(storage).from_url(url)

    def test_each_url_of_a_storage_reaches_its_records(
        self, storage: StorageAdapter, contract_target: Target
    ) -> None:
        others = [contract_target.factory() for _ in range(_MORE_STORAGES)]
        reached = 0
        try:
            for made in (storage, *others):
                made.save({"n": 1}, "a")
                for url, options in _urls(contract_target, made):
                    with connect(url, **options) as other:
                        assert type(other) is type(made)
                        assert other.get(dict, "a") == {"n": 1}
                        other.save({"n": 2}, "b")
                    assert made.get(dict, "b") == {"n": 2}
                    made.delete("b")
                    reached += 1
        finally:
            for made in others:
                made.close()
        if not reached:
            pytest.skip(f"target {contract_target.name!r} gives no URL (urls or connect_args)")
