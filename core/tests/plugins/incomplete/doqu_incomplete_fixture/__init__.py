"""A doqu plugin whose adapter does not implement ``remove_record`` and ``query_items``.

For doqu's tests.
"""
