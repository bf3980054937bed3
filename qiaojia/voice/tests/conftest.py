import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_limits(request):
    """The public form's counts live in the shared cache (the database's): each test starts with none."""
    if request.node.get_closest_marker("django_db") is None:
        return
    from django.core.cache import cache

    request.getfixturevalue("db")
    cache.clear()
