"""This app's rows of the isolation matrix (qiaojia/core/tests/test_isolation.py merges them).

name -> (kwargs builder (world, "A"|"B") -> dict, or None; roles allowed on A's object; method)."""

MATRIX = {}
