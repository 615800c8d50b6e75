"""Slicing and indexing queries: windows, their edges, and composition of slices."""

from __future__ import annotations

import pytest

from ..._query import Query
from ..._storage import StorageAdapter
from ...errors import QueryError
from .._fixtures import StorageFixtures
from ._support import keys, ordered, seed

__all__ = ["SlicingContract"]

TEN = {f"k{n}": {"n": n} for n in range(10)}


def by_n(storage: StorageAdapter) -> Query[dict[str, object]]:
    """The ten records ``k0``..``k9``, ordered by ``n``."""
    seed(storage, TEN)
    return storage.find().order_by("n")


class SlicingContract(StorageFixtures):
    """``q[start:stop]`` and ``q[index]``."""

    def test_slice_selects_a_window(self, storage: StorageAdapter) -> None:
        assert ordered(by_n(storage)[2:5]) == ["k2", "k3", "k4"]

    def test_slice_from_the_start(self, storage: StorageAdapter) -> None:
        assert ordered(by_n(storage)[:3]) == ["k0", "k1", "k2"]

    def test_slice_to_the_end(self, storage: StorageAdapter) -> None:
        assert ordered(by_n(storage)[7:]) == ["k7", "k8", "k9"]

    def test_slice_of_everything(self, storage: StorageAdapter) -> None:
        assert ordered(by_n(storage)[:]) == [f"k{n}" for n in range(10)]

    def test_slice_beyond_the_end_is_empty(self, storage: StorageAdapter) -> None:
        query = by_n(storage)[20:30]
        assert ordered(query) == []
        assert query.count() == 0
        assert query.exists() is False

    def test_slice_over_the_end_is_cut_short(self, storage: StorageAdapter) -> None:
        query = by_n(storage)[8:20]
        assert ordered(query) == ["k8", "k9"]
        assert query.count() == 2

    def test_empty_slices_select_nothing(self, storage: StorageAdapter) -> None:
        query = by_n(storage)
        assert ordered(query[0:0]) == []
        assert ordered(query[5:5]) == []
        assert ordered(query[5:2]) == []
        assert query[0:0].count() == 0
        assert query[0:0].first() is None

    def test_slice_of_a_slice_composes(self, storage: StorageAdapter) -> None:
        query = by_n(storage)
        assert ordered(query[2:8][1:3]) == ["k3", "k4"]
        assert ordered(query[2:8][4:]) == ["k6", "k7"]
        assert ordered(query[2:8][:10]) == ["k2", "k3", "k4", "k5", "k6", "k7"]
        assert ordered(query[2:8][10:]) == []
        assert ordered(query[2:][2:][2:]) == ["k6", "k7", "k8", "k9"]

    def test_slice_count_counts_the_window(self, storage: StorageAdapter) -> None:
        query = by_n(storage)
        assert query[2:5].count() == 3
        assert query[3:].count() == 7
        assert query[:4].count() == 4

    def test_slice_of_one_counts_one(self, storage: StorageAdapter) -> None:
        query = by_n(storage)
        assert query[:1].count() == 1
        assert query[5:6].count() == 1
        assert query[9:10].count() == 1

    def test_slice_exists_looks_inside_the_window(self, storage: StorageAdapter) -> None:
        query = by_n(storage)
        assert query[9:].exists() is True
        assert query[10:].exists() is False

    def test_slice_first_is_the_windows_first(self, storage: StorageAdapter) -> None:
        assert by_n(storage)[4:].first() == {"n": 4}

    def test_slice_after_a_condition(self, storage: StorageAdapter) -> None:
        seed(storage, TEN)
        assert ordered(storage.find(n__gte=5).order_by("-n")[1:3]) == ["k8", "k7"]

    def test_slice_of_an_unordered_query_selects_that_many(self, storage: StorageAdapter) -> None:
        seed(storage, TEN)
        window = storage.find()[2:5]
        assert window.count() == 3
        assert len(keys(window)) == 3
        assert keys(window) <= set(TEN)

    def test_index_reads_one_document(self, storage: StorageAdapter) -> None:
        query = by_n(storage)
        assert query[0] == {"n": 0}
        assert query[9] == {"n": 9}

    def test_index_into_a_slice(self, storage: StorageAdapter) -> None:
        assert by_n(storage)[3:][1] == {"n": 4}

    def test_index_past_the_end_raises_index_error(self, storage: StorageAdapter) -> None:
        query = by_n(storage)
        with pytest.raises(IndexError, match="10"):
            query[10]
        with pytest.raises(IndexError):
            query[2:4][2]

    def test_negative_indices_and_steps_are_refused(self, storage: StorageAdapter) -> None:
        query = by_n(storage)
        with pytest.raises(QueryError, match="-1"):
            query[-1]
        with pytest.raises(QueryError):
            query[-3:]
        with pytest.raises(QueryError):
            query[:-1]
        with pytest.raises(QueryError, match="step"):
            query[::2]

    def test_slice_bounds_must_be_ints(self, storage: StorageAdapter) -> None:
        query = by_n(storage)
        with pytest.raises(TypeError):
            query["a":]
        with pytest.raises(TypeError):
            query[1.5]  # type: ignore[call-overload]

    def test_sliced_queries_refuse_reordering(self, storage: StorageAdapter) -> None:
        window = by_n(storage)[1:3]
        with pytest.raises(QueryError, match="order_by"):
            window.order_by("-n")
        assert [r["n"] for r in window] == [1, 2]

    def test_sliced_queries_refuse_filtering_and_writes(self, storage: StorageAdapter) -> None:
        window = by_n(storage)[1:3]
        with pytest.raises(QueryError):
            window.where(n=1)
        with pytest.raises(QueryError):
            window.where_not(n=1)
        with pytest.raises(QueryError):
            window.values("n")
        with pytest.raises(QueryError):
            window.update(n=0)
        with pytest.raises(QueryError):
            window.delete()
        with pytest.raises(QueryError):
            window | storage.find()
        assert len(storage) == 10
        assert storage.find(n=0).count() == 1
