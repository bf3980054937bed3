"""An association registers a delegation for a flagship event: over its quota it is refused, within it
accepted; the federation approves it, prints the badges, and checks a delegate in at the door on a phone.
The public event page opens without login.

UI strings are never hard-coded: elements are found by id, name and URL."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from qiaojia.core.chinese import to_script
from qiaojia.events import services
from qiaojia.events.models import Delegate, DelegateRole, Delegation, DelegationStatus, EventStatus
from qiaojia.orgs.models import Federation

from .conftest import PHONE, click_confirmed, hidden_controls, log_in, no_horizontal_overflow

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")
SUBMIT = "main form.stacked button[type=submit]"


def submit(page, expected_status: int = 200):
    with page.expect_navigation() as navigation:
        page.locator(SUBMIT).click()
    assert navigation.value.status == expected_status


def click(page, selector: str):
    with page.expect_navigation():
        page.locator(selector).first.click()


def _open_event(*, quota: int):
    event = services.event_create(
        federation=Federation.objects.get(),
        data={
            "name": "2025知名僑商中原行",
            "slug": "qiaoshang-zhongyuan-2025",
            "starts_on": "2025-09-16",
            "place": "鄭州",
            "default_quota": quota,
            "published": True,
            "description": "邀請海外知名僑商走進中原",
        },
    )
    return services.event_set_status(event=event, expected_version=event.version, status=EventStatus.OPEN)


def test_delegation_over_quota_refused_within_accepted_and_badge_checked_in(
    new_page, live_server, federation, business_association, officer_of, staff_user, make_person
):
    make_person("鄭定輝", association=business_association)
    event = _open_event(quota=2)

    # The officer registers a delegation of three.
    page, traffic = new_page()
    log_in(page, officer_of)
    page.goto(reverse("events:event-list"))
    click(page, f"main a[href='{reverse('events:event-detail', args=[event.pk])}']")
    click(page, "#register-link")
    page.locator("#id_leader_name").fill("郑定辉")  # typed in Simplified: matched to the registered 鄭定輝
    page.locator("#id_contact_phone").fill("13912345678")
    submit(page)
    delegation = Delegation.objects.get()
    assert page.url == live_server.url + reverse("events:delegation-detail", args=[delegation.pk])
    for name, role, country in (("柴莉", DelegateRole.MEMBER, ""), ("Lim Wei", DelegateRole.OVERSEAS_GUEST, "MY")):
        click(page, "#add-delegate-link")
        page.locator("#id_name").fill(name)
        page.locator("#id_role").select_option(role)
        if country:
            page.locator("#id_country").select_option(country)
        submit(page)
    expect(page.locator("#delegate-table tbody tr")).to_have_count(3)
    assert Delegate.objects.get(role=DelegateRole.LEADER).name == "鄭定輝"

    # Over the quota: refused, and nothing changes.
    click_confirmed(page, "#submit-button")
    expect(page.locator(".messages .msg-error")).to_have_count(1)
    assert Delegation.objects.get().status == DelegationStatus.DRAFT

    # One fewer: accepted.
    member = Delegate.objects.get(name="柴莉")
    click_confirmed(page, f"#delegate-table tr[data-delegate='{member.pk}'] button.delete-delegate", expect="柴莉")
    expect(page.locator("#delegate-table tbody tr")).to_have_count(2)
    click_confirmed(page, "#submit-button")
    expect(page.locator(".messages .msg-success")).to_have_count(1)
    assert Delegation.objects.get().status == DelegationStatus.SUBMITTED
    traffic.assert_clean(live_server.url)

    # Federation staff are told of it in their inbox, open it from there, approve it and open the badges.
    desk, desk_traffic = new_page()
    log_in(desk, staff_user)
    desk.goto(reverse("notifications:inbox"))
    click(desk, "#inbox li.inbox-item[data-kind='events.submitted'] button[name=open]")
    assert desk.url == live_server.url + reverse("events:delegation-detail", args=[delegation.pk])
    click_confirmed(desk, "#approve-button")
    assert Delegation.objects.get().status == DelegationStatus.APPROVED
    click(desk, "#badges-link")
    guest = Delegate.objects.get(name="Lim Wei")
    badge = desk.locator(f".ev-badge[data-delegate='{guest.pk}']")
    expect(badge.locator("img[src^='data:image/svg+xml;base64,']")).to_have_count(1)
    link = badge.locator("a.check-in-link").get_attribute("href")
    assert link.endswith(reverse("events:check-in", args=[event.pk, guest.badge_token]))
    if SCREENSHOTS:
        desk.screenshot(path=os.path.join(SCREENSHOTS, "event-badges.png"), full_page=True)
    desk_traffic.assert_clean(live_server.url)

    # At the door: staff open the badge's link on a phone and check the guest in.
    phone, phone_traffic = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone, staff_user)
    response = phone.goto(link)
    assert response.status == 200
    expect(phone.locator("#delegate-name")).to_have_text("Lim Wei")
    phone.locator("#check-in-button").scroll_into_view_if_needed()
    assert hidden_controls(phone, "#check-in-button") == []
    fits, width, inner = no_horizontal_overflow(phone)
    assert fits, f"check-in page is {width}px wide on a {inner}px screen"
    with phone.expect_navigation():
        phone.locator("#check-in-button").click()
    expect(phone.locator("#check-in-result.alert-success")).to_contain_text("Lim Wei")
    first = Delegate.objects.get(pk=guest.pk).checked_in_at
    assert first is not None
    # A second scan says when the guest came in and changes nothing.
    phone.goto(link)
    expect(phone.locator("#check-in-button")).to_have_count(0)
    expect(phone.locator("#check-in-result.alert-warning")).to_have_count(1)
    assert Delegate.objects.get(pk=guest.pk).checked_in_at == first
    if SCREENSHOTS:
        phone.screenshot(path=os.path.join(SCREENSHOTS, "event-check-in.png"), full_page=True)
    phone_traffic.assert_clean(live_server.url)

    # The public page, without login: counts, no names.
    public, public_traffic = new_page(viewport=PHONE)
    response = public.goto(reverse("events:event-public", args=[event.slug]))
    assert response.status == 200
    expect(public.locator("h1")).to_have_text(to_script(event.name, "zh-hans"))  # the visitor's script
    expect(public.locator("#count-delegations")).to_have_text("1")
    expect(public.locator("#count-countries")).to_have_text("1")
    assert "Lim Wei" not in public.content() and "鄭定輝" not in public.content()
    public_traffic.assert_clean(live_server.url)
