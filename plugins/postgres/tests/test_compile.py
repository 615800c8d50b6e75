"""Which conditions SQL decides exactly, and which rows it leaves to the client."""

from __future__ import annotations

import datetime

import pytest

from doqu import Q
from doqu.backend import Condition
from doqu_postgres._compile import compile_condition

EXACT = [
    Q(a=1),
    Q(a=None),
    Q(a=[1, 2]),
    Q(a={"x": 1}),
    Q(a__ne=1),
    Q(a__in=[1, "x", None]),
    Q(a__nin=[]),
    Q(a__gt=1.5),
    Q(a__lte="b"),
    Q(a__between=(datetime.datetime(2020, 1, 1), datetime.datetime(2021, 1, 1))),
    Q(a__exists=False),
    Q(a__startswith="x"),
    Q(a__endswith="x"),
    Q(a__contains="x"),
    Q(a__contains_all=[1, 2]),
    Q(a__contains_any=[1, 2]),
    Q(a__year=2024),
    Q(a__month=2),
    Q(a=1) | ~Q(b__gt=2),
]

ON_THE_CLIENT = [
    Q(a__matches="x"),
    Q(a__matches_caseless="x"),
    Q(a__gt="\x00"),
    Q(a=1) | Q(b__matches="y"),
]


@pytest.mark.parametrize("condition", EXACT, ids=repr)
def test_sql_decides_every_row_but_the_codecs_inexact_ones(condition: Condition) -> None:
    compiled = compile_condition(condition)
    assert compiled.exact
    assert compiled.recheck == "NOT exact"


@pytest.mark.parametrize("condition", ON_THE_CLIENT, ids=repr)
def test_these_are_decided_on_the_client(condition: Condition) -> None:
    assert compile_condition(condition).recheck == "TRUE"


def test_a_path_through_a_list_rechecks_only_rows_where_it_steps_through_one() -> None:
    compiled = compile_condition(Q(**{"p.x": 1}))
    assert not compiled.exact
    assert compiled.recheck == "NOT exact OR COALESCE(jsonb_typeof(doc->'p') = 'array', FALSE)"


def test_recheck_is_never_null_so_its_negation_decides_rows() -> None:
    # a missing 'd' makes jsonb_typeof NULL; NOT (NULL) would drop the row from both sides
    compiled = compile_condition(~Q(**{"d.y": 1}))
    assert "COALESCE(jsonb_typeof(doc->'d') = 'array', FALSE)" in compiled.recheck


def test_field_names_are_quoted_literals_and_values_parameters() -> None:
    compiled = compile_condition(Q(**{"it's%": "'; DROP TABLE x; --"}))
    assert "doc->'it''s%%'" in compiled.match
    assert "DROP" not in compiled.match
    assert list(compiled.params.values()) == ['"\'; DROP TABLE x; --"', '["\'; DROP TABLE x; --"]']
