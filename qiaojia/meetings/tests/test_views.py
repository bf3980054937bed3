import datetime
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qiaojia.meetings import services
from qiaojia.meetings.models import AgendaItem, AgendaItemKind, Meeting, Participant, ParticipantRole

from .world import jpeg_upload, make_meeting

pytestmark = pytest.mark.django_db


def test_staff_create_a_federation_meeting(login, staff_user, federation):
    client = login(staff_user)
    page = client.get(reverse("meetings:meeting-create"))
    assert page.status_code == 200
    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "form_token": "0b7d4a0e-8a39-4b7e-9f2f-2f5c2f0f4a11",
            "organiser": "federation",
            "title": "所屬社團2025年度工作會議",
            "kind": "annual_work",
            "starts_at": "2025-03-05T09:00",
            "ends_at": "2025-03-05T12:00",
            "place": "鄭州",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.association is None and timezone.localtime(meeting.starts_at).hour == 9


def test_bad_meeting_form_keeps_input_and_saves_nothing(login, staff_user, federation):
    client = login(staff_user)
    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "form_token": "0b7d4a0e-8a39-4b7e-9f2f-2f5c2f0f4a12",
            "organiser": "federation",
            "title": "工作會議",
            "kind": "annual_work",
            "starts_at": "2025-03-05T09:00",
            "ends_at": "2025-03-04T09:00",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "工作會議" in text and "errorlist" in text
    assert not Meeting.objects.exists()
    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "form_token": "0b7d4a0e-8a39-4b7e-9f2f-2f5c2f0f4a13",
            "organiser": "federation",
            "title": "",
            "kind": "no-such-kind",
            "starts_at": "not a date",
        },
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_officer_can_only_organise_for_own_association(login, officer_of, business_association, other_association):
    client = login(officer_of)
    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "form_token": "0b7d4a0e-8a39-4b7e-9f2f-2f5c2f0f4a14",
            "organiser": str(other_association.pk),
            "title": "別人的會",
            "kind": "board",
            "starts_at": "2025-03-05T09:00",
        },
    )
    assert response.status_code == 400 and not Meeting.objects.exists()
    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "form_token": "0b7d4a0e-8a39-4b7e-9f2f-2f5c2f0f4a15",
            "organiser": "federation",
            "title": "僭越的會",
            "kind": "board",
            "starts_at": "2025-03-05T09:00",
        },
    )
    assert response.status_code == 400 and not Meeting.objects.exists()


def test_stale_edit_gets_a_conflict_and_keeps_the_other_change(login, staff_user, fed_meeting):
    client = login(staff_user)
    url = reverse("meetings:meeting-edit", args=[fed_meeting.pk])
    services.meeting_update(meeting=fed_meeting, expected_version=1, data={"place": "洛陽"})
    response = client.post(
        url, {"version": 1, "title": "改名", "kind": "annual_work", "starts_at": "2025-03-05T09:00", "place": "開封"}
    )
    assert response.status_code == 409
    assert "改名" in response.content.decode()
    fed_meeting.refresh_from_db()
    assert (fed_meeting.title, fed_meeting.place) == ("2025年度工作會議", "洛陽")


def test_agenda_form_refuses_study_without_document(login, staff_user, fed_meeting):
    client = login(staff_user)
    response = client.post(
        reverse("meetings:agenda-create", args=[fed_meeting.pk]),
        {"form_token": "0b7d4a0e-8a39-4b7e-9f2f-2f5c2f0f4a16", "kind": "study", "title": "集體學習"},
    )
    assert response.status_code == 400 and "field-document" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_agenda_move_button_reorders(login, staff_user, fed_meeting):
    first = services.agenda_item_create(
        meeting=fed_meeting, data={"kind": "study", "title": "學習", "document": "《要點》"}
    )
    second = services.agenda_item_create(meeting=fed_meeting, data={"kind": "discussion", "title": "討論"})
    client = login(staff_user)
    response = client.post(reverse("meetings:agenda-move", args=[second.pk]), {"version": 1, "direction": "up"})
    assert response.status_code == 302
    assert list(AgendaItem.objects.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]
    # The page was stale: the first item moved since it was loaded.
    response = client.post(
        reverse("meetings:agenda-move", args=[first.pk]), {"version": 1, "direction": "up"}, follow=True
    )
    assert list(AgendaItem.objects.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]


def test_participant_form_needs_official_or_name(login, staff_user, fed_meeting):
    client = login(staff_user)
    response = client.post(
        reverse("meetings:participant-create", args=[fed_meeting.pk]),
        {"form_token": "0b7d4a0e-8a39-4b7e-9f2f-2f5c2f0f4a17", "role": "on_behalf", "name": ""},
    )
    assert response.status_code == 400 and not Participant.objects.exists()


