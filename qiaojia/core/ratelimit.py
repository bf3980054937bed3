"""Counting failures in fixed time windows, in the cache every web process shares ("default").

A limit is (failures, seconds). Counts live in the window they were made in and expire with it."""

import hashlib
import time

from django.core.cache import cache


def _bucket(scope: str, key: str, seconds: int) -> tuple[str, int]:
    now = int(time.time())
    window = now // seconds
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{window}", (window + 1) * seconds - now


def exceeded(scope: str, key: str, limit: tuple[int, int]) -> bool:
    """Whether `key` has used up its failures in the current window."""
    failures, seconds = limit
    return cache.get(_bucket(scope, key, seconds)[0], 0) >= failures


def record_failure(scope: str, key: str, limit: tuple[int, int]) -> int:
    """Count one failure for `key`; returns the count in the current window."""
    name, remaining = _bucket(scope, key, limit[1])
    if cache.add(name, 1, timeout=remaining):
        return 1
    try:
        count = cache.incr(name)
    except ValueError:  # expired between the add and the incr
        cache.set(name, 1, timeout=remaining)
        return 1
    # The database cache's incr writes the value back with the default timeout; keep the window's end.
    cache.touch(name, remaining)
    return count


def clear(scope: str, key: str, limit: tuple[int, int]) -> None:
    cache.delete(_bucket(scope, key, limit[1])[0])
