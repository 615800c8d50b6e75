"""doqu-postgres against raw psycopg on the same server: ``python -m bench.postgres`` with
``DOQU_POSTGRES_URL`` set (``./dev bench`` does not run it yet).

Each round runs every workload for both contenders, alternating which goes first; the table
shows the median client CPU time (``time.process_time``), the median wall time, and the ratios
doqu / psycopg. The medians are written to ``bench/results/postgres.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

import doqu
from doqu import Index
from doqu_postgres import PostgresStorage

N = 5000
ROUNDS = 5
RESULTS = Path(__file__).resolve().parent / "results" / "postgres.json"


def rows(n: int) -> list[dict[str, Any]]:
    start = datetime(2024, 1, 1)
    return [
        {
            "name": f"user {i}",
            "email": f"user{i}@example.com",
            "age": 18 + i % 60,
            "score": i / 7,
            "active": i % 2 == 0,
            "created": start + timedelta(minutes=i),
            "tags": [f"t{i % 5}", f"t{i % 3}"],
            "address": {"city": f"city {i % 50}", "zip": f"{i:05d}"},
        }
        for i in range(n)
    ]


def raw_doc(row: dict[str, Any]) -> str:
    # what a raw psycopg user writes: JSON with the datetime as text
    return json.dumps({**row, "created": row["created"].isoformat()})


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.postgres",
        description="doqu-postgres against raw psycopg on the server DOQU_POSTGRES_URL names",
    )
    parser.add_argument("--n", type=int, default=N, help=f"documents (default {N})")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"default {ROUNDS}")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where the medians go (JSON)")
    args = parser.parse_args(argv)
    url = os.environ.get("DOQU_POSTGRES_URL")
    if not url:
        parser.error(
            "DOQU_POSTGRES_URL is not set; run it under "
            "plugins/postgres/testserver/postgres.py run -- python -m bench.postgres"
        )
    data = rows(args.n)
    keys = [f"k{i}" for i in range(args.n)]
    conn = psycopg.connect(url, autocommit=True)
    table = f"bench_raw_{uuid.uuid4().hex[:8]}"
    conn.execute(f"CREATE TABLE {table} (key text PRIMARY KEY, doc jsonb NOT NULL)")
    conn.execute(f"CREATE INDEX ON {table} ((doc->'email'))")
    storage = doqu.connect(url, collection=f"bench_doqu_{uuid.uuid4().hex[:8]}")
    assert isinstance(storage, PostgresStorage)
    storage.ensure_index(Index("email"))
    some = keys[::10]

    def raw_insert() -> None:
        conn.execute(f"DELETE FROM {table}")
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {table} (key, doc) VALUES (%s, %s::jsonb)",
                [(k, raw_doc(r)) for k, r in zip(keys, data, strict=True)],
            )

    mine: list[Any] = []

    def doqu_insert() -> None:
        storage.clear()
        mine[:] = storage.save_many([dict(r) for r in data])[::10]

    work: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
        "bulk insert 5000": (raw_insert, doqu_insert),
        "get by key x500": (
            lambda: [
                conn.execute(f"SELECT doc FROM {table} WHERE key = %s", (k,)).fetchone()
                for k in some
            ],
            lambda: [storage.get(dict, k) for k in mine],
        ),
        "get_many 500": (
            lambda: conn.execute(
                f"SELECT key, doc FROM {table} WHERE key = ANY(%s)", (some,)
            ).fetchall(),
            lambda: storage.get_many(dict, mine),
        ),
        "indexed query x200": (
            lambda: [
                conn.execute(
                    f"SELECT doc FROM {table} WHERE doc->'email' = %s::jsonb",
                    (json.dumps(f"user{i}@example.com"),),
                ).fetchall()
                for i in range(200)
            ],
            lambda: [list(storage.find(email=f"user{i}@example.com")) for i in range(200)],
        ),
        "range+order+slice": (
            lambda: conn.execute(
                f"SELECT doc FROM {table} WHERE (doc->>'age')::int >= 30 "
                "ORDER BY (doc->>'age')::int, key LIMIT 50 OFFSET 100"
            ).fetchall(),
            lambda: list(storage.find(age__gte=30).order_by("age")[100:150]),
        ),
        "count": (
            lambda: conn.execute(
                f"SELECT count(*) FROM {table} WHERE doc->'active' = 'true'"
            ).fetchone(),
            lambda: storage.find(active=True).count(),
        ),
        "distinct": (
            lambda: conn.execute(
                f"SELECT DISTINCT doc->'address'->'city' FROM {table} WHERE doc->'active' = 'true'"
            ).fetchall(),
            lambda: storage.find(active=True).values("address.city"),
        ),
    }
    # per workload, per contender (0 psycopg, 1 doqu): CPU and wall seconds of each round
    cpu: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in work}
    wall: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in work}
    for round_ in range(args.rounds):
        for name, (raw, ours) in work.items():
            order = [(0, raw), (1, ours)] if round_ % 2 == 0 else [(1, ours), (0, raw)]
            for index, run in order:
                if name != "bulk insert 5000" and not mine:
                    doqu_insert()
                started, started_wall = time.process_time(), time.perf_counter()
                run()
                cpu[name][index].append(time.process_time() - started)
                wall[name][index].append(time.perf_counter() - started_wall)
    results: dict[str, dict[str, dict[str, float]]] = {}
    print(f"{'workload':<22} {'psycopg ms':>11} {'doqu ms':>9} {'cpu ratio':>9} {'wall ratio':>10}")
    for name in work:
        shown = {}
        for index, contender in enumerate(("psycopg", "doqu-postgres")):
            shown[contender] = {
                "cpu_median_s": statistics.median(cpu[name][index]),
                "wall_median_s": statistics.median(wall[name][index]),
            }
        results[name] = shown
        r, d = shown["psycopg"], shown["doqu-postgres"]
        print(
            f"{name:<22} {r['cpu_median_s'] * 1e3:>11.1f} {d['cpu_median_s'] * 1e3:>9.1f} "
            f"{d['cpu_median_s'] / r['cpu_median_s']:>9.2f} "
            f"{d['wall_median_s'] / r['wall_median_s']:>10.2f}"
        )
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"results: {args.output}")
    conn.execute(f"DROP TABLE {table}")
    storage.drop()
    storage.close()
    conn.close()


if __name__ == "__main__":
    main()
