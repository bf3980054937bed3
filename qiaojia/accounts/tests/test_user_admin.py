"""Administrators manage accounts through pages: create, change role and associations, deactivate."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import verified_client
from qiaojia.accounts.models import Role, User
from qiaojia.core.models import AuditEntry


def _create_data(**overrides):
    data = {
        "username": "new_officer",
        "password": "Long-enough-pass-2025",
        "first_name": "李明",
        "email": "li@example.org",
        "role": Role.OFFICER,
        "department": "",
        "associations": [],
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_admin_creates_an_officer_for_one_association(client, admin_user, business_association):
    verified_client(client, admin_user)
    response = client.post(reverse("accounts:user-create"), _create_data(associations=[business_association.pk]))
    assert response.status_code == 302
    user = User.objects.get(username="new_officer")
    assert user.role == Role.OFFICER
    assert list(user.associations.all()) == [business_association]
    assert user.check_password("Long-enough-pass-2025")
    rows = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
    assert set(rows.values_list("action", flat=True)) == {"create", "update"}
    assert all("Long-enough" not in str(r.changes) for r in rows)


@pytest.mark.parametrize("password", ["short1!", "password123", "12345678901234"])
def test_account_with_a_weak_password_is_refused_and_nothing_saved(client, admin_user, business_association, password):
    verified_client(client, admin_user)
    response = client.post(
        reverse("accounts:user-create"), _create_data(password=password, associations=[business_association.pk])
    )
    assert response.status_code == 400
    assert b'id="field-password"' in response.content
    assert not User.objects.filter(username="new_officer").exists()


def test_officer_without_association_and_staff_without_department_are_refused(client, admin_user):
    verified_client(client, admin_user)
    response = client.post(reverse("accounts:user-create"), _create_data())
    assert response.status_code == 400 and 'id="field-associations"' in response.content.decode()
    response = client.post(reverse("accounts:user-create"), _create_data(role=Role.STAFF))
    assert response.status_code == 400 and 'id="field-department"' in response.content.decode()
    assert not User.objects.filter(username="new_officer").exists()


def test_create_account_submitted_twice_makes_one_account(client, admin_user, business_association):
    verified_client(client, admin_user)
    data = _create_data(associations=[business_association.pk])
    assert client.post(reverse("accounts:user-create"), data).status_code == 302
    assert client.post(reverse("accounts:user-create"), data).status_code == 302
    assert User.objects.filter(username="new_officer").count() == 1


def test_admin_deactivating_an_account_ends_its_sessions(client, admin_user, officer_of, business_association):
    from django.test import Client

    officer_client = verified_client(Client(), officer_of)
    assert officer_client.get(reverse("orgs:association-list")).status_code == 200
    verified_client(client, admin_user)
    response = client.post(
        reverse("accounts:user-edit", args=[officer_of.pk]),
        {
            "version": officer_of.version,
            "first_name": "",
            "email": "",
            "role": Role.OFFICER,
            "department": "",
            "associations": [business_association.pk],
            "is_active": "",
        },
    )
    assert response.status_code == 302
    officer_of.refresh_from_db()
    assert not officer_of.is_active
    assert officer_client.get(reverse("orgs:association-list"))["Location"].startswith("/accounts/login/")


def test_two_admins_editing_one_account_get_a_conflict(
    client, admin_user, officer_of, business_association, other_association
):
    verified_client(client, admin_user)
    stale = officer_of.version
    base = {"first_name": "", "email": "", "role": Role.OFFICER, "department": "", "is_active": "on"}
    first = client.post(
        reverse("accounts:user-edit", args=[officer_of.pk]),
        {**base, "version": stale, "associations": [other_association.pk]},
    )
    assert first.status_code == 302
    second = client.post(
        reverse("accounts:user-edit", args=[officer_of.pk]),
        {**base, "version": stale, "associations": [business_association.pk], "first_name": "王"},
    )
    assert second.status_code == 409
    assert 'value="王"' in second.content.decode()
    officer_of.refresh_from_db()
    assert list(officer_of.associations.all()) == [other_association]


def test_account_list_queries_do_not_grow_with_accounts(client, admin_user, make_user, business_association):
    verified_client(client, admin_user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("accounts:user-list")).status_code == 200
        return len(ctx.captured_queries)

    make_user("o1", Role.OFFICER, associations=[business_association])
    few = count()
    for i in range(20):
        make_user(f"more{i}", Role.OFFICER, associations=[business_association])
    assert count() == few
    assert few <= 10
