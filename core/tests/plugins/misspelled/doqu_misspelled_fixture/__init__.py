"""A doqu plugin with a misspelled hook name, for doqu's own tests."""
