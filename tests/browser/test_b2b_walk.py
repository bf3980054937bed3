"""B2B meetings at a flagship event, on a phone: an association's officer opens the event's B2B page, asks
another association's enterprise for a meeting in the first slot (the page asks before booking), lands on
the enterprise's agenda with the meeting waiting for an answer; the other officer accepts it from their own
agenda, which then shows the table; the agenda's PDF downloads. Nothing scrolls sideways."""

import subprocess

import pytest
from django.urls import reverse

from qiaojia.events.tests.world import approve, make_delegation, make_event
from qiaojia.trade.b2b.models import BusinessMeeting, MeetingStatus
from qiaojia.trade.tests.b2b_world import join, open_session, second_enterprise

from .conftest import PHONE, click_confirmed, log_in, no_horizontal_overflow

pytestmark = pytest.mark.browser


def test_booking_a_slot_and_reading_the_agenda_on_a_phone(
    new_page, live_server, tmp_path, federation, business_association, other_association, officer_of, officer_of_other
):
    event = make_event()
    for association in (business_association, other_association):
        approve(make_delegation(event, association, submit=True))
    session = open_session(event, slots=4, tables=3)
    ours = join(session, second_enterprise(business_association, "中原光伏有限公司"), business_association)
    theirs = join(
        session,
        second_enterprise(other_association, "檳城貿易有限公司"),
        other_association,
        offers_text="馬來西亞光伏分銷",
    )
    first_slot = session.slots.order_by("starts_at").first()

    phone, traffic = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone, officer_of)
    phone.goto(reverse("trade:b2b-detail", args=[session.pk]))
    fits, width, inner = no_horizontal_overflow(phone)
    assert fits, f"the B2B page scrolls sideways on a phone: {width} > {inner}"
    assert phone.locator(f"[data-participant='{theirs.pk}']").count() == 1
    phone.locator("#id_invitee").select_option(str(theirs.pk))
    phone.locator("#id_slot").select_option(str(first_slot.pk))
    phone.locator("#id_message").fill("想談光伏組件分銷")
    click_confirmed(phone, "#request-submit")
    meeting = BusinessMeeting.objects.get(requester=ours, invitee=theirs)
    assert phone.url.split("#")[0] == live_server.url + reverse("trade:b2b-agenda", args=[ours.pk])
    card = phone.locator(f"#agenda [data-meeting='{meeting.pk}']")
    assert card.locator("[data-status=requested]").count() == 1
    fits, width, inner = no_horizontal_overflow(phone)
    assert fits, f"the agenda scrolls sideways on a phone: {width} > {inner}"
    traffic.assert_clean(live_server.url)

    other, other_traffic = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(other, officer_of_other)
    other.goto(reverse("trade:b2b-agenda", args=[theirs.pk]))
    click_confirmed(other, f"[data-accept='{meeting.pk}']")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED and meeting.table is not None
    card = other.locator(f"#agenda [data-meeting='{meeting.pk}']")
    assert card.locator("[data-status=accepted]").count() == 1
    other_traffic.assert_clean(live_server.url)  # before the download, which the browser reports as aborted
    with other.expect_download() as download:
        other.locator("#agenda-pdf").click()
    path = tmp_path / "agenda.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "中原光伏有限公司" in "".join(text.split())

    phone.goto(reverse("trade:b2b-agenda", args=[ours.pk]))
    assert phone.locator(f"#agenda [data-meeting='{meeting.pk}'] [data-status=accepted]").count() == 1
