"""A doqu plugin whose adapter does not implement ``_remove`` and ``_query``, for doqu's tests."""
