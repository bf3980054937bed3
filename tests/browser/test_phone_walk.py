"""The phone layout (390 × 844), walked in a real browser on the demo world: for each role (admin, staff,
officer, member) every page the menu leads to keeps the header within 120 px, does not scroll sideways,
and shows its main heading without scrolling; the menu collapses behind a button that opens and closes it
with the mouse, a finger or the keyboard.

UI strings are never hard-coded: elements are found by id, class, role attributes and URL.
"""

import os

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from qiaojia.accounts.models import User
from qiaojia.demo.loader import load

from .conftest import PHONE, hidden_controls, log_in_demo, no_horizontal_overflow

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")
HEADER_LIMIT = 120
LANGUAGES = ("zh-hans", "zh-hant", "en")
# Each role walks every menu page in one language; every role sees its overview in all three.
ROLES = {"admin": "zh-hans", "staff": "zh-hant", "officer": "en", "member": "zh-hans"}


@pytest.fixture
def demo_world(transactional_db):
    load(people=120, enterprises=20)
    for user in User.objects.filter(username__in=ROLES):
        if user.needs_second_factor:
            TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def layout_problems(page, what: str) -> list[str]:
    """What keeps the page's own task off a phone's first screen."""
    problems = []
    header = page.locator("header.topbar").bounding_box()
    if header["height"] > HEADER_LIMIT:
        problems.append(f"{what}: the header is {header['height']:.0f} px high")
    fits, width, inner = no_horizontal_overflow(page)
    if not fits:
        problems.append(f"{what}: the page is {width} px wide on a {inner} px screen")
    heading = page.locator("main h1").first
    if heading.count() == 0:
        problems.append(f"{what}: no main heading")
    else:
        box = heading.bounding_box()
        if box is None or box["y"] < 0 or box["y"] + box["height"] > PHONE["height"]:
            problems.append(f"{what}: the main heading is at {box} on an {PHONE['height']} px screen")
    if page.locator("nav.sidenav").is_visible():
        problems.append(f"{what}: the menu is open before anyone opened it")
    return problems


def menu_links(page) -> list[str]:
    """Open the menu with its button, read where it leads, close it again with Escape."""
    toggle = page.locator("button.menu-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("nav.sidenav")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("nav.sidenav")).to_be_visible()
    links = page.locator("nav.sidenav a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"phone-menu-open-{len(links)}.png"))
    # The first links are within a finger's reach right under the header.
    assert hidden_controls(page, "nav.sidenav a:first-of-type") == []
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("nav.sidenav")).to_be_hidden()
    expect(toggle).to_be_focused()
    return links


@pytest.mark.parametrize("role", list(ROLES))
def test_every_menu_page_fits_a_phone(new_page, live_server, demo_world, role):
    language = ROLES[role]
    User.objects.filter(username=role).update(language=language)
    page, traffic = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3)
    log_in_demo(page, role)
    expect(page.locator("html")).to_have_attribute("lang", language)
    problems = layout_problems(page, f"{role}'s first page")
    links = menu_links(page)
    assert len(links) >= 5, links

    # By the keyboard: Tab to the menu button, Enter opens the menu, a link in it is the next stop.
    page.goto(links[0])
    page.locator("button.menu-toggle").focus()
    page.keyboard.press("Enter")
    expect(page.locator("nav.sidenav")).to_be_visible()
    with page.expect_navigation():
        page.locator("nav.sidenav a").nth(1).click()
    assert page.url.endswith(links[1]), page.url
    expect(page.locator("nav.sidenav")).to_be_hidden()

    walked = 0
    for href in dict.fromkeys(links):
        response = page.goto(href)
        assert response.status < 500, f"{href}: {response.status}"
        if response.status != 200:
            continue  # a menu link that leads nowhere is the menu walk's concern, not the layout's
        walked += 1
        problems += layout_problems(page, f"{role} {href}")
        if SCREENSHOTS:
            name = href.strip("/").replace("/", "-") or "home"
            page.screenshot(path=os.path.join(SCREENSHOTS, f"phone-{role}-{name}.png"))
    assert walked >= len(set(links)) - 2
    # The overview in the other languages: their words are longer or shorter, the header holds.
    for code in LANGUAGES:
        User.objects.filter(username=role).update(language=code)
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", code)
        problems += layout_problems(page, f"{role}'s overview in {code}")
    assert not problems, "\n".join(problems)
    traffic.assert_clean(live_server.url)


def test_a_visitor_on_a_phone_has_no_menu_button(new_page, live_server, demo_world):
    page, traffic = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/news/")
    expect(page.locator("button.menu-toggle")).to_have_count(0)
    assert page.locator("header.topbar").bounding_box()["height"] <= HEADER_LIMIT
    assert no_horizontal_overflow(page)[0]
    traffic.assert_clean(live_server.url)


def test_on_a_wide_screen_the_menu_is_always_open(new_page, live_server, demo_world):
    page, traffic = new_page()
    log_in_demo(page, "staff")
    expect(page.locator("button.menu-toggle")).to_be_hidden()
    expect(page.locator("nav.sidenav")).to_be_visible()
    traffic.assert_clean(live_server.url)
