"""Sensitive actions need the second factor passed lately: creating accounts, changing roles and activation,
showing an ID number, replacing the authenticator. A session verified long ago confirms it again first."""

import time
import uuid
from urllib.parse import parse_qs, urlsplit

from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import verified_client
from qiaojia.accounts.models import Role, User
from qiaojia.accounts.second_factor import VERIFIED_AT
from qiaojia.core.models import AuditAction, AuditEntry

VERIFY_URL = "/accounts/2fa/"


def _token(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()).zfill(device.digits)


def _verified_minutes_ago(client, user, minutes: int):
    verified_client(client, user)
    session = client.session
    session[VERIFIED_AT] = int(time.time()) - minutes * 60
    session.save()
    return client


def _sent_to_verify(response, next_url: str) -> bool:
    location = response.get("HX-Redirect") or response.get("Location", "")
    return urlsplit(location).path == VERIFY_URL and parse_qs(urlsplit(location).query).get("next") == [next_url]


def _admin_data(**extra):
    return {
        "username": "new_admin",
        "password": "Long-enough-pass-2025",
        "first_name": "",
        "email": "",
        "role": Role.ADMIN,
        "department": "",
        "associations": [],
        "form_token": str(uuid.uuid4()),
        **extra,
    }


def test_creating_an_account_after_a_stale_verification_asks_for_the_code_again(client, admin_user):
    _verified_minutes_ago(client, admin_user, 16)

    assert _sent_to_verify(client.get("/accounts/users/new/"), "/accounts/users/new/")
    response = client.post("/accounts/users/new/", _admin_data())

    assert _sent_to_verify(response, "/accounts/users/new/")
    assert not User.objects.filter(username="new_admin").exists()
    assert client.get("/accounts/users/").status_code == 200, "reading the list is not a sensitive action"


def test_the_verify_page_says_why_the_code_is_asked_again(client, admin_user):
    _verified_minutes_ago(client, admin_user, 16)

    response = client.get(f"{VERIFY_URL}?next=/accounts/users/new/", HTTP_ACCEPT_LANGUAGE="en")

    assert "needs a fresh confirmation" in response.content.decode()


def test_a_fresh_code_lets_the_account_be_created(client, admin_user):
    _verified_minutes_ago(client, admin_user, 16)

    response = client.post(VERIFY_URL, {"token": _token(admin_user), "next": "/accounts/users/new/"})

    assert response["Location"] == "/accounts/users/new/"
    assert abs(client.session[VERIFIED_AT] - time.time()) < 5
    assert client.post("/accounts/users/new/", _admin_data()).status_code == 302
    assert User.objects.get(username="new_admin").role == Role.ADMIN


def test_within_the_window_no_code_is_asked(client, admin_user):
    _verified_minutes_ago(client, admin_user, 14)
    assert client.get("/accounts/users/new/").status_code == 200


@override_settings(QIAOJIA_SENSITIVE_REVERIFY_MINUTES=60)
def test_the_window_is_a_setting(client, admin_user):
    _verified_minutes_ago(client, admin_user, 30)
    assert client.get("/accounts/users/new/").status_code == 200


def test_changing_a_role_or_deactivating_after_a_stale_verification_changes_nothing(
    client, admin_user, officer_of, business_association
):
    _verified_minutes_ago(client, admin_user, 16)
    url = f"/accounts/users/{officer_of.pk}/edit/"
    base = {"first_name": "", "email": "", "department": "", "version": officer_of.version}

    promote = client.post(url, {**base, "role": Role.ADMIN, "is_active": "on"})
    deactivate = client.post(url, {**base, "role": Role.OFFICER, "associations": [business_association.pk]})

    assert _sent_to_verify(promote, url) and _sent_to_verify(deactivate, url)
    officer_of.refresh_from_db()
    assert (officer_of.role, officer_of.is_active, officer_of.version) == (Role.OFFICER, True, base["version"])


def test_showing_an_id_number_after_a_stale_verification_asks_for_the_code_and_shows_nothing(
    client, officer_of, member_person
):
    _verified_minutes_ago(client, officer_of, 16)
    page = f"/members/people/{member_person.pk}/"

    response = client.post(
        f"{page}reveal/id_number/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{page}"
    )

    assert response.status_code == 204 and _sent_to_verify(response, page)
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_showing_an_id_number_lately_verified_shows_it(client, officer_of, member_person):
    _verified_minutes_ago(client, officer_of, 1)

    response = client.post(f"/members/people/{member_person.pk}/reveal/id_number/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "19850312" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL, changes__field="id_number").exists()


def test_showing_a_phone_number_needs_no_fresh_code(client, officer_of, member_person):
    _verified_minutes_ago(client, officer_of, 120)
    response = client.post(f"/members/people/{member_person.pk}/reveal/phone/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200


def test_a_member_shows_their_own_id_number_without_a_second_factor(client, member_user, member_person):
    client.force_login(member_user)
    response = client.post(f"/members/people/{member_person.pk}/reveal/id_number/")
    assert response.status_code == 200
    assert "19850312" in response.content.decode()


def test_replacing_the_authenticator_after_a_stale_verification_asks_for_the_current_code(client, officer_of):
    _verified_minutes_ago(client, officer_of, 16)

    response = client.get("/accounts/2fa/setup/")

    assert _sent_to_verify(response, "/accounts/2fa/setup/")
    assert list(TOTPDevice.objects.filter(user=officer_of).values_list("confirmed", flat=True)) == [True]


def test_a_verification_time_in_the_future_or_missing_is_not_recent(client, admin_user):
    verified_client(client, admin_user)
    session = client.session
    session[VERIFIED_AT] = int(time.time()) + 600
    session.save()
    assert _sent_to_verify(client.get("/accounts/users/new/"), "/accounts/users/new/")
    del session[VERIFIED_AT]
    session.save()
    assert _sent_to_verify(client.get("/accounts/users/new/"), "/accounts/users/new/")
