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


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test its own files: uploads, results and the compilation's kept pages."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
