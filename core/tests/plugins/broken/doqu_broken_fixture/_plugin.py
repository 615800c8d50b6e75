"""The entry point module: it needs a driver that is not installed."""

import doqu_fixture_driver_not_installed  # noqa: F401
