"""Staff prepare a meeting and invite people; attendees sign in on their phones; staff see who came.

UI strings are never hard-coded: elements are found by id, name and URL."""

import os
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from qiaojia.core.services import create_audited
from qiaojia.meetings.models import AgendaItem, Meeting, Participant, SignInMethod
from qiaojia.members import services as member_services
from qiaojia.notifications.models import Notification
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationTitle, FederationOfficial, FederationTitle

from .conftest import PHONE, click_confirmed, hidden_controls, log_in, no_horizontal_overflow

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")
SUBMIT = "main form.stacked button[type=submit]"


def submit(page, expected_status: int = 200):
    with page.expect_navigation() as navigation:
        page.locator(SUBMIT).click()
    assert navigation.value.status == expected_status


def test_staff_invite_and_attendee_signs_in_on_a_phone(
    new_page, live_server, staff_user, officer_of, federation, business_association, make_person
):
    chair = create_audited(
        FederationOfficial(
            federation=federation,
            title=FederationTitle.PARTY_SECRETARY_CHAIR,
            order=1,
            person=member_services.person_create(data={"name": "楊海強", "public_title": "河南省僑聯黨組書記、主席"}),
        )
    )
    president = make_person("鄭定輝", association=business_association, phone="+8613912345678")
    org_services.term_create(
        association=business_association,
        data={"person": president, "title": AssociationTitle.PRESIDENT, "starts_on": timezone.localdate()},
    )

    page, traffic = new_page()
    log_in(page, staff_user)
    list_url = reverse("meetings:meeting-list")
    page.locator(f"nav.sidenav a[href='{list_url}']").click()
    page.wait_for_url(live_server.url + list_url)
    page.locator(f"main a[href='{reverse('meetings:meeting-create')}']").click()

    # A bad date pair is refused with the input kept.
    now = timezone.localtime()
    page.locator("#id_organiser").select_option("federation")
    page.locator("#id_title").fill("所屬社團2025年度工作會議")
    page.locator("#id_kind").select_option("annual_work")
    page.locator("#id_starts_at").fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_ends_at").fill((now - timezone.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_place").fill("鄭州")
    submit(page, 400)
    expect(page.locator("#field-ends_at .errorlist")).to_have_count(1)
    expect(page.locator("#id_title")).to_have_value("所屬社團2025年度工作會議")
    assert not Meeting.objects.exists()
    page.locator("#id_ends_at").fill((now + timezone.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    submit(page)
    meeting = Meeting.objects.get()
    detail_url = reverse("meetings:meeting-detail", args=[meeting.pk])
    assert page.url == live_server.url + detail_url

    # The people first, so the closing address can name its speaker.
    page.locator(f"main a[href='{reverse('meetings:participant-create', args=[meeting.pk])}']").click()
    page.locator("#id_role").select_option("addresses")
    page.locator("#id_official").select_option(str(chair.pk))
    submit(page)
    for name in ("郑定辉", "李來賓"):  # typed in Simplified: matched to the registered 鄭定輝
        page.locator(f"main a[href='{reverse('meetings:participant-create', args=[meeting.pk])}']").click()
        page.locator("#id_role").select_option("on_behalf")
        page.locator("#id_name").fill(name)
        page.locator("#id_association").select_option(str(business_association.pk))
        submit(page)
    expect(page.locator("#participant-table tbody tr")).to_have_count(3)
    assert Participant.objects.get(meeting=meeting, name="鄭定輝").person == president

    agenda_url = reverse("meetings:agenda-create", args=[meeting.pk])
    speaker = Participant.objects.get(meeting=meeting, official=chair)
    for kind, title, document, presenter in (
        ("study", "集體學習《省僑聯2025年工作要點》", "《省僑聯2025年工作要點》", None),
        ("reports", "各社團依次匯報", "", None),
        ("closing_address", "總結講話", "", speaker),
    ):
        page.locator(f"main a[href='{agenda_url}']").click()
        page.locator("#id_kind").select_option(kind)
        page.locator("#id_title").fill(title)
        if document:
            page.locator("#id_document").fill(document)
        if presenter:
            page.locator("#id_presenter").select_option(str(presenter.pk))
        submit(page)
    expect(page.locator("ol.agenda > li")).to_have_count(3)
    assert list(AgendaItem.objects.filter(meeting=meeting).order_by("order").values_list("kind", flat=True)) == [
        "study",
        "reports",
        "closing_address",
    ]

    click_confirmed(page, "#invite-button")
    assert not Participant.objects.filter(meeting=meeting, invited_at__isnull=True).exists()
    notice = Notification.objects.get(recipient=officer_of, body__contains="鄭定輝")
    personal_link = re.search(r"https?://\S+/meetings/s/\S+/", notice.body).group(0)

    # The president opens the link from the invitation on a phone: no login.
    phone, phone_traffic = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    response = phone.goto(personal_link)
    assert response.status == 200
    assert hidden_controls(phone, "#sign-in-button") == []
    fits, width, inner = no_horizontal_overflow(phone)
    assert fits, f"sign-in page is {width}px wide on a {inner}px screen"
    with phone.expect_navigation():
        phone.locator("#sign-in-button").click()
    expect(phone.locator("#sign-in-result")).to_contain_text("鄭定輝")
    # Pressing again (or reloading) does not sign in twice.
    first = Participant.objects.get(meeting=meeting, name="鄭定輝").signed_in_at
    phone.goto(personal_link)
    with phone.expect_navigation():
        phone.locator("#sign-in-button").click()
    assert Participant.objects.get(meeting=meeting, name="鄭定輝").signed_in_at == first
    if SCREENSHOTS:
        phone.screenshot(path=os.path.join(SCREENSHOTS, "meeting-sign-in.png"), full_page=True)

    # A guest scans the QR code at the entrance and types the name.
    page.goto(reverse("meetings:meeting-sign-in-sheet", args=[meeting.pk]))
    meeting_link = page.locator("#sign-in-link").get_attribute("href")
    guest, guest_traffic = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    guest.goto(meeting_link)
    guest.locator("#id_name").fill("李來賓")
    with guest.expect_navigation():
        guest.locator("#sign-in-button").click()
    expect(guest.locator("#sign-in-result")).to_contain_text("李來賓")

    # Staff see the attendance; the chair is marked present at the desk.
    page.goto(detail_url)
    page.locator(f"main a[href='{reverse('meetings:meeting-attendance', args=[meeting.pk])}']").click()
    rows = page.locator("#attendance-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="鄭定輝").locator(".tag-green")).to_have_count(1)
    expect(rows.filter(has_text="李來賓").locator(".tag-green")).to_have_count(1)
    chair_row = page.locator(f"#attendance-table tr[data-participant='{speaker.pk}']")
    expect(chair_row.locator(".tag-green")).to_have_count(0)
    with page.expect_navigation():
        chair_row.locator("button[type=submit]").click()
    expect(page.locator(f"#attendance-table tr[data-participant='{speaker.pk}'] .tag-green")).to_have_count(1)
    methods = dict(Participant.objects.filter(meeting=meeting).values_list("name", "signed_in_method"))
    assert methods == {"楊海強": SignInMethod.STAFF, "鄭定輝": SignInMethod.LINK, "李來賓": SignInMethod.MEETING_LINK}

    traffic.assert_clean(live_server.url)
    phone_traffic.assert_clean(live_server.url)
    guest_traffic.assert_clean(live_server.url)
