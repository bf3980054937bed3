"""The TOTP second factor: who is asked, where they are sent, and what codes are accepted."""

import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD, verified_client
from qiaojia.accounts.models import Role, User
from qiaojia.core.models import AuditEntry

VERIFY_URL = "/accounts/2fa/"
SETUP_URL = "/accounts/2fa/setup/"
INTERNAL_PAGES = ["/", "/members/people/", "/orgs/associations/", "/orgs/partners/"]


def _token(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()).zfill(device.digits)


def _wrong_token(device: TOTPDevice) -> str:
    right = int(_token(device))
    return str((right + 500_000) % 1_000_000).zfill(device.digits)


def _password_login(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302, "the password login itself must succeed"
    return client


def _next_of(location: str) -> str:
    return parse_qs(urlsplit(location).query)["next"][0]


@pytest.fixture
def officer_without_device(make_user, business_association):
    return make_user("new_officer", Role.OFFICER, associations=[business_association], otp=False)


def test_the_test_settings_require_the_second_factor():
    assert settings.QIAOJIA_REQUIRE_OTP is True


@pytest.mark.parametrize("who", ["officer_of", "staff_user", "admin_user"])
@pytest.mark.parametrize("page", INTERNAL_PAGES)
def test_password_only_login_is_sent_to_the_second_factor_from_any_internal_page(client, request, who, page):
    _password_login(client, request.getfixturevalue(who))

    response = client.get(page)

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == VERIFY_URL
    assert _next_of(response["Location"]) == page


def test_the_redirect_keeps_the_whole_query_string_as_next(client, officer_of):
    _password_login(client, officer_of)

    response = client.get("/members/people/?q=chai&page=2")

    assert _next_of(response["Location"]) == "/members/people/?q=chai&page=2"


def test_a_valid_code_passes_the_second_factor_and_returns_to_next(client, officer_of):
    _password_login(client, officer_of)
    device = TOTPDevice.objects.get(user=officer_of)

    response = client.post(VERIFY_URL, {"token": _token(device), "next": "/members/people/"})

    assert response.status_code == 302
    assert response["Location"] == "/members/people/"
    for page in INTERNAL_PAGES:
        assert client.get(page).status_code == 200, page


def test_the_verify_page_shows_the_code_form(client, officer_of):
    _password_login(client, officer_of)
    response = client.get(f"{VERIFY_URL}?next=/members/people/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="token"' in body
    assert 'value="/members/people/"' in body


def test_a_wrong_code_is_refused_with_a_message(client, officer_of):
    _password_login(client, officer_of)
    device = TOTPDevice.objects.get(user=officer_of)

    response = client.post(VERIFY_URL, {"token": _wrong_token(device)}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "This code is not valid" in response.content.decode()
    assert client.get("/members/people/").status_code == 302


def test_a_right_code_during_the_throttle_wait_is_told_to_wait(client, officer_of):
    _password_login(client, officer_of)
    device = TOTPDevice.objects.get(user=officer_of)
    client.post(VERIFY_URL, {"token": _wrong_token(device)})
    device.refresh_from_db()
    failures = device.throttling_failure_count

    response = client.post(VERIFY_URL, {"token": _token(device)}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Wait a minute" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == failures, "waiting is not another failure"


def test_a_right_code_after_the_throttle_wait_passes(client, officer_of):
    _password_login(client, officer_of)
    device = TOTPDevice.objects.get(user=officer_of)
    client.post(VERIFY_URL, {"token": _wrong_token(device)})
    device.refresh_from_db()
    device.throttle_reset()

    response = client.post(VERIFY_URL, {"token": _token(device), "next": "/members/people/"})

    assert response["Location"] == "/members/people/"


def test_a_code_cannot_be_used_twice(client, officer_of):
    _password_login(client, officer_of)
    device = TOTPDevice.objects.get(user=officer_of)
    token = _token(device)
    assert client.post(VERIFY_URL, {"token": token}).status_code == 302

    client.logout()
    _password_login(client, officer_of)
    assert client.post(VERIFY_URL, {"token": token}).status_code == 400


def test_a_foreign_next_after_the_code_falls_back_to_home(client, officer_of):
    _password_login(client, officer_of)
    device = TOTPDevice.objects.get(user=officer_of)
    response = client.post(VERIFY_URL, {"token": _token(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_second_factor_lasts_only_for_the_session(client, officer_of):
    _password_login(client, officer_of)
    client.post(VERIFY_URL, {"token": _token(TOTPDevice.objects.get(user=officer_of))})
    client.logout()

    _password_login(client, officer_of)

    assert urlsplit(client.get("/members/people/")["Location"]).path == VERIFY_URL


# --- setting up a device ----------------------------------------------------------------------


def test_a_user_without_a_device_is_sent_on_to_setup(client, officer_without_device):
    _password_login(client, officer_without_device)

    first = client.get("/members/people/")
    second = client.get(first["Location"])

    assert urlsplit(second["Location"]).path == SETUP_URL
    assert _next_of(second["Location"]) == "/members/people/"


def test_setup_shows_a_qr_code_and_the_key(client, officer_without_device):
    _password_login(client, officer_without_device)

    response = client.get(SETUP_URL)

    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]{100,}"', body)
    device = TOTPDevice.objects.get(user=officer_without_device)
    assert device.confirmed is False
    assert response.context["secret"] in body
    assert "otpauth://" in device.config_url


def test_setup_confirms_the_device_with_a_valid_code(client, officer_without_device):
    _password_login(client, officer_without_device)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=officer_without_device)

    response = client.post(SETUP_URL, {"token": _token(device), "next": "/members/people/"})

    assert response.status_code == 302
    assert response["Location"] == "/members/people/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/members/people/").status_code == 200
    assert AuditEntry.objects.filter(
        object_id=str(officer_without_device.pk), changes__second_factor=[None, "totp"]
    ).exists()


def test_setup_refuses_a_wrong_code(client, officer_without_device):
    _password_login(client, officer_without_device)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=officer_without_device)

    response = client.post(SETUP_URL, {"token": _wrong_token(device)}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "This code is not valid" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/members/people/").status_code == 302


def test_setup_with_a_password_only_cannot_replace_an_existing_device(client, officer_of):
    """Otherwise a stolen password would be enough: enrol a new authenticator and pass."""
    _password_login(client, officer_of)

    response = client.get(SETUP_URL)

    assert urlsplit(response["Location"]).path == VERIFY_URL
    assert _next_of(response["Location"]) == SETUP_URL
    assert client.post(SETUP_URL, {"token": "123456"}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=officer_of).values_list("confirmed", flat=True)) == [True]


def test_a_verified_user_can_replace_the_device(client, officer_of):
    verified_client(client, officer_of)
    old = TOTPDevice.objects.get(user=officer_of)

    response = client.get(SETUP_URL)
    assert response.status_code == 200
    new = TOTPDevice.objects.get(user=officer_of, confirmed=False)
    assert client.post(SETUP_URL, {"token": _token(new)}).status_code == 302

    assert list(TOTPDevice.objects.filter(user=officer_of)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


# --- who is not asked -------------------------------------------------------------------------


def test_members_are_not_asked_for_a_second_factor(client, member_user):
    _password_login(client, member_user)
    assert client.get("/members/people/").status_code == 200
    assert client.get(VERIFY_URL)["Location"] == "/"


def test_public_users_are_not_asked_for_a_second_factor(client, make_user):
    _password_login(client, make_user("visitor", Role.PUBLIC))
    assert client.get("/").status_code == 200


def test_a_member_who_chose_a_device_can_verify_without_a_loop(client, member_user):
    device = TOTPDevice.objects.create(user=member_user, name="default", confirmed=True)
    _password_login(client, member_user)

    assert client.get(SETUP_URL)["Location"].startswith(VERIFY_URL)
    assert client.get(f"{VERIFY_URL}?next={SETUP_URL}").status_code == 200
    assert client.post(VERIFY_URL, {"token": _token(device), "next": SETUP_URL})["Location"] == SETUP_URL


def test_anonymous_visitors_are_sent_to_login_not_to_the_second_factor(client):
    response = client.get("/members/people/")
    assert urlsplit(response["Location"]).path == "/accounts/login/"
    assert urlsplit(client.get(VERIFY_URL)["Location"]).path == "/accounts/login/"


@override_settings(QIAOJIA_REQUIRE_OTP=False)
def test_without_the_requirement_officers_are_not_asked(client, officer_of):
    _password_login(client, officer_of)
    assert client.get("/members/people/").status_code == 200


# --- pages that stay reachable ----------------------------------------------------------------


def test_public_pages_stay_reachable_before_the_second_factor(client, officer_of, business_association):
    _password_login(client, officer_of)

    assert client.get(f"/p/associations/{business_association.pk}/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.post("/accounts/language/", {"language": "en", "next": "/p/"}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302


def test_public_pages_are_reachable_anonymously(client, business_association):
    assert client.get(f"/p/associations/{business_association.pk}/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 200


# --- F1: the account pages are not exempt ---------------------------------------------------------


def _new_admin_data():
    return {
        "username": "mallory",
        "password": "Another-admin-2025!",
        "first_name": "",
        "email": "",
        "role": Role.ADMIN,
        "department": "",
        "associations": [],
        "form_token": str(uuid.uuid4()),
    }


def test_a_password_alone_cannot_open_the_account_pages_or_create_an_administrator(client, admin_user):
    """F1: every path under /accounts/ was exempt, so an administrator's password alone created an administrator."""
    _password_login(client, admin_user)

    for page in ("/accounts/users/", "/accounts/users/new/", f"/accounts/users/{admin_user.pk}/edit/"):
        response = client.get(page)
        assert urlsplit(response["Location"]).path == VERIFY_URL, page
        assert _next_of(response["Location"]) == page
    response = client.post("/accounts/users/new/", _new_admin_data())

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == VERIFY_URL
    assert not User.objects.filter(username="mallory").exists()

    # The same request with the second factor passed does create the account: the refusal above was the factor's.
    client.post(VERIFY_URL, {"token": _token(TOTPDevice.objects.get(user=admin_user))})
    assert client.post("/accounts/users/new/", _new_admin_data()).status_code == 302
    assert User.objects.get(username="mallory").role == Role.ADMIN


def test_an_htmx_call_with_a_password_alone_is_sent_to_verification_as_a_whole_page(client, officer_of, member_person):
    _password_login(client, officer_of)

    response = client.post(
        f"/members/people/{member_person.pk}/reveal/phone/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver/members/people/{member_person.pk}/",
    )

    assert response.status_code == 204
    assert urlsplit(response["HX-Redirect"]).path == VERIFY_URL
    assert _next_of(response["HX-Redirect"]) == f"/members/people/{member_person.pk}/"
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_public_pages_before_the_second_factor_are_served_as_to_an_anonymous_visitor(
    client, staff_user, business_association
):
    _password_login(client, staff_user)

    response = client.get(f"/p/associations/{business_association.pk}/")

    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous
    assert 'id="inbox-link"' not in response.content.decode()