def test_federation_meeting_seen_by_invited_officers_only(
    login, officer_of, officer_of_other, fed_meeting, business_association
):
    services.participant_add(
        meeting=fed_meeting,
        data={"role": ParticipantRole.ON_BEHALF, "name": "李來賓", "association": business_association},
    )
    url = reverse("meetings:meeting-detail", args=[fed_meeting.pk])
    invited = login(officer_of).get(url)
    assert invited.status_code == 200
    assert reverse("meetings:meeting-edit", args=[fed_meeting.pk]) not in invited.content.decode()  # reads only
    assert login(officer_of).get(reverse("meetings:meeting-edit", args=[fed_meeting.pk])).status_code == 404
    outsider = login(officer_of_other)
    for name in ("meetings:meeting-detail", "meetings:meeting-pdf", "meetings:meeting-attendance"):
        assert outsider.get(reverse(name, args=[fed_meeting.pk])).status_code == 404
    listing = outsider.get(reverse("meetings:meeting-list")).content.decode()
    assert fed_meeting.title not in listing


def _fill(meeting, n: int, associations):
    for i in range(n):
        association = associations[i % len(associations)]
        participant = services.participant_add(
            meeting=meeting, data={"role": ParticipantRole.ON_BEHALF, "name": f"來賓{i}", "association": association}
        )
        services.agenda_item_create(
            meeting=meeting,
            data={
                "kind": AgendaItemKind.REPORTS,
                "title": f"匯報{i}",
                "association": association,
                "presenter": participant,
            },
        )
        resolution = services.resolution_create(meeting=meeting, text=f"決議{i}")
        services.task_create(
            meeting=meeting, data={"title": f"任務{i}", "owner_association": association, "resolution": resolution}
        )
        services.photo_add(meeting=meeting, uploaded=jpeg_upload(), caption=f"照片{i}")


def _queries(client, url) -> int:
    client.get(url)  # warm up: per-session caches of other parts of the page fill on the first request
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_detail_and_attendance_pages_do_a_bounded_number_of_queries(
    login, staff_user, fed_meeting, business_association, other_association
):
    client = login(staff_user)
    associations = [business_association, other_association]
    small = make_meeting(None, title="小會")
    _fill(small, 1, associations)
    _fill(fed_meeting, 6, associations)
    for name in ("meetings:meeting-detail", "meetings:meeting-attendance"):
        few = _queries(client, reverse(name, args=[small.pk]))
        many = _queries(client, reverse(name, args=[fed_meeting.pk]))
        assert few == many, f"{name}: {few} queries with 1 of each, {many} with 6"


def test_list_page_does_a_bounded_number_of_queries(login, staff_user, federation, business_association):
    client = login(staff_user)
    url = reverse("meetings:meeting-list")
    make_meeting(business_association, title="會0")
    few = _queries(client, url)
    for i in range(1, 8):
        meeting = make_meeting(business_association if i % 2 else None, title=f"會{i}")
        services.participant_add(meeting=meeting, data={"role": ParticipantRole.ATTENDS, "name": f"人{i}"})
    assert _queries(client, url) == few


