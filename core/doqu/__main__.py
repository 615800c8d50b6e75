"""``python -m doqu``: the ``doqu`` command line."""

from .cli import main

raise SystemExit(main())
