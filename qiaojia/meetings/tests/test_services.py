import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qiaojia.core.models import AuditEntry
from qiaojia.core.services import ConflictError
from qiaojia.meetings import services
from qiaojia.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    FollowUpTask,
    Meeting,
    MeetingStatus,
    Participant,
    ParticipantRole,
    TaskStatus,
)
from qiaojia.notifications.models import Notification

from .world import make_meeting

pytestmark = pytest.mark.django_db


def test_meeting_create_is_audited(federation):
    meeting = make_meeting(None)
    assert meeting.status == MeetingStatus.PLANNED
    assert (
        AuditEntry.objects.filter(object_type="meetings.meeting", object_id=str(meeting.pk), action="create").count()
        == 1
    )


def test_meeting_create_refuses_end_before_start(federation):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        make_meeting(None, starts_at=now, ends_at=now - datetime.timedelta(hours=1))
    assert "ends_at" in exc.value.error_dict
    assert not Meeting.objects.exists()


def test_meeting_update_detects_a_stale_edit(fed_meeting):
    services.meeting_update(meeting=fed_meeting, expected_version=1, data={"place": "鄭州"})
    with pytest.raises(ConflictError):
        services.meeting_update(meeting=fed_meeting, expected_version=1, data={"place": "洛陽"})
    fed_meeting.refresh_from_db()
    assert (fed_meeting.place, fed_meeting.version) == ("鄭州", 2)


def test_meeting_status_follows_the_transition_table(fed_meeting):
    held = services.meeting_set_status(meeting=fed_meeting, expected_version=1, status=MeetingStatus.HELD)
    assert held.status == MeetingStatus.HELD
    with pytest.raises(ValidationError):
        services.meeting_set_status(meeting=held, expected_version=held.version, status=MeetingStatus.PLANNED)
    with pytest.raises(ConflictError):
        services.meeting_set_status(meeting=held, expected_version=1, status=MeetingStatus.CANCELLED)


def test_agenda_items_are_numbered_and_reordered(fed_meeting):
    items = [
        services.agenda_item_create(meeting=fed_meeting, data={"kind": kind, "title": title})
        for kind, title in (
            (AgendaItemKind.STUDY, "集體學習"),
            (AgendaItemKind.REPORTS, "依次匯報"),
            (AgendaItemKind.DISCUSSION, "討論"),
        )
    ]
    assert [i.order for i in items] == [1, 2, 3]
    services.agenda_item_move(item=items[2], expected_version=items[2].version, direction="up")
    titles = list(AgendaItem.objects.filter(meeting=fed_meeting).order_by("order").values_list("title", flat=True))
    assert titles == ["集體學習", "討論", "依次匯報"]
    with pytest.raises(ConflictError):  # the item moved since: its version changed
        services.agenda_item_move(item=items[2], expected_version=1, direction="up")
    services.agenda_item_delete(item=items[0], expected_version=1)
    assert AgendaItem.objects.filter(meeting=fed_meeting).count() == 2


def test_presenter_must_belong_to_the_meeting(fed_meeting, federation):
    other = make_meeting(None, title="另一會議")
    stranger = services.participant_add(meeting=other, data={"role": ParticipantRole.ATTENDS, "name": "王某"})
    with pytest.raises(ValidationError) as exc:
        services.agenda_item_create(
            meeting=fed_meeting, data={"kind": AgendaItemKind.ADDRESS, "title": "講話", "presenter": stranger}
        )
    assert "presenter" in exc.value.error_dict
    assert not AgendaItem.objects.filter(meeting=fed_meeting).exists()


def test_association_meeting_hears_only_its_own_report(assoc_meeting, other_association):
    with pytest.raises(ValidationError):
        services.agenda_item_create(
            meeting=assoc_meeting,
            data={"kind": AgendaItemKind.REPORTS, "title": "匯報", "association": other_association},
        )


def test_participants_official_person_and_free_name(fed_meeting, chair, president, business_association):
    official = services.participant_add(
        meeting=fed_meeting, data={"role": ParticipantRole.ADDRESSES, "official": chair}
    )
    assert (official.name, official.public_title) == ("楊海強", "河南省僑聯黨組書記、主席")
    # A typed name with an association is matched to its officer (Simplified typed, Traditional stored).
    matched = services.participant_add(
        meeting=fed_meeting,
        data={"role": ParticipantRole.ON_BEHALF, "name": "郑定辉", "association": business_association},
    )
    assert matched.person == president and matched.name == "鄭定輝"
    free = services.participant_add(
        meeting=fed_meeting,
        data={"role": ParticipantRole.ON_BEHALF, "name": "李來賓", "association": business_association},
    )
    assert free.person is None and free.name == "李來賓"
    assert [p.order for p in Participant.objects.filter(meeting=fed_meeting)] == [1, 2, 3]


