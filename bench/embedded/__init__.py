"""Benchmarks of doqu-sqlite: against raw sqlite3 doing the same work, and the embedded peers.

``python -m bench.embedded`` (see ``bench/README.md``, "Embedded").
"""
