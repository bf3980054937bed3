"""This app's isolation rows, run on their own (the shared matrix test runs them with every app's)."""

import pytest

from qiaojia.core.tests.test_isolation import ROLES, matrix_failures, world  # noqa: F401 (world is a fixture)

from .isolation import MATRIX


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_trade_rows_of_the_isolation_matrix(client, world, role):  # noqa: F811
    failures = matrix_failures(client, world, role, MATRIX)
    assert not failures, "\n".join(failures)
