"""Run the benchmarks: ``python -m bench --help``."""

import sys

from ._cli import main

sys.exit(main())
