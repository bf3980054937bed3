"""Which language a page is served in: the explicit choice, the user's stored language, the browser's."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import verified_client
from qiaojia.core.models import AuditAction, AuditEntry

SET_LANGUAGE_URL = reverse("accounts:set-language")


def _served_language(response) -> str:
    assert response.status_code == 200
    return response["Content-Language"]


def test_set_language_sets_the_cookie_and_stores_the_users_language(client, officer_of):
    verified_client(client, officer_of)

    response = client.post(SET_LANGUAGE_URL, {"language": "zh-hant", "next": "/members/people/"})

    assert response.status_code == 302
    assert response["Location"] == "/members/people/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hant"
    officer_of.refresh_from_db()
    assert officer_of.language == "zh-hant"
    assert AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(officer_of.pk)).changes == {
        "language": ["", "zh-hant"]
    }
    assert _served_language(client.get("/members/people/")) == "zh-hant"


def test_set_language_twice_is_not_a_conflict(client, officer_of):
    verified_client(client, officer_of)
    client.post(SET_LANGUAGE_URL, {"language": "en"})
    client.post(SET_LANGUAGE_URL, {"language": "zh-hant"})
    officer_of.refresh_from_db()
    assert officer_of.language == "zh-hant"


def test_set_language_for_anonymous_sets_only_the_cookie(client):
    response = client.post(SET_LANGUAGE_URL, {"language": "en", "next": "/accounts/login/"})
    assert response["Location"] == "/accounts/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert _served_language(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-TW")) == "en"


@pytest.mark.parametrize("language", ["fr", "zh-tw", "", "x" * 40])
def test_set_language_ignores_a_language_we_do_not_offer(client, member_user, language):
    verified_client(client, member_user)
    response = client.post(SET_LANGUAGE_URL, {"language": language})
    assert response.status_code == 302
    member_user.refresh_from_db()
    assert member_user.language == ""
    assert not AuditEntry.objects.filter(object_id=str(member_user.pk), action=AuditAction.UPDATE).exists()


def test_set_language_refuses_get(client):
    assert client.get(SET_LANGUAGE_URL).status_code == 405


def test_set_language_does_not_redirect_off_site(client):
    response = client.post(SET_LANGUAGE_URL, {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_stored_language_wins_over_the_browser_on_a_new_browser(member_user):
    member_user.language = "zh-hant"
    member_user.save(update_fields=["language"])
    browser = verified_client(Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"), member_user)

    response = browser.get("/members/people/")

    assert settings.LANGUAGE_COOKIE_NAME not in browser.cookies
    assert _served_language(response) == "zh-hant"
    assert '<html lang="zh-hant">' in response.content.decode()


def test_the_choice_made_in_this_browser_wins_over_the_stored_language(member_user):
    member_user.language = "zh-hant"
    member_user.save(update_fields=["language"])
    browser = verified_client(Client(), member_user)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    assert _served_language(browser.get("/members/people/", HTTP_ACCEPT_LANGUAGE="zh-CN")) == "en"


def test_a_user_without_a_stored_language_gets_the_browsers(member_user):
    browser = verified_client(Client(), member_user)
    assert _served_language(browser.get("/members/people/", HTTP_ACCEPT_LANGUAGE="en-GB")) == "en"


@pytest.mark.parametrize(
    ("accept_language", "served"),
    [
        ("zh-TW", "zh-hant"),
        ("zh-HK", "zh-hant"),
        ("zh-MO", "zh-hant"),
        ("zh-Hant-TW", "zh-hant"),
        ("zh-CN", "zh-hans"),
        ("zh-SG", "zh-hans"),
        ("zh", "zh-hans"),
        ("en-US,en;q=0.9", "en"),
        ("fr-FR,de;q=0.8", settings.LANGUAGE_CODE),
        ("zh-HK,zh-TW;q=0.9,en;q=0.8", "zh-hant"),
    ],
)
def test_anonymous_visitors_get_the_browsers_language(client, db, accept_language, served):
    assert _served_language(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept_language)) == served


def test_the_default_language_is_simplified_chinese(client, db):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert _served_language(client.get("/accounts/login/")) == "zh-hans"


def test_the_page_text_follows_the_language(client, db):
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    traditional = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert "Log in" in english
    assert "Log in" not in traditional
