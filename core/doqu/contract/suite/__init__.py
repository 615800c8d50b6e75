"""The contract tests, one class per feature; :mod:`doqu.contract` assembles them."""
