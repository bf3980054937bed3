import pytest

from qiaojia.cycle.tests.world import make_priorities, make_report


@pytest.fixture
def priorities(federation):
    return make_priorities()


@pytest.fixture
def report(business_association, priorities):
    return make_report(business_association)


@pytest.fixture
def other_report(other_association, priorities):
    return make_report(other_association)
