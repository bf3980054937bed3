"""Staff set up a meeting in a few clicks: an association's officers at once, a list pasted from a
spreadsheet (checked in a preview), members found with the picker by pinyin initials, and the agenda in
one form; a stray click on a status button asks first.

UI strings are never hard-coded: elements are found by id, name and URL."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from qiaojia.core.chinese import to_script
from qiaojia.meetings.models import AgendaItem, Meeting, MeetingStatus, Participant
from qiaojia.meetings.tests.world import make_meeting
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationTitle

from .conftest import click_confirmed, log_in

pytestmark = pytest.mark.browser


def test_staff_set_up_a_meeting_with_bulk_participants_and_the_picker(
    new_page, live_server, staff_user, federation, business_association, other_association, make_person
):
    president = make_person("鄭定輝", association=business_association, phone="+8613912345678")
    org_services.term_create(
        association=business_association,
        data={"person": president, "title": AssociationTitle.PRESIDENT, "starts_on": datetime.date(2024, 12, 18)},
    )
    secretary = make_person("李秘書", association=business_association)
    org_services.term_create(
        association=business_association,
        data={
            "person": secretary,
            "title": AssociationTitle.SECRETARY_GENERAL,
            "starts_on": datetime.date(2024, 12, 18),
        },
    )
    pasted_one = make_person("王建國", association=other_association, phone="+8613812345670")
    picked = make_person("張德華", association=other_association)
    meeting = make_meeting(
        None, title="所屬社團2026年度工作會議", starts_at=timezone.now() + datetime.timedelta(days=3)
    )

    page, traffic = new_page()
    log_in(page, staff_user)
    page.goto(reverse("meetings:meeting-detail", args=[meeting.pk]))

    # A stray click on "cancelled" asks first; dismissed, nothing changes.
    cancel = page.locator("form[action$='/status/'] input[value='cancelled'] ~ button")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    cancel.click()
    page.wait_for_timeout(500)
    assert questions and to_script(meeting.title, "zh-hans") in questions[0]  # asked in the reader's script
    meeting.refresh_from_db()
    assert meeting.status != MeetingStatus.CANCELLED

    page.locator("#participant-bulk-link").click()
    page.locator("#id_officers_of").select_option(str(business_association.pk))
    page.locator("#id_role").select_option("attends")
    # The picker: initials find 張德華 (registered in Traditional), and ticking keeps him among the chosen.
    with page.expect_response(lambda r: "/people/pick/" in r.url and "q=zdh" in r.url):
        page.locator("#id_people").fill("zdh")
    suggestion = page.locator(f"[data-picker-suggestions] input[value='{picked.pk}']")
    expect(suggestion).to_be_visible()
    suggestion.check()
    expect(page.locator(f"[data-picker-chosen] input[value='{picked.pk}']")).to_be_checked()
    with page.expect_response(lambda r: "/people/pick/" in r.url and "zhang" in r.url):
        page.locator("#id_people").fill("zhang dehua")  # a new search does not lose the chosen
    expect(page.locator("[data-picker-suggestions] li")).to_have_count(1)
    expect(page.locator(f"[data-picker-chosen] input[value='{picked.pk}']")).to_be_checked()
    page.locator("#id_pasted").fill("姓名\t手機\n王建国\t13812345670\n查無此人\n")

    # The pasted list is matched and shown first; nothing is added yet.
    with page.expect_navigation():
        page.locator("#bulk-submit").click()
    expect(page.locator("#preview-lines tr[data-outcome='matched']")).to_have_count(1)
    expect(page.locator("#preview-lines tr[data-outcome='unmatched']")).to_have_count(1)
    expect(page.locator(f"[data-picker-chosen] input[value='{picked.pk}']")).to_be_checked()
    assert not Participant.objects.filter(meeting=meeting).exists()
    with page.expect_navigation():
        page.locator("#bulk-submit").click()
    assert set(Participant.objects.filter(meeting=meeting).values_list("person_id", flat=True)) == {
        president.pk,
        secretary.pk,
        picked.pk,
        pasted_one.pk,
    }
    expect(page.locator("#participant-table tbody tr")).to_have_count(4)

    # The agenda in one form.
    page.locator("#agenda-bulk-link").click()
    page.locator("#id_form-0-kind").select_option("study")
    page.locator("#id_form-0-title").fill("集體學習")
    page.locator("#id_form-0-document").fill("《省僑聯2026年工作要點》")
    page.locator("#id_form-1-kind").select_option("discussion")
    page.locator("#id_form-1-title").fill("討論")
    page.locator("#id_form-2-kind").select_option("closing_address")
    page.locator("#id_form-2-title").fill("主席講話")
    with page.expect_navigation():
        page.locator("#agenda-bulk-submit").click()
    assert list(AgendaItem.objects.filter(meeting=meeting).order_by("order").values_list("kind", flat=True)) == [
        "study",
        "discussion",
        "closing_address",
    ]
    expect(page.locator("ol.agenda > li")).to_have_count(3)

    # Cancelling, once confirmed, goes through.
    click_confirmed(page, cancel, expect=to_script(meeting.title, "zh-hans"))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert Meeting.objects.count() == 1
    traffic.assert_clean(live_server.url)
