"""An account's owner looks after their password in a real browser: a forgotten password is reset through the
link in the e-mail (read from Django's locmem outbox, as the console backend would print it), and a known one
is changed from the menu. Elements are found by id, name and URL, never by their translated text."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from conftest import TEST_PASSWORD
from qiaojia.accounts.models import User

from .conftest import log_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Lotus-pond-2031"
SUBMIT = "main form.stacked button[type=submit]"
LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)")


@pytest.fixture(autouse=True)
def _fresh_limits(transactional_db):
    cache.clear()
    yield
    cache.clear()


def _ask_for_a_link(page, email):
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.locator("#forgot-password").click()
    page.locator("#id_email").fill(email)
    with page.expect_navigation():
        page.locator(SUBMIT).click()
    expect(page.locator("#reset-sent")).to_be_visible()


def test_a_member_resets_a_forgotten_password_through_the_emailed_link(page, live_server, member_user, mailoutbox):
    User.objects.filter(pk=member_user.pk).update(email="chai.li@example.com")

    _ask_for_a_link(page, "nobody@example.com")  # an address with no account: the same page, and no mail
    assert mailoutbox == []
    _ask_for_a_link(page, "Chai.Li@example.com")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["chai.li@example.com"]
    link = LINK.search(mailoutbox[0].body).group(1)

    page.goto(link)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.locator(SUBMIT).click()
    expect(page.locator("#reset-complete")).to_be_visible()

    page.goto(link)  # the link worked once
    expect(page.locator("#reset-invalid")).to_be_visible()

    page.goto("/accounts/login/")
    page.locator("#id_username").fill(member_user.username)
    page.locator("#id_password").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.locator(SUBMIT).click()
    assert page.url.rstrip("/") == live_server.url, page.url
    expect(page.locator("nav.sidenav a[href='/me/']")).to_be_visible()
    page.traffic.assert_clean(live_server.url)


def test_an_officer_changes_their_password_from_the_menu(page, live_server, officer_of):
    log_in(page, officer_of)
    with page.expect_navigation():
        page.locator("nav.sidenav a[href='/accounts/password/']").click()
    page.locator("#id_old_password").fill("not-my-password")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.locator(SUBMIT).click()
    expect(page.locator("#field-old_password .errorlist")).to_be_visible()

    page.locator("#id_old_password").fill(TEST_PASSWORD)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.locator(SUBMIT).click()
    assert page.url.endswith("/accounts/security/"), page.url
    expect(page.locator(".messages .msg-success")).to_be_visible()
    expect(page.locator("#second-factor")).to_be_visible()  # still logged in, on the security page

    with page.expect_navigation():
        page.locator("header form[action='/accounts/logout/'] button").click()
    log_in(page, officer_of, password=NEW_PASSWORD)
    page.traffic.assert_clean(live_server.url)
