"""The officer's walk through the registry, in a real browser (the issue's browser acceptance).

UI strings are never hard-coded: elements are found by id, name, role and URL, languages are checked
on html[lang], and a translated message is compared with the catalogue's own translation.
"""

import os
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from conftest import make_id_number
from qiaojia.core.chinese import to_script
from qiaojia.members.models import Membership, Person

from .conftest import PHONE, hidden_controls, log_in, no_horizontal_overflow

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")  # a folder: the tests then save what they saw
SUBMIT = "main form.stacked button[type=submit]"
HEADER_CONTROLS = "header.topbar a, header.topbar button"


def translated(message: str, language: str) -> str:
    with translation.override(language):
        return str(_(message))


def switch_language(page, code: str) -> None:
    """Press the header's language button; the switch posts and comes back to the same page."""
    button = page.locator(f"form.lang-switch button[name=language][value='{code}']")
    with page.expect_navigation():
        button.click()
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(button).to_have_attribute("aria-current", "true")


def test_officer_edits_association_profile_in_traditional(page, live_server, officer_of, business_association):
    log_in(page, officer_of)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")  # the browser asks for zh-CN

    # The header switcher shows its three choices as buttons; 繁體 is one of them by its accessible name.
    expect(page.locator("form.lang-switch button[name=language]")).to_have_count(3)
    with page.expect_navigation():
        page.get_by_role("button", name="繁體", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    officer_of.refresh_from_db()
    assert officer_of.language == "zh-hant"  # remembered for the user, not only in this browser

    detail_url = reverse("orgs:association-detail", args=[business_association.pk])
    edit_url = reverse("orgs:association-edit", args=[business_association.pk])
    page.locator(f"nav.sidenav a[href='{reverse('orgs:association-list')}']").click()
    page.wait_for_url(live_server.url + reverse("orgs:association-list"))
    page.get_by_role("link", name=business_association.name, exact=True).click()
    page.wait_for_url(live_server.url + detail_url)
    page.locator(f"main a[href='{edit_url}']").click()
    page.wait_for_url(live_server.url + edit_url)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")

    # Registration facts are the federation's: an officer sees them but cannot change them.
    expect(page.locator("#id_name")).to_be_disabled()
    expect(page.locator("#id_credit_code")).to_be_disabled()
    name_en = "Henan Overseas Chinese Chamber of Commerce"
    address = "鄭州市金水區花園路 66 號"
    description = "促进华侨华人投资合作。\n每年举办两次年会。"  # typed in Simplified, read in Traditional
    page.locator("#id_name_en").fill(name_en)
    page.locator("#id_address").fill(address)
    page.locator("#id_description").fill(description)
    with page.expect_navigation() as navigation:
        page.locator(SUBMIT).click()
    assert navigation.value.status == 200
    assert page.url == live_server.url + detail_url

    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page.locator("ul.messages li")).to_have_text(translated("Saved.", "zh-hant"))
    profile = page.locator("main dl.props").first
    expect(profile).to_contain_text(name_en)
    expect(profile).to_contain_text(address)
    for line in to_script(description, "zh-hant").splitlines():
        expect(profile).to_contain_text(line)
    business_association.refresh_from_db()
    assert (business_association.name_en, business_association.address) == (name_en, address)
    assert business_association.description.replace("\r\n", "\n") == description  # stored as typed

    page.traffic.assert_clean(live_server.url)


