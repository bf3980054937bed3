"""This app's isolation rows, run on their own (the shared matrix test runs them with every app's)."""

import pytest
from django.urls import reverse

from conftest import verified_client
from qiaojia.core.tests.test_isolation import ROLES, _allowed, world  # noqa: F401 (world is a fixture)

from .isolation import MATRIX


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_trade_rows_of_the_isolation_matrix(client, world, role):  # noqa: F811
    user = world["users"][role]
    failures = []
    for name, (kwargs_for, allowed, method) in MATRIX.items():
        for owner in ("A", "B") if kwargs_for else ("A",):
            client.logout()
            if user is not None:
                verified_client(client, user)
            url = reverse(name, kwargs=kwargs_for(world, owner) if kwargs_for else None)
            response = client.post(url) if method == "POST" else client.get(url)
            status = response.status_code
            if _allowed(name, allowed, role, owner):
                if status not in (200, 302, 400) or "/accounts/login/" in response.get("Location", ""):
                    failures.append(f"{role} {method} {name}[{owner}] -> {status}, expected access")
            elif not (
                status == 404 or (role == "anonymous" and status == 302 and "/accounts/login/" in response["Location"])
            ):
                failures.append(f"{role} {method} {name}[{owner}] -> {status}, expected 404")
    assert not failures, "\n".join(failures)
