"""Password login through Django's LoginView: session rotation, the audit trail, and django-axes lockout."""

import datetime

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import reverse

from conftest import TEST_PASSWORD
from qiaojia.accounts import services
from qiaojia.accounts.models import Role
from qiaojia.core.models import AuditAction, AuditEntry

LOGIN_URL = "/accounts/login/"
HOME_IP = "198.51.100.7"
OTHER_IP = "203.0.113.9"


def _login(client, username, password, ip=HOME_IP, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


@pytest.fixture
def member(make_user):
    return make_user("chai_li", Role.MEMBER)


def test_login_url_is_djangos_login_view():
    assert reverse("accounts:login") == LOGIN_URL == settings.LOGIN_URL


def test_login_page_renders_for_anonymous(client):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_login_with_the_right_password_logs_in(client, member):
    response = _login(client, "chai_li", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == settings.LOGIN_REDIRECT_URL
    assert int(client.session[SESSION_KEY]) == member.pk


def test_login_with_a_wrong_password_is_refused(client, member):
    response = _login(client, "chai_li", "not-the-password")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert response.context["form"].non_field_errors()


def test_login_follows_a_safe_next_and_ignores_a_foreign_one(client, member):
    response = client.post(f"{LOGIN_URL}?next=/members/", {"username": "chai_li", "password": TEST_PASSWORD})
    assert response["Location"] == "/members/"
    client.logout()
    response = client.post(f"{LOGIN_URL}?next=https://evil.example/",
                           {"username": "chai_li", "password": TEST_PASSWORD})
    assert response["Location"] == settings.LOGIN_REDIRECT_URL


def test_login_rotates_the_session_key(client, member):
    client.get(LOGIN_URL)
    session = client.session
    session["before_login"] = True
    session.save()
    key_before = session.session_key

    _login(client, "chai_li", TEST_PASSWORD)

    key_after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert key_after != key_before
    assert client.session["before_login"] is True  # rotated, not flushed: the data moves with the user


def test_login_writes_an_audit_row_with_username_ip_and_request_id(client, member):
    _login(client, "chai_li", TEST_PASSWORD, HTTP_X_REQUEST_ID="login-req-0001")

    entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert entry.actor_id == member.pk
    assert entry.actor_username == "chai_li"
    assert entry.ip_address == HOME_IP
    assert entry.request_id == "login-req-0001"
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(member.pk))


def test_logout_writes_an_audit_row_with_username_ip_and_request_id(client, member):
    _login(client, "chai_li", TEST_PASSWORD)

    response = client.post(reverse("accounts:logout"), REMOTE_ADDR=OTHER_IP, HTTP_X_REQUEST_ID="logout-req-0002")

    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    entry = AuditEntry.objects.get(action=AuditAction.LOGOUT)
    assert entry.actor_id == member.pk
    assert entry.actor_username == "chai_li"
    assert entry.ip_address == OTHER_IP
    assert entry.request_id == "logout-req-0002"


def test_a_failed_login_writes_no_login_row(client, member):
    _login(client, "chai_li", "not-the-password")
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN).exists()


def test_login_audit_outside_a_request_does_not_leak_the_actor_into_later_writes(client, member, make_user):
    """force_login (tests, management commands) has no middleware to reset who is acting."""
    client.force_login(member)
    other = make_user("written_later", Role.PUBLIC)

    services.user_set_language(user=other, language="en")
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(other.pk)).get()
    assert entry.actor_username == "system"


# --- lockout (django-axes) ----------------------------------------------------------------------


def _fail_until_locked(client, username="chai_li", ip=HOME_IP):
    return [_login(client, username, "wrong-password-x", ip) for _ in range(settings.AXES_FAILURE_LIMIT)]


def test_axes_is_enabled_and_locks_by_username_and_address_together():
    assert settings.AXES_ENABLED is True
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_four_failures_do_not_lock(client, member):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "chai_li", "wrong-password-x").status_code == 200
    response = _login(client, "chai_li", TEST_PASSWORD)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == member.pk