def test_a_person_is_listed_once(fed_meeting, chair):
    services.participant_add(meeting=fed_meeting, data={"role": ParticipantRole.ATTENDS, "official": chair})
    with pytest.raises(ValidationError):
        services.participant_add(meeting=fed_meeting, data={"role": ParticipantRole.PRESIDES, "official": chair})
    assert Participant.objects.filter(meeting=fed_meeting).count() == 1


def test_participant_needs_a_name(fed_meeting):
    with pytest.raises(ValidationError) as exc:
        services.participant_add(meeting=fed_meeting, data={"role": ParticipantRole.ATTENDS, "name": "  "})
    assert "name" in exc.value.error_dict


def test_invite_notifies_the_person_or_the_officers_once(
    fed_meeting, president, business_association, make_user, officer_of, django_capture_on_commit_callbacks
):
    from qiaojia.accounts.models import Role

    own_user = make_user("zdh", Role.MEMBER, person=president)
    services.participant_add(
        meeting=fed_meeting,
        data={"role": ParticipantRole.ON_BEHALF, "name": "鄭定輝", "association": business_association},
    )
    services.participant_add(
        meeting=fed_meeting,
        data={"role": ParticipantRole.ON_BEHALF, "name": "李來賓", "association": business_association},
    )
    with django_capture_on_commit_callbacks():
        sent = services.meeting_invite(meeting=fed_meeting, base_url="http://testserver/")
    assert sent == 2
    assert Notification.objects.filter(recipient=own_user, kind="meetings.invitation").count() == 1
    notice = Notification.objects.get(recipient=officer_of, kind="meetings.invitation")
    assert "李來賓" in notice.body and "/meetings/s/" in notice.body
    assert not Participant.objects.filter(meeting=fed_meeting, invited_at__isnull=True).exists()
    assert services.meeting_invite(meeting=fed_meeting, base_url="http://testserver/") == 0


def test_cancelled_meeting_sends_no_invitations(fed_meeting):
    services.participant_add(meeting=fed_meeting, data={"role": ParticipantRole.ATTENDS, "name": "王某"})
    meeting = services.meeting_set_status(meeting=fed_meeting, expected_version=1, status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError):
        services.meeting_invite(meeting=meeting, base_url="http://testserver/")
    assert not Notification.objects.exists()


def test_task_needs_an_owner_and_its_resolution_from_the_same_meeting(fed_meeting, business_association):
    with pytest.raises(ValidationError) as exc:
        services.task_create(meeting=fed_meeting, data={"title": "跟進", "owner_name": ""})
    assert "owner_name" in exc.value.error_dict
    other = make_meeting(None, title="另一會議")
    foreign = services.resolution_create(meeting=other, text="他會決議")
    with pytest.raises(ValidationError):
        services.task_create(
            meeting=fed_meeting, data={"title": "跟進", "owner_name": "文化經濟聯絡部", "resolution": foreign}
        )
    task = services.task_create(
        meeting=fed_meeting,
        data={
            "title": "引進數智化管理手段",
            "owner_association": business_association,
            "due_on": datetime.date(2025, 12, 31),
        },
    )
    task = services.task_update(task=task, expected_version=1, data={"status": TaskStatus.DONE})
    assert task.status == TaskStatus.DONE and FollowUpTask.objects.count() == 1
    with pytest.raises(ConflictError):
        services.task_update(task=task, expected_version=1, data={"status": TaskStatus.OPEN})


def test_report_item_links_the_association_annual_report(business_association, federation):
    from qiaojia.cycle.models import AnnualReport

    meeting = make_meeting(None, starts_at=timezone.make_aware(datetime.datetime(2025, 3, 5, 9)))
    report = AnnualReport.objects.create(association=business_association, year=2024)
    item = services.agenda_item_create(
        meeting=meeting, data={"kind": AgendaItemKind.REPORTS, "title": "匯報", "association": business_association}
    )
    assert item.annual_report == report
    discussion = services.agenda_item_create(
        meeting=meeting, data={"kind": AgendaItemKind.DISCUSSION, "title": "討論", "association": business_association}
    )
    assert discussion.annual_report is None
