"""The shared calendar in a browser: an officer opens the month, narrows it by association type, country and
city (htmx swaps the calendar and the address follows), switches to the list, goes to the next month, and
opens another association's public activity from it; then the same on a phone, in English, without sideways
scrolling. UI strings are never hard-coded: elements are found by id, name and URL."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import TEST_PASSWORD
from qiaojia.activities.tests.world import make_activity
from qiaojia.core.chinese import to_script

from .conftest import PHONE, log_in, no_horizontal_overflow

pytestmark = pytest.mark.browser


def hans(text: str) -> str:
    """`text` as a zh-Hans page shows it (pages leave the server in the reader's script)."""
    return to_script(text, "zh-hans")


@pytest.fixture
def calendar_items(business_association, other_association):
    make_activity(
        business_association,
        title="僑商出海論壇",
        starts_on=datetime.date(2026, 5, 12),
        data={"is_public": True, "city": "吉隆坡", "country": "MY"},
    )
    make_activity(
        other_association,
        title="歸僑聯誼公開日",
        starts_on=datetime.date(2026, 5, 20),
        data={"is_public": True, "city": "洛陽"},
    )
    make_activity(other_association, title="歸聯會內部籌備", starts_on=datetime.date(2026, 5, 21))
    make_activity(
        other_association, title="六月歸僑座談", starts_on=datetime.date(2026, 6, 3), data={"is_public": True}
    )


def test_an_officer_walks_the_calendar_with_filters(new_page, officer_of, calendar_items, other_association):
    page, traffic = new_page()
    log_in(page, officer_of)
    page.goto(reverse("home:calendar-list") + "?month=2026-05")
    grid = page.locator("#calendar-grid")
    expect(grid).to_contain_text(hans("僑商出海論壇"))
    expect(grid).to_contain_text(hans("歸僑聯誼公開日"))
    expect(grid).not_to_contain_text(hans("歸聯會內部籌備"))

    page.locator("#id_kind").select_option("business")  # htmx: the calendar is swapped, the page stays
    expect(page.locator("#calendar-grid")).not_to_contain_text(hans("歸僑聯誼公開日"))
    expect(page.locator("#calendar-grid")).to_contain_text(hans("僑商出海論壇"))
    assert "kind=business" in page.url

    page.locator("#id_kind").select_option("")
    page.locator("#id_country").select_option("MY")
    expect(page.locator("#calendar-grid")).not_to_contain_text(hans("歸僑聯誼公開日"))
    page.locator("#id_country").select_option("")
    page.locator("#id_city").fill("洛陽")
    page.locator("#id_city").press("Enter")
    expect(page.locator("#calendar-grid")).not_to_contain_text(hans("僑商出海論壇"))
    expect(page.locator("#calendar-grid")).to_contain_text(hans("歸僑聯誼公開日"))

    page.locator("#id_city").fill("")
    page.locator("#id_view").select_option("list")
    expect(page.locator("#calendar-list")).to_contain_text(hans("僑商出海論壇"))
    feed = page.locator("#calendar-feed").get_attribute("href")
    assert feed.startswith(reverse("home:calendar-feed")) and "view=list" in feed

    page.locator("#calendar-next").click()
    expect(page.locator("#calendar-list")).to_contain_text(hans("六月歸僑座談"))
    assert "month=2026-06" in page.url
    page.locator("#id_view").select_option("month")  # a filter changed after "Next month" stays in June
    expect(page.locator("#calendar-grid")).to_contain_text(hans("六月歸僑座談"))
    assert "month=2026-06" in page.url
    page.locator("#id_view").select_option("list")
    expect(page.locator("#calendar-list")).to_contain_text(hans("六月歸僑座談"))
    with page.expect_navigation():
        page.locator("#calendar-list a", has_text=hans("六月歸僑座談")).click()
    expect(page.locator("h1")).to_contain_text(hans("六月歸僑座談"))
    expect(page.locator("#edit-activity")).to_have_count(0)
    traffic.assert_clean(page.url.split("/activities")[0])


def test_the_calendar_reads_on_a_phone_in_english(new_page, member_user, calendar_items):
    page, traffic = new_page(locale="en-GB", viewport=PHONE, is_mobile=True, has_touch=True)
    # A member owes no second factor: the password alone signs in.
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(member_user.username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("form.stacked button[type=submit]").click()
    page.goto(reverse("home:calendar-list") + "?month=2026-05")
    assert page.locator("html").get_attribute("lang") == "en"
    fits, width, inner = no_horizontal_overflow(page)
    assert fits, f"the calendar scrolls sideways on a phone: {width} > {inner}"
    expect(page.locator("#calendar-grid td[data-date='2026-05-12']")).to_be_visible()
    expect(page.locator("#calendar-grid td[data-date='2026-05-13']")).to_be_hidden()  # empty days fold away
    expect(page.locator("#calendar-grid")).not_to_contain_text(hans("歸聯會內部籌備"))