def test_five_failures_lock_the_account_from_that_address(client, member):
    responses = _fail_until_locked(client)

    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert responses[-1].status_code == 429
    locked = _login(client, "chai_li", TEST_PASSWORD)
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    assert SESSION_KEY not in client.session
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN).exists()


def test_lockout_does_not_lock_the_account_from_another_address(client, member):
    _fail_until_locked(client)

    response = _login(client, "chai_li", TEST_PASSWORD, ip=OTHER_IP)

    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == member.pk


def test_lockout_does_not_lock_another_account_from_the_same_address(client, member, make_user):
    other = make_user("zheng_dinghui", Role.MEMBER)
    _fail_until_locked(client)

    response = _login(client, "zheng_dinghui", TEST_PASSWORD)

    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == other.pk


def test_lockout_ends_after_the_cool_off(client, member):
    _fail_until_locked(client)
    assert _login(client, "chai_li", TEST_PASSWORD).status_code == 429

    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - cool_off - datetime.timedelta(seconds=1))

    response = _login(client, "chai_li", TEST_PASSWORD)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == member.pk


def test_cool_off_is_fifteen_minutes():
    assert datetime.timedelta(hours=settings.AXES_COOLOFF_TIME) == datetime.timedelta(minutes=15)


def test_lockout_is_lifted_by_an_administrator_reset(client, member):
    _fail_until_locked(client)

    assert axes_reset(ip=HOME_IP, username="chai_li") >= 1

    assert _login(client, "chai_li", TEST_PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(client, member):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "chai_li", "wrong-password-x")
    assert _login(client, "chai_li", TEST_PASSWORD).status_code == 302
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "chai_li", "wrong-password-x").status_code == 200
    assert _login(client, "chai_li", TEST_PASSWORD).status_code == 302


@override_settings(AXES_COOLOFF_TIME=datetime.timedelta(seconds=0))
def test_a_zero_cool_off_lets_the_next_attempt_through(client, member):
    _fail_until_locked(client)
    assert _login(client, "chai_li", TEST_PASSWORD).status_code == 302


def test_locked_out_page_is_translated_and_not_the_login_form(client, member):
    _fail_until_locked(client)
    response = _login(client, "chai_li", TEST_PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed attempts" in body
    assert 'name="password"' not in body


# --- behind a reverse proxy ---------------------------------------------------------------------


def _via_proxy(client, username, password, forwarded_for):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR="127.0.0.1",
                       HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_a_proxy_the_lockout_and_the_audit_use_the_forwarded_address(client, member, settings):
    settings.QIAOJIA_TRUSTED_PROXIES = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _via_proxy(client, "chai_li", "wrong-password-x", HOME_IP)
    assert _via_proxy(client, "chai_li", TEST_PASSWORD, HOME_IP).status_code == 429

    response = _via_proxy(client, "chai_li", TEST_PASSWORD, OTHER_IP)

    assert response.status_code == 302
    assert AccessAttempt.objects.get().ip_address == HOME_IP
    assert AuditEntry.objects.get(action=AuditAction.LOGIN).ip_address == OTHER_IP


def test_behind_a_proxy_a_spoofed_forwarded_address_does_not_escape_the_lockout(client, member, settings):
    settings.QIAOJIA_TRUSTED_PROXIES = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        _via_proxy(client, "chai_li", "wrong-password-x", f"10.9.9.{n}, {HOME_IP}")

    assert _via_proxy(client, "chai_li", TEST_PASSWORD, f"10.8.8.8, {HOME_IP}").status_code == 429


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, member):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _via_proxy(client, "chai_li", "wrong-password-x", f"10.9.9.{n}")

    assert _via_proxy(client, "chai_li", TEST_PASSWORD, "10.8.8.8").status_code == 429
