"""Account services: creation with the password rules, deactivation, second-factor devices."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD, verified_client
from qiaojia.accounts import services
from qiaojia.accounts.models import Role, User
from qiaojia.core.models import AuditAction, AuditEntry

# --- user_create and the password rules -------------------------------------------------------


def test_user_create_accepts_a_strong_password_and_audits(db):
    user = services.user_create(username="zheng", password=TEST_PASSWORD, role=Role.MEMBER, language="zh-hant")

    assert user.check_password(TEST_PASSWORD)
    assert (user.role, user.language) == (Role.MEMBER, "zh-hant")
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="accounts.user")
    assert entry.object_id == str(user.pk)
    assert "password" not in entry.changes


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Qj-2025!x", "password_too_short"),  # 9 characters, the minimum is 10
        ("password123", "password_too_common"),
        ("qwertyuiop", "password_too_common"),
        ("4103219876543", "password_entirely_numeric"),
    ],
)
def test_user_create_refuses_a_weak_password(db, password, code):
    with pytest.raises(ValidationError) as excinfo:
        services.user_create(username="zheng", password=password)
    assert code in [error.code for error in excinfo.value.error_list]
    assert not User.objects.filter(username="zheng").exists()
    assert not AuditEntry.objects.exists()


def test_user_create_refuses_a_password_like_the_username(db):
    with pytest.raises(ValidationError) as excinfo:
        services.user_create(username="zhengdinghui", password="zhengdinghui1", first_name="Dinghui")
    assert [error.code for error in excinfo.value.error_list] == ["password_too_similar"]


def test_user_create_refuses_a_duplicate_username(db):
    services.user_create(username="zheng", password=TEST_PASSWORD)
    with pytest.raises(ValidationError):
        services.user_create(username="zheng", password=TEST_PASSWORD)
    assert User.objects.filter(username="zheng").count() == 1


def test_user_create_sets_associations_and_audits_them(business_association):
    user = services.user_create(
        username="officer", password=TEST_PASSWORD, role=Role.OFFICER, associations=[business_association]
    )
    assert list(user.associations.all()) == [business_association]
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(user.pk))
    assert entry.changes == {"associations": [[], [business_association.pk]]}


# --- user_set_language ----------------------------------------------------------------------


def test_user_set_language_stores_and_audits(member_user):
    user = services.user_set_language(user=member_user, language="en")
    member_user.refresh_from_db()
    assert member_user.language == user.language == "en"
    assert AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(member_user.pk)).changes == {
        "language": ["", "en"]
    }


def test_user_set_language_to_the_same_value_writes_nothing(member_user):
    user = services.user_set_language(user=member_user, language="en")
    count = AuditEntry.objects.count()
    services.user_set_language(user=user, language="en")
    assert AuditEntry.objects.count() == count


# --- user_deactivate ------------------------------------------------------------------------


def test_user_deactivate_ends_the_users_sessions(client, officer_of):
    verified_client(client, officer_of)
    assert client.get("/members/people/").status_code == 200

    services.user_deactivate(user=officer_of)

    response = client.get("/members/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert SESSION_KEY not in client.session


def test_user_deactivate_leaves_other_users_sessions(client, officer_of, staff_user):
    other = verified_client(Client(), staff_user)
    verified_client(client, officer_of)

    services.user_deactivate(user=officer_of)

    assert other.get("/members/people/").status_code == 200
    assert Session.objects.count() == 1


def test_user_deactivate_refuses_the_next_password_login(client, officer_of):
    services.user_deactivate(user=officer_of)
    response = client.post("/accounts/login/", {"username": officer_of.username, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_user_deactivate_writes_an_audit_row_and_bumps_the_version(officer_of):
    version = officer_of.version

    services.user_deactivate(user=officer_of)

    officer_of.refresh_from_db()
    assert officer_of.is_active is False
    assert officer_of.version == version + 1
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(officer_of.pk))
    assert entry.changes == {"is_active": [True, False]}


def test_user_deactivate_of_an_inactive_user_writes_nothing(officer_of):
    services.user_deactivate(user=officer_of)
    count = AuditEntry.objects.count()
    services.user_deactivate(user=officer_of)
    assert AuditEntry.objects.count() == count


# --- second-factor devices ------------------------------------------------------------------


def test_totp_device_start_reuses_the_unconfirmed_device(make_user):
    user = make_user("new_officer", Role.OFFICER, otp=False)
    first = services.totp_device_start(user=user)
    assert services.totp_device_start(user=user) == first
    assert first.confirmed is False


def test_totp_device_confirm_replaces_the_old_device_and_audits(officer_of):
    old = TOTPDevice.objects.get(user=officer_of)
    new = services.totp_device_start(user=officer_of)

    services.totp_device_confirm(device=new)

    assert list(TOTPDevice.objects.filter(user=officer_of)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(officer_of.pk)).changes == {
        "second_factor": [None, "totp"]
    }
