import pytest

from .world import make_event


@pytest.fixture
def event(federation):
    """An open, published event with a quota of 2 people per association."""
    return make_event(default_quota=2)
