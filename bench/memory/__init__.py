"""How memory:// scales: indexed and scanning queries against a plain-Python floor, 10k to 1M.

``python -m bench.memory`` (see ``bench/README.md``, "memory:// scaling").
"""
