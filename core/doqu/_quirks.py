"""Named differences from the reference semantics that a backend declares, each with its rule.

A quirk is a known, permanent difference of a backend (usually of the server it talks to) from
what ``doqu._evaluate`` does. Declaring one is a promise: the backend behaves exactly as the
rule says, the contract tests check that rule on the backends that declare the quirk (and the
reference rule on every other), and the differential test draws no input whose answer the
quirk changes. An undeclared difference still fails the differential test.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Quirk"]


class Quirk(StrEnum):
    """The quirks a backend may declare in ``Capabilities.quirks``; each value's rule is below."""

    #: ``True`` equals ``1`` and ``False`` equals ``0`` wherever values are compared for
    #: equality (``equals``, ``ne``, ``in``, ``nin``, ``get_or_create``, distinct values).
    BOOL_EQUALS_NUMBER = "bool_equals_number"
    #: a list given to ``equals`` matches only a stored list equal to it (not one holding it
    #: as an element); a list among ``in``'s values matches only a stored list holding it as
    #: an element (not one equal to it).
    LIST_EQUALITY_SPLIT_BY_LOOKUP = "list_equality_split_by_lookup"
    #: a dotted path whose prefix is a scalar is not missing: ``equals=None`` and
    #: ``exists=False`` do not match ``{"a": 1}`` on ``"a.x"``.
    PATH_THROUGH_A_SCALAR_IS_NOT_MISSING = "path_through_a_scalar_is_not_missing"
    #: ordering by a field holding a list (or a path reaching several values through a list)
    #: compares the lists as whole values, not by their smallest (largest, descending)
    #: element: a list sorts after every number, and lists among themselves element by
    #: element (``[2]`` before ``[3, 1]``).
    ORDER_BY_A_LIST_COMPARES_WHOLE_LISTS = "order_by_a_list_compares_whole_lists"
    #: ordering by a path that steps through a list of records by name (``"p.x"``) sorts the
    #: record as if the field were missing (with ``None``, ties broken by key), not by the
    #: smallest (largest, descending) value reached; by number (``"p.0.x"``), by that
    #: element's field alone; records where the path reaches no list sort by the reference
    #: order.
    ORDER_THROUGH_A_LIST_IS_THE_SERVERS = "order_through_a_list_is_the_servers"
    #: NaN equals nothing, not even NaN (comparisons and ordering are the reference's).
    NAN_IS_A_PYTHON_FLOAT = "nan_is_a_python_float"
    #: sub-document equality ignores key order (``{"x": 1, "y": 2}`` equals ``{"y": 2, "x": 1}``).
    SUBDOCUMENT_EQUALITY_IGNORES_KEY_ORDER = "subdocument_equality_ignores_key_order"
    #: ``contains_all=[None]`` matches nothing on a missing field.
    CONTAINS_ALL_NONE_MISSES_A_MISSING_FIELD = "contains_all_none_misses_a_missing_field"
    #: ``matches``/``matches_caseless`` on a numbered path ending on a list inside a list
    #: (``"a.0"`` on ``[["xy"]]``) test that inner list's strings (the reference tests none).
    NUMBERED_PATH_REGEX_ENTERS_A_NESTED_LIST = "numbered_path_regex_enters_a_nested_list"
    #: through a list of records (by name, ``"p.x"``, or by number, ``"p.0.x"``), ``None``
    #: given to ``equals``, ``ne``, ``in``, ``nin`` or ``contains_all`` matches when the list
    #: is empty or no element has the field with a non-null value, and not when some element
    #: has it (``{"p.x": None}`` matches ``p: []``, ``[1]`` and ``[None]``, not
    #: ``[{}, {"x": 2}]``).
    NULL_THROUGH_A_LIST_NEEDS_NO_NON_NULL = "null_through_a_list_needs_no_non_null"
    #: a numbered part of a path (``"p.0.x"``) reads only the list's element at that
    #: position, not also a field of that name in each record of the list as MongoDB does:
    #: ``{"p.0.x": 2}`` does not match ``{"p": [{"0": {"x": 2}}]}``, and ``{"p.0.x": None}``
    #: does not match ``{"p": [{"x": 2}]}`` (whose record has no field ``"0"``), so ``ne`` and
    #: ``nin`` with ``None`` do; under ``NULL_THROUGH_A_LIST_NEEDS_NO_NON_NULL`` that rule
    #: decides ``None``.
    NUMBERED_PATH_READS_ONLY_THAT_ELEMENT = "numbered_path_reads_only_that_element"
    #: through a list of records, ``contains_all`` needs every value in one element's field.
    CONTAINS_ALL_THROUGH_A_LIST_IN_ONE_ELEMENT = "contains_all_through_a_list_in_one_element"
    #: through a list of records, ``ne``/``nin`` match when any one element's field differs
    #: (``shape.color__ne="red"`` matches ``[{"color": "red"}, {"color": "yellow"}]``).
    NE_THROUGH_A_LIST_NEEDS_ONE_DIFFERENT_ELEMENT = "ne_through_a_list_needs_one_different_element"
    #: through a list, ``equals`` with a whole sub-document matches nothing
    #: (``{"a.b": {"c": 1}}`` does not match ``{"a": {"b": [{"c": 1}]}}``).
    SUBDOCUMENT_THROUGH_A_LIST_MATCHES_NOTHING = "subdocument_through_a_list_matches_nothing"
