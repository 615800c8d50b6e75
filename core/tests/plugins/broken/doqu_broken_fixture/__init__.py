"""A doqu plugin that cannot be imported, for doqu's own tests."""