def test_officer_adds_member_in_english(page, live_server, officer_of, business_association):
    log_in(page, officer_of)
    switch_language(page, "en")

    people_url = reverse("members:person-list")
    create_url = reverse("members:person-create")
    page.locator(f"nav.sidenav a[href='{people_url}']").click()
    page.wait_for_url(live_server.url + people_url)
    page.get_by_role("link", name=translated("Add member", "en"), exact=True).click()
    page.wait_for_url(live_server.url + create_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    valid_id = make_id_number(321, "19850312")
    wrong_check = next(c for c in "0123456789X" if c != valid_id[-1])
    bad_id = valid_id[:-1] + wrong_check
    name = "鄭秀蘭"
    page.locator("#id_name").fill(name)
    page.locator("#id_name_en").fill("Zheng Xiulan")
    page.locator("#id_gender").select_option("f")
    page.locator("#id_birth_date").fill("1985-03-12")
    page.locator("#id_overseas_status").select_option("returned")
    page.locator("#id_country").select_option("CN")
    page.locator("#id_phone").fill("138 1234 1234")
    page.locator("#id_id_kind").select_option("resident_id")
    page.locator("#id_id_number").fill(bad_id)
    page.locator("#id_consent").check()
    expect(page.locator("#id_association")).to_have_value(str(business_association.pk))  # the only choice

    with page.expect_navigation() as navigation:
        page.locator(SUBMIT).click()
    assert navigation.value.status == 400
    assert page.url == live_server.url + create_url
    id_field = page.locator("#field-id_number")
    expect(id_field).to_have_class(re.compile(r"\bhas-error\b"))
    expect(page.locator("#id_id_number")).to_have_attribute("aria-invalid", "true")
    expect(id_field.locator(".errorlist")).to_contain_text(
        translated("The check character of this ID number is wrong; please check the number.", "en")
    )
    expect(page.locator("main .errorlist")).to_have_count(1)  # only the ID number is wrong
    expect(page.locator("#id_name")).to_have_value(name)  # what was typed is kept
    expect(page.locator("#id_consent")).to_be_checked()
    assert Person.objects.count() == 0
    assert Membership.objects.count() == 0

    page.locator("#id_id_number").fill(valid_id)
    with page.expect_navigation() as navigation:
        page.locator(SUBMIT).click()
    assert navigation.value.status == 200
    assert page.url == f"{live_server.url}{people_url}?association={business_association.pk}"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("ul.messages li")).to_have_text(translated("Saved.", "en"))

    person = Person.objects.get()
    assert person.name == name and person.phone == "+8613812341234" and person.consent_at is not None
    assert person.memberships.get().association_id == business_association.pk
    row = page.locator("#person-table tbody tr").filter(
        has=page.locator(f"a[href='{reverse('members:person-detail', args=[person.pk])}']")
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text(name)
    expect(row).to_contain_text("138****1234")
    expect(row).to_contain_text(valid_id[:3] + "*" * 11 + valid_id[-4:])
    html = page.content()
    for full in ("13812341234", "+8613812341234", "138 1234 1234", valid_id, bad_id):
        assert full not in html, f"{full} is in the page"
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "people.png"), full_page=True)

    page.traffic.assert_clean(live_server.url)


def test_officer_of_another_association_cannot_open_the_member(
    new_page, live_server, officer_of_other, business_association, make_person
):
    person = make_person(
        "鄭秀蘭", association=business_association, phone="+8613812341234", id_number=make_id_number(321, "19850312")
    )
    page, traffic = new_page(locale="zh-TW")
    log_in(page, officer_of_other)

    response = page.goto(reverse("members:person-detail", args=[person.pk]))
    assert response.status == 404
    assert person.name not in page.content()
    response = page.goto(reverse("members:person-edit", args=[person.pk]))
    assert response.status == 404
    assert person.name not in page.content()
    response = page.goto(reverse("members:person-list"))
    assert response.status == 200
    assert person.name not in page.content()

    traffic.assert_clean(live_server.url)


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_phone_screen_has_no_sideways_scroll(
    new_page, live_server, officer_of, business_association, make_person, locale
):
    for n, (name, name_en) in enumerate(
        [
            ("歐陽明遠", "Ouyang Mingyuan"),
            ("司馬晴", "Sima Qing"),
            ("鄭定輝", "Zheng Dinghui, Chairman of the Board of Directors"),
        ]
    ):
        make_person(
            name,
            association=business_association,
            name_en=name_en,
            phone=f"+861381234{n:04d}",
            id_number=make_id_number(n + 1, "19700101"),
            overseas_status="returned",
            country="MY",
        )
    page, traffic = new_page(locale=locale, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3)

    def assert_fits(what):
        fits, width, inner = no_horizontal_overflow(page)
        assert fits and width <= PHONE["width"] + 1, f"{what}: page is {width}px wide on a {inner}px screen"

    page.goto(reverse("accounts:login"))
    assert_fits("login page")
    assert hidden_controls(page, HEADER_CONTROLS) == []
    log_in(page, officer_of)
    response = page.goto(f"{reverse('members:person-list')}?association={business_association.pk}")
    assert response.status == 200
    expect(page.locator("#person-table tbody tr")).to_have_count(3)
    assert_fits("people list")
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"people-phone-{locale}.png"), full_page=True)

    traffic.assert_clean(live_server.url)


def test_phone_header_keeps_language_switch_and_logout_reachable(new_page, live_server, officer_of):
    page, traffic = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3)
    log_in(page, officer_of)
    page.goto(reverse("members:person-list"))
    assert hidden_controls(page, HEADER_CONTROLS) == []
    switch_language(page, "zh-hant")
    traffic.assert_clean(live_server.url)
