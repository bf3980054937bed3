"""Staff and officers are logged out after QIAOJIA_IDLE_TIMEOUT_MINUTES without a request; members are not."""

import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import override_settings

from conftest import verified_client
from qiaojia.accounts.middleware import LAST_SEEN
from qiaojia.accounts.models import Role, User
from qiaojia.core.models import AuditAction, AuditEntry


def _idle_for(client, minutes: float):
    session = client.session
    session[LAST_SEEN] = int(time.time() - minutes * 60)
    session.save()


def _sent_to_login(response, next_url: str) -> bool:
    location = response.get("HX-Redirect") or response.get("Location", "")
    return urlsplit(location).path == settings.LOGIN_URL and parse_qs(urlsplit(location).query).get("next") == [
        next_url
    ]


def test_the_default_is_thirty_minutes():
    assert settings.QIAOJIA_IDLE_TIMEOUT_MINUTES == 30


@pytest.mark.parametrize("who", ["officer_of", "staff_user", "admin_user"])
def test_a_staff_or_officer_session_idle_too_long_is_logged_out_and_sent_to_login(client, request, who):
    verified_client(client, request.getfixturevalue(who))
    _idle_for(client, 31)

    response = client.get("/members/people/?q=chai", HTTP_ACCEPT_LANGUAGE="en")

    assert _sent_to_login(response, "/members/people/?q=chai")
    assert SESSION_KEY not in client.session
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT).exists()
    login_page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "logged out after 30 minutes without activity" in login_page.content.decode()


def test_a_session_used_within_the_timeout_stays_and_counts_from_the_last_request(client, officer_of):
    verified_client(client, officer_of)
    _idle_for(client, 29)
    assert client.get("/members/people/").status_code == 200
    assert abs(client.session[LAST_SEEN] - time.time()) < 5

    assert client.get("/members/people/").status_code == 200


def test_a_form_sent_after_the_timeout_changes_nothing(client, admin_user):
    verified_client(client, admin_user)
    _idle_for(client, 45)

    response = client.post(
        "/accounts/users/new/",
        {
            "username": "late_admin",
            "password": "Long-enough-pass-2025",
            "role": Role.ADMIN,
            "first_name": "",
            "email": "",
            "department": "",
            "form_token": str(uuid.uuid4()),
        },
        HTTP_REFERER="http://testserver/accounts/users/new/",
    )

    assert _sent_to_login(response, "/accounts/users/new/")
    assert not User.objects.filter(username="late_admin").exists()


def test_an_htmx_call_after_the_timeout_sends_the_whole_page_to_login(client, officer_of, member_person):
    verified_client(client, officer_of)
    _idle_for(client, 31)
    page = f"/members/people/{member_person.pk}/"

    response = client.post(
        f"{page}reveal/phone/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{page}"
    )

    assert response.status_code == 204 and _sent_to_login(response, page)
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_members_keep_the_normal_session_age(client, member_user):
    client.force_login(member_user)
    _idle_for(client, 6 * 60)

    assert client.get("/members/people/").status_code == 200
    assert SESSION_KEY in client.session


@override_settings(QIAOJIA_IDLE_TIMEOUT_MINUTES=5)
def test_the_timeout_is_a_setting(client, officer_of):
    verified_client(client, officer_of)
    _idle_for(client, 6)
    assert _sent_to_login(client.get("/members/people/"), "/members/people/")


@override_settings(QIAOJIA_IDLE_TIMEOUT_MINUTES=0)
def test_a_timeout_of_zero_turns_it_off(client, officer_of):
    verified_client(client, officer_of)
    _idle_for(client, 24 * 60)
    assert client.get("/members/people/").status_code == 200
