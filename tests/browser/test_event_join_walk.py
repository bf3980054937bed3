"""A member, on a phone, asks from My page to join their association's delegation to a flagship event open to
members' requests; the association's officer, told by a notice, confirms the request on the delegation's page;
the member sees the confirmation on My page and is among the delegates. Elements are found by id and URL."""

import pytest
from django.urls import reverse

from conftest import TEST_PASSWORD
from qiaojia.events.models import Delegate, JoinRequest, JoinRequestStatus
from qiaojia.events.tests.world import make_join_event
from qiaojia.notifications.models import Notification

from .conftest import PHONE, log_in, no_horizontal_overflow

pytestmark = pytest.mark.browser


def test_member_asks_officer_confirms_member_sees_it(
    new_page, live_server, federation, member_user, business_association, officer_of
):
    event = make_join_event()
    member, member_traffic = new_page(locale="zh-TW", viewport=PHONE, is_mobile=True, has_touch=True)
    member.goto("/accounts/login/")  # a member has no second factor: the password alone logs in
    member.locator("#id_username").fill(member_user.username)
    member.locator("#id_password").fill(TEST_PASSWORD)
    with member.expect_navigation():
        member.locator("form.stacked button[type=submit]").click()
    member.goto(reverse("home:mine"))
    with member.expect_navigation():
        member.locator("#joinable-events-link").click()
    row = member.locator(f"#joinable-{event.pk}-{business_association.pk}")
    fits, width, inner = no_horizontal_overflow(member)
    assert fits, f"the events open to members scroll sideways on a phone: {width} > {inner}"
    row.locator("input[name=note]").fill("盼隨團參加")
    with member.expect_navigation():
        row.locator("button[type=submit]").click()
    request = JoinRequest.objects.get(event=event, person=member_user.person)
    assert member.url.split("#")[0] == live_server.url + reverse("home:mine")
    mine = member.locator(f"#my-join-request-table tr[data-join-request='{request.pk}']")
    assert mine.locator("[data-status=pending]").count() == 1

    officer, officer_traffic = new_page()
    log_in(officer, officer_of)
    notice = Notification.objects.get(recipient=officer_of, kind="events.join_requested")
    officer.goto(reverse("notifications:inbox"))
    read = reverse("notifications:notification-read", args=[notice.pk])
    with officer.expect_navigation():
        officer.locator(f"#inbox form[action='{read}'] button[name=open]").click()
    assert officer.url.split("#")[0] == live_server.url + reverse(
        "events:delegation-detail", args=[request.delegation_id]
    )
    with officer.expect_navigation():
        officer.locator(f"tr[data-join-request='{request.pk}'] button.confirm-join").click()
    assert Delegate.objects.filter(delegation=request.delegation, person=member_user.person).exists()
    assert officer.locator(f"tr[data-join-request='{request.pk}'] [data-status=confirmed]").count() == 1
    officer_traffic.assert_clean(live_server.url)

    member.goto(reverse("home:mine"))
    mine = member.locator(f"#my-join-request-table tr[data-join-request='{request.pk}']")
    assert mine.locator("[data-status=confirmed]").count() == 1
    assert mine.locator("button[type=submit]").count() == 0  # decided: nothing left to withdraw
    assert member.locator("#my-events").count() == 1  # and the member is in the delegation
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.CONFIRMED
    member_traffic.assert_clean(live_server.url)