def test_record_pdf_holds_the_agenda_and_minutes(login, staff_user, fed_meeting, chair):
    participant = services.participant_add(
        meeting=fed_meeting, data={"role": ParticipantRole.ADDRESSES, "official": chair}
    )
    services.agenda_item_create(
        meeting=fed_meeting,
        data={
            "kind": AgendaItemKind.STUDY,
            "title": "集體學習《省僑聯2025年工作要點》",
            "document": "《省僑聯2025年工作要點》",
        },
    )
    services.agenda_item_create(
        meeting=fed_meeting,
        data={"kind": AgendaItemKind.CLOSING_ADDRESS, "title": "總結講話", "presenter": participant},
    )
    services.meeting_minutes_update(meeting=fed_meeting, expected_version=1, minutes="會議紀要正文")
    services.photo_add(meeting=fed_meeting, uploaded=jpeg_upload(), caption="合影留念")
    client = login(staff_user)
    response = client.get(reverse("meetings:meeting-pdf", args=[fed_meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # Everything is printed in the reader's script (the meeting's title too); people's names as registered.
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    for expected in ("2025年度工作会议", "楊海強", "集体学习", "工作要点", "会议纪要正文", "合影留念"):
        assert expected in text, expected


def test_sign_in_sheet_shows_a_qr_code(login, staff_user, fed_meeting):
    response = login(staff_user).get(reverse("meetings:meeting-sign-in-sheet", args=[fed_meeting.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "data:image/svg+xml;base64," in body and "/meetings/s/" in body


def test_attendance_export(login, staff_user, fed_meeting):
    services.participant_add(meeting=fed_meeting, data={"role": ParticipantRole.ATTENDS, "name": "王來賓"})
    response = login(staff_user).get(reverse("meetings:attendance-export", args=[fed_meeting.pk]) + "?format=csv")
    assert response.status_code == 200
    assert "王來賓" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_demo_meeting_reproduces_the_seed(db):
    from qiaojia.demo.loader import load
    from qiaojia.meetings.demo import TITLE, load_meetings_demo
    from qiaojia.meetings.models import MeetingStatus

    load(people=60, enterprises=10, seed=7, today=datetime.date(2025, 6, 1))
    meeting = load_meetings_demo()
    assert meeting is not None and meeting.title == TITLE and meeting.status == MeetingStatus.HELD
    assert timezone.localtime(meeting.starts_at).date() == datetime.date(2025, 3, 5)
    roles = dict(Participant.objects.filter(meeting=meeting).values_list("name", "role"))
    assert roles["楊海強"] == ParticipantRole.ADDRESSES
    assert roles["呂劍"] == ParticipantRole.PRESIDES
    assert roles["潘冬"] == roles["邱建鋒"] == ParticipantRole.ATTENDS
    assert roles["鄭定輝"] == roles["柴莉"] == ParticipantRole.ON_BEHALF
    agenda = list(meeting.agenda_items.order_by("order"))
    assert agenda[0].kind == AgendaItemKind.STUDY and agenda[0].document == "《省僑聯2025年工作要點》"
    assert agenda[1].association.name == "河南省僑商聯合會" and agenda[1].presenter.name == "鄭定輝"
    from qiaojia.cycle.models import AnnualReport

    report = AnnualReport.objects.filter(association=agenda[1].association, year=2024).first()
    assert agenda[1].annual_report == report  # linked when the cycle demo wrote the 2024 report
    assert [i.kind for i in agenda[-2:]] == [AgendaItemKind.DISCUSSION, AgendaItemKind.CLOSING_ADDRESS]
    closing = agenda[-1].content
    for point in ("一是堅定政治方向", "二是匯聚僑智僑力", "三是堅持改革創新", "四是加強自身建設"):
        assert point in closing
    assert meeting.resolutions.count() == 4 and meeting.tasks.count() == 5
    assert list(meeting.photos.values_list("caption", flat=True)) == ["會議現場", "合影留念"]
    assert not Participant.objects.filter(meeting=meeting, signed_in_at__isnull=True).exists()
    assert load_meetings_demo() == meeting  # loading again makes nothing twice
    assert Meeting.objects.count() == 1


def _pdf_pages(client, meeting) -> list[str]:
    pdf = client.get(reverse("meetings:meeting-pdf", args=[meeting.pk])).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.parametrize("lines", [68, 69])
def test_record_pdf_keeps_the_printed_line_with_the_content(login, staff_user, fed_meeting, lines):
    """Minutes that end at the foot of page 2 (found by laying them out): the "printed" line used to follow
    them onto a third page of its own; it now runs in every page's margin."""
    minutes = "\n".join(f"第{i}項：會議紀要正文" for i in range(lines))
    services.meeting_minutes_update(meeting=fed_meeting, expected_version=fed_meeting.version, minutes=minutes)
    pages = _pdf_pages(login(staff_user), fed_meeting)
    assert all("打印时间" in page for page in pages)
    assert f"第{lines - 1}项" in pages[-1]


def test_a_caption_typed_with_its_mark_is_shown_with_one_mark(login, staff_user, fed_meeting):
    photo = services.photo_add(meeting=fed_meeting, uploaded=jpeg_upload(), caption="△會議現場")
    assert photo.caption == "會議現場"
    services.photo_add(meeting=fed_meeting, uploaded=jpeg_upload(), caption="")
    photo = services.photo_update(photo=photo, expected_version=photo.version, caption=" ▲ 合影留念")
    assert photo.caption == "合影留念"
    client = login(staff_user)
    page = client.get(reverse("meetings:meeting-detail", args=[fed_meeting.pk])).content.decode()
    assert page.count("△合影留念") == 1 and "△△" not in page
    assert "<figcaption>△ ·" not in page and "<figcaption>△<" not in page  # no mark without a caption
    text = "".join(_pdf_pages(client, fed_meeting))
    assert "△合影留念" in text and "△△" not in text and text.count("△") == 1
