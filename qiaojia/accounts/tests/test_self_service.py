"""An account's owner looks after it: changes their password, resets a forgotten one by e-mail, replaces their
authenticator and keeps one-time recovery codes."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from conftest import TEST_PASSWORD, verified_client
from qiaojia.accounts.models import RecoveryCode, RecoveryCodeDevice, User
from qiaojia.core.models import AuditEntry

from .test_second_factor import _password_login, _token, _wrong_token

NEW_PASSWORD = "Lotus-pond-2031"
RESET_URL = "/accounts/password/reset/"
LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)")


@pytest.fixture(autouse=True)
def _fresh_limits(db):
    cache.clear()  # the throttles count in the shared cache
    yield
    cache.clear()


def _t(message):
    """The message as the page shows it (the test client's pages are in the default language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


def _audited(user, field):
    return AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk), changes__has_key=field)


# --- password change --------------------------------------------------------------------------


def test_the_owner_changes_their_password_and_stays_logged_in(client, officer_of):
    verified_client(client, officer_of)
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "not-it-at-all", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200 and "errorlist" in wrong.content.decode()
    officer_of.refresh_from_db()
    assert officer_of.check_password(TEST_PASSWORD)

    response = client.post(
        "/accounts/password/",
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/security/"
    officer_of.refresh_from_db()
    assert officer_of.check_password(NEW_PASSWORD)
    assert _audited(officer_of, "password").get().changes == {"password": [None, "change"]}
    assert client.get("/").status_code == 200  # this session goes on


def test_a_weak_new_password_is_refused(client, member_user):
    verified_client(client, member_user)
    response = client.post(
        "/accounts/password/", {"old_password": TEST_PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )
    assert response.status_code == 200
    member_user.refresh_from_db()
    assert member_user.check_password(TEST_PASSWORD)


# --- password reset -----------------------------------------------------------------------------


def _ask(client, email):
    return client.post(RESET_URL, {"email": email})


def test_reset_answers_the_same_whether_or_not_the_address_has_an_account(client, member_user):
    User.objects.filter(pk=member_user.pk).update(email="chai@example.com")
    known = _ask(client, "Chai@Example.com")
    unknown = _ask(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["chai@example.com"]
    page = client.get(known["Location"]).content.decode()
    assert 'id="reset-sent"' in page


def test_the_link_sets_a_new_password_once_and_ends_other_sessions(client, django_user_model, member_user):
    User.objects.filter(pk=member_user.pk).update(email="chai@example.com")
    other = verified_client(type(client)(), member_user)  # a session elsewhere, with the old password
    _ask(client, "chai@example.com")
    link = LINK.search(mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
    member_user.refresh_from_db()
    assert member_user.check_password(NEW_PASSWORD)
    assert _audited(member_user, "password").get().changes == {"password": [None, "reset"]}
    assert SESSION_KEY not in client.session  # the reset does not log in by itself
    assert other.get("/").wsgi_request.user.is_authenticated is False
    again = client.get(link, follow=True)
    assert 'id="reset-invalid"' in again.content.decode()


def test_the_link_expires_after_an_hour(client, member_user):
    User.objects.filter(pk=member_user.pk).update(email="chai@example.com")
    start = datetime.datetime(2030, 5, 1, 9, 0, tzinfo=datetime.UTC)
    with freeze_time(start):
        _ask(client, "chai@example.com")
    link = LINK.search(mail.outbox[0].body).group(1)
    with freeze_time(start + datetime.timedelta(minutes=61)):
        late = client.get(link, follow=True)
    assert 'id="reset-invalid"' in late.content.decode()
    assert 'name="new_password1"' not in late.content.decode()


@override_settings(QIAOJIA_PASSWORD_RESET_LIMITS={"email": (2, 3600), "address": (4, 3600)})
def test_reset_requests_are_throttled_per_address_typed_and_per_client(client, member_user):
    User.objects.filter(pk=member_user.pk).update(email="chai@example.com")
    answers = [_ask(client, "chai@example.com") for _ in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 302]  # the third looks the same ...
    assert len(mail.outbox) == 2  # ... but sends nothing
    _ask(client, "someone@example.com")
    blocked = _ask(client, "another@example.com")
    assert blocked.status_code == 429 and _t("Too many requests from your network. Wait an hour, then try again.") in (
        blocked.content.decode()
    )
    assert len(mail.outbox) == 2


def test_the_reset_pages_are_open_to_a_visitor_and_link_from_the_login(client):
    assert 'href="/accounts/password/reset/"' in client.get("/accounts/login/").content.decode()
    for url in (RESET_URL, "/accounts/password/reset/sent/", "/accounts/password/reset/done/"):
        assert client.get(url).status_code == 200, url


# --- the second factor, managed by its owner --------------------------------------------------


def _recovery(client, user, device, *, password=TEST_PASSWORD, token=None):
    return client.post(
        "/accounts/security/",
        {"action": "recovery", "password": password, "token": token or _token(device)},
    )


def _codes(response) -> list[str]:
    return re.findall(r"<code>([A-Z0-9-]{14})</code>", response.content.decode())


def test_recovery_codes_are_shown_once_stored_hashed_and_each_signs_in_once(client, officer_of):
    device = TOTPDevice.objects.get(user=officer_of)
    verified_client(client, officer_of)
    assert _recovery(client, officer_of, device, password="wrong-password").status_code == 400
    assert not RecoveryCode.objects.exists()

    shown = _recovery(client, officer_of, device)
    codes = _codes(shown)
    assert shown.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    stored = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 10 and not any(code.replace("-", "") in h for code in codes for h in stored)
    left = client.get("/accounts/security/").content.decode()
    assert re.search(r'id="recovery-left">[^<]*\b10\b', left)
    assert not _codes(client.get("/accounts/security/"))  # never shown again

    client.logout()
    _password_login(client, officer_of)
    signed_in = client.post("/accounts/2fa/", {"token": codes[0].lower(), "next": "/"})
    assert signed_in.status_code == 302 and client.get("/members/people/").status_code == 200
    assert _audited(officer_of, "second_factor").filter(changes__second_factor=[None, "recovery_code"]).exists()

    client.logout()
    _password_login(client, officer_of)
    reused = client.post("/accounts/2fa/", {"token": codes[0], "next": "/"})
    assert reused.status_code == 400
    assert _t("This recovery code is not valid or has already been used.") in reused.content.decode()
    assert client.get("/members/people/").status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, officer_of):
    device = TOTPDevice.objects.get(user=officer_of)
    verified_client(client, officer_of)
    old = _codes(_recovery(client, officer_of, device))
    new = _codes(_recovery(client, officer_of, device, token=old[1]))  # a recovery code proves it too
    assert new and not set(old) & set(new)
    client.logout()
    _password_login(client, officer_of)
    assert client.post("/accounts/2fa/", {"token": old[2], "next": "/"}).status_code == 400
    assert client.post("/accounts/2fa/", {"token": new[0], "next": "/"}).status_code == 302


@override_settings(QIAOJIA_RECOVERY_CODE_LIMIT=(3, 900))
def test_guessing_recovery_codes_is_throttled(client, officer_of):
    device = TOTPDevice.objects.get(user=officer_of)
    verified_client(client, officer_of)
    codes = _codes(_recovery(client, officer_of, device))
    client.logout()
    _password_login(client, officer_of)
    for guess in ("AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB", "CCCC-CCCC-CCCC"):
        assert client.post("/accounts/2fa/", {"token": guess, "next": "/"}).status_code == 400
    late = client.post("/accounts/2fa/", {"token": codes[0], "next": "/"})
    assert late.status_code == 400
    assert _t("Too many wrong codes. Wait a few minutes, then try again.") in late.content.decode()
    assert RecoveryCode.objects.filter(used_at__isnull=True).count() == 10  # the right code was not spent


def test_replacing_the_authenticator_needs_the_password_and_a_current_code(client, officer_of):
    device = TOTPDevice.objects.get(user=officer_of)
    client.force_login(officer_of)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()  # verified long ago: not recently enough to go straight to set-up
    assert client.get("/accounts/2fa/setup/").status_code == 302
    refused = client.post(
        "/accounts/security/", {"action": "reenrol", "password": TEST_PASSWORD, "token": _wrong_token(device)}
    )
    assert refused.status_code == 400
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next try wait after a wrong code
    no_password = client.post("/accounts/security/", {"action": "reenrol", "password": "x", "token": _token(device)})
    assert no_password.status_code == 400
    ok = client.post("/accounts/security/", {"action": "reenrol", "password": TEST_PASSWORD, "token": _token(device)})
    assert ok.status_code == 302 and ok["Location"].startswith("/accounts/2fa/setup/")
    assert client.get(ok["Location"]).status_code == 200


def test_a_member_without_an_authenticator_is_offered_to_set_one_up(client, member_user):
    verified_client(client, member_user)
    page = client.get("/accounts/security/").content.decode()
    assert "/accounts/2fa/setup/" in page and 'name="password"' not in page
    assert client.post("/accounts/security/", {"action": "recovery", "password": TEST_PASSWORD}).status_code == 400
    assert not RecoveryCodeDevice.objects.exists()


# --- turning the second factor off ------------------------------------------------------------


def test_a_member_turns_their_second_factor_off_with_password_and_current_code(client, member_user):
    device = TOTPDevice.objects.create(user=member_user, name="default", confirmed=True)
    verified_client(client, member_user)
    _recovery(client, member_user, device)
    assert RecoveryCode.objects.filter(device__user=member_user).count() == 10
    device.throttle_reset()
    page = client.get("/accounts/security/").content.decode()
    assert 'value="turn-off"' in page and "data-confirm" in page

    wrong_code = client.post(
        "/accounts/security/", {"action": "turn-off", "password": TEST_PASSWORD, "token": _wrong_token(device)}
    )
    assert wrong_code.status_code == 400
    device.refresh_from_db()
    device.throttle_reset()
    wrong_password = client.post(
        "/accounts/security/", {"action": "turn-off", "password": "not-mine", "token": _token(device)}
    )
    assert wrong_password.status_code == 400
    assert TOTPDevice.objects.filter(user=member_user).exists()
    assert not _audited(member_user, "second_factor").filter(changes__second_factor=["totp", None]).exists()

    done = client.post(
        "/accounts/security/", {"action": "turn-off", "password": TEST_PASSWORD, "token": _token(device)}
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/security/"
    assert not TOTPDevice.objects.filter(user=member_user).exists()
    assert not RecoveryCodeDevice.objects.filter(user=member_user).exists()
    assert _audited(member_user, "second_factor").filter(changes__second_factor=["totp", None]).count() == 1
    after = client.get("/accounts/security/").content.decode()
    assert "/accounts/2fa/setup/" in after and 'value="turn-off"' not in after

    client.logout()
    assert client.post("/accounts/login/", {"username": "member", "password": TEST_PASSWORD}).status_code == 302
    assert client.get("/me/").status_code == 200  # the password alone now logs in


@pytest.mark.parametrize("role_user", ["officer_of", "staff_user", "admin_user"])
def test_staff_and_officers_cannot_turn_their_second_factor_off(client, role_user, request):
    user = request.getfixturevalue(role_user)
    device = TOTPDevice.objects.get(user=user)
    verified_client(client, user)
    page = client.get("/accounts/security/").content.decode()
    assert 'value="turn-off"' not in page and 'id="second-factor-required"' in page
    refused = client.post(
        "/accounts/security/", {"action": "turn-off", "password": TEST_PASSWORD, "token": _token(device)}
    )
    assert refused.status_code == 400
    assert _t("Your role needs two-factor authentication: it cannot be turned off.") in refused.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_the_service_refuses_an_officer_whatever_the_caller_checked(officer_of):
    from django.core.exceptions import ValidationError

    from qiaojia.accounts import services

    with pytest.raises(ValidationError):
        services.second_factor_turn_off(user=officer_of)
    assert TOTPDevice.objects.filter(user=officer_of).exists()
