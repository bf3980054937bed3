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
    response = client.post(
        f"{LOGIN_URL}?next=https://evil.example/", {"username": "chai_li", "password": TEST_PASSWORD}
    )
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


def test_axes_is_enabled_and_locks_by_account_and_address_and_by_account():
    assert settings.AXES_ENABLED is True
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.QIAOJIA_ACCOUNT_FAILURE_LIMIT == 10
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "username"]
    assert settings.AXES_HANDLER == "qiaojia.accounts.lockout.LockoutHandler"
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
            attempt_time=attempt.attempt_time - cool_off - datetime.timedelta(seconds=1)
        )

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
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


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


# --- lockout per account: guesses spread over many addresses --------------------------------------


def _address(n: int) -> str:
    return f"192.0.2.{n}"


def _spread_failures(client, count: int, addresses: int, username="chai_li"):
    for n in range(count):
        _login(client, username, "wrong-password-x", _address(n % addresses + 1))


def test_forty_guesses_from_ten_addresses_then_the_right_password_from_an_eleventh_does_not_log_in(client, member):
    """The review's attack: 4 failures from each of 10 addresses stay under the per-address limit."""
    _spread_failures(client, 40, addresses=10)

    response = _login(client, "chai_li", TEST_PASSWORD, _address(11))

    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN).exists()


def test_nine_failures_spread_over_addresses_do_not_lock_the_account(client, member):
    _spread_failures(client, settings.QIAOJIA_ACCOUNT_FAILURE_LIMIT - 1, addresses=9)

    assert _login(client, "chai_li", TEST_PASSWORD, _address(11)).status_code == 302


def test_the_tenth_failure_from_anywhere_locks_the_account(client, member):
    _spread_failures(client, settings.QIAOJIA_ACCOUNT_FAILURE_LIMIT, addresses=10)

    assert _login(client, "chai_li", TEST_PASSWORD, _address(50)).status_code == 429


def test_the_owner_logging_in_does_not_wipe_the_guesses_made_from_elsewhere(client, member):
    _spread_failures(client, settings.QIAOJIA_ACCOUNT_FAILURE_LIMIT - 1, addresses=9)
    assert _login(client, "chai_li", TEST_PASSWORD, HOME_IP).status_code == 302
    client.logout()

    _login(client, "chai_li", "wrong-password-x", _address(20))

    assert _login(client, "chai_li", TEST_PASSWORD, HOME_IP).status_code == 429


def test_the_account_lockout_ends_after_the_cool_off(client, member):
    _spread_failures(client, settings.QIAOJIA_ACCOUNT_FAILURE_LIMIT, addresses=10)
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME) + datetime.timedelta(seconds=1)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - cool_off)

    assert _login(client, "chai_li", TEST_PASSWORD, _address(11)).status_code == 302


def _lockout_text(response) -> str:
    body = response.content.decode()
    return body[body.index("<h1>") : body.index("</div>", body.index("<h1>"))]


def test_the_lockout_page_is_the_same_whatever_locked_it_and_says_what_to_do(client, member):
    _fail_until_locked(client)  # this account from this address
    by_address = _login(client, "chai_li", TEST_PASSWORD, HOME_IP, HTTP_ACCEPT_LANGUAGE="en")
    _spread_failures(client, settings.QIAOJIA_ACCOUNT_FAILURE_LIMIT, addresses=10)  # the account from anywhere
    by_account = _login(client, "chai_li", TEST_PASSWORD, _address(30), HTTP_ACCEPT_LANGUAGE="en")
    _spread_failures(client, settings.QIAOJIA_ACCOUNT_FAILURE_LIMIT, addresses=10, username="nobody_here")
    no_account = _login(client, "nobody_here", TEST_PASSWORD, _address(30), HTTP_ACCEPT_LANGUAGE="en")

    assert by_address.status_code == by_account.status_code == no_account.status_code == 429
    assert _lockout_text(by_address) == _lockout_text(by_account) == _lockout_text(no_account)
    text = _lockout_text(by_account)
    assert "paused for 15 minutes" in text
    assert "Wait, then log in again with the right password" in text
    assert "ask your administrator" in text


def test_the_owner_is_notified_once_when_their_account_is_locked(client, make_user):
    from django.core import mail

    from qiaojia.accounts.notices import ACCOUNT_LOCKED
    from qiaojia.jobs import services as jobs
    from qiaojia.notifications.models import Notification

    owner = make_user("li_ming", Role.OFFICER)
    owner.email, owner.language = "li@example.org", "en"
    owner.save()
    _spread_failures(client, settings.QIAOJIA_ACCOUNT_FAILURE_LIMIT + 5, addresses=10, username="li_ming")
    _fail_until_locked(client, "li_ming", HOME_IP)

    notice = Notification.objects.get(recipient=owner)
    assert notice.kind == ACCOUNT_LOCKED.code == "accounts.locked"
    assert "li_ming" in notice.body and _address(10) in notice.body
    assert "paused for 15 minutes" in notice.body and "tell your administrator" in notice.body
    jobs.run_pending()
    assert [m.to for m in mail.outbox] == [["li@example.org"]]
    assert mail.outbox[0].subject == "Logging in to your account was paused"


def test_a_lockout_of_an_unknown_name_notifies_no_one(client, member):
    from qiaojia.notifications.models import Notification

    _fail_until_locked(client, "nobody_here")
    assert not Notification.objects.exists()


def test_the_lockout_notice_is_sent_again_after_the_cool_off(client, member):
    from qiaojia.notifications.models import Notification

    _fail_until_locked(client)
    Notification.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    AccessAttempt.objects.all().delete()
    _fail_until_locked(client)

    assert Notification.objects.filter(recipient=member).count() == 2
