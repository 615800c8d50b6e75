"""``python -m doqu``: the ``doqu`` command line."""

from ._cli import main

raise SystemExit(main())
