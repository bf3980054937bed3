"""B2B matchmaking's services: opening a session, taking part, booking without double-booking, answering,
and recording what was held and what came of it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from qiaojia.events.tests.world import approve, make_delegation, make_event
from qiaojia.notifications.models import Notification
from qiaojia.trade.b2b import selectors, services
from qiaojia.trade.b2b.models import B2BSeat, MeetingOutcome, MeetingStatus

from .b2b_world import join, open_session, second_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def b2b(federation, business_association, other_association, staff_user, officer_of, officer_of_other):
    event = make_event()
    for association in (business_association, other_association):
        approve(make_delegation(event, association, submit=True))
    session = open_session(event, slots=3, tables=1, by=staff_user)
    a = join(session, second_enterprise(business_association, "中原光伏有限公司"), business_association)
    b = join(session, second_enterprise(other_association, "檳城貿易有限公司"), other_association)
    c = join(session, second_enterprise(other_association, "吉隆坡物流有限公司"), other_association)
    slots = list(session.slots.order_by("starts_at"))
    return {"session": session, "a": a, "b": b, "c": c, "slots": slots}


def test_session_open_lays_out_slots_and_tables(b2b):
    slots = b2b["slots"]
    assert len(slots) == 3 and b2b["session"].tables.count() == 1
    assert slots[1].starts_at - slots[0].starts_at == datetime.timedelta(minutes=20)


def test_session_open_refuses_a_second_session_and_a_day_outside_the_event(b2b):
    event = b2b["session"].event
    with pytest.raises(ValidationError):
        open_session(event)
    other = make_event(name="2026年拜祖大典", slug="baizu-2026")
    with pytest.raises(ValidationError):
        services.session_open(
            event=other,
            day=other.starts_on - datetime.timedelta(days=1),
            first_starts=datetime.time(9),
            minutes=20,
            slot_count=2,
            table_count=2,
        )


def test_only_enterprises_of_an_approved_delegation_may_join(b2b, federation, liaison_department, make_user):
    from conftest import _association

    outsider = _association(federation, liaison_department, "未報名商會")
    second_enterprise(outsider, "外地企業")
    staff = make_user("organiser", "staff", department=liaison_department)
    names = {e.name for e, _a in selectors.joinable_enterprises(viewer=staff, session=b2b["session"])}
    assert "外地企業" not in names


def test_a_request_holds_both_sides_and_tells_the_invitee(b2b):
    meeting = services.meeting_request(requester=b2b["a"], invitee=b2b["b"], slot=b2b["slots"][0], message="談談光伏")
    assert meeting.status == MeetingStatus.REQUESTED
    assert set(B2BSeat.objects.filter(meeting=meeting).values_list("participant_id", flat=True)) == {
        b2b["a"].pk,
        b2b["b"].pk,
    }
    assert Notification.objects.filter(kind="trade.b2b_meeting_requested").exists()


def test_a_busy_participant_cannot_be_booked_twice_in_a_slot_on_either_side(b2b):
    slot = b2b["slots"][0]
    services.meeting_request(requester=b2b["a"], invitee=b2b["b"], slot=slot)
    with pytest.raises(services.BookingConflict) as caught:
        services.meeting_request(requester=b2b["c"], invitee=b2b["a"], slot=slot)
    assert "中原光伏有限公司" in caught.value.messages[0]
    with pytest.raises(services.BookingConflict):
        services.meeting_request(requester=b2b["b"], invitee=b2b["c"], slot=slot)


def test_a_pair_meets_once(b2b):
    services.meeting_request(requester=b2b["a"], invitee=b2b["b"], slot=b2b["slots"][0])
    with pytest.raises(services.BookingConflict) as caught:
        services.meeting_request(requester=b2b["b"], invitee=b2b["a"], slot=b2b["slots"][1])
    assert caught.value.code == "pair"


def test_accepting_assigns_a_table_and_a_full_slot_says_so(b2b):
    slot = b2b["slots"][0]
    first = services.meeting_request(requester=b2b["a"], invitee=b2b["b"], slot=slot)
    accepted = services.meeting_accept(meeting=first, expected_version=first.version)
    assert accepted.table.number == 1 and accepted.status == MeetingStatus.ACCEPTED
    assert Notification.objects.filter(kind="trade.b2b_meeting_accepted").exists()
    session = b2b["session"]
    d = join(session, second_enterprise(b2b["a"].association, "第四企業"), b2b["a"].association)
    second = services.meeting_request(requester=d, invitee=b2b["c"], slot=slot)
    with pytest.raises(services.BookingConflict) as caught:
        services.meeting_accept(meeting=second, expected_version=second.version)
    assert caught.value.code == "table"


def test_declining_frees_the_slot(b2b):
    slot = b2b["slots"][0]
    meeting = services.meeting_request(requester=b2b["a"], invitee=b2b["b"], slot=slot)
    services.meeting_decline(meeting=meeting, expected_version=meeting.version)
    assert not B2BSeat.objects.filter(slot=slot).exists()
    assert Notification.objects.filter(kind="trade.b2b_meeting_declined").exists()
    again = services.meeting_request(requester=b2b["c"], invitee=b2b["b"], slot=slot)
    assert again.status == MeetingStatus.REQUESTED


def test_recording_held_with_an_outcome_and_refusing_an_unaccepted_meeting(b2b):
    meeting = services.meeting_request(requester=b2b["a"], invitee=b2b["b"], slot=b2b["slots"][0])
    with pytest.raises(ValidationError):
        services.meeting_record(
            meeting=meeting, status="held", outcome="", outcome_note="", expected_version=meeting.version
        )
    meeting = services.meeting_accept(meeting=meeting, expected_version=meeting.version)
    held = services.meeting_record(
        meeting=meeting,
        status=MeetingStatus.HELD,
        outcome=MeetingOutcome.INTRODUCTION,
        outcome_note="約定下月赴檳城考察",
        expected_version=meeting.version,
    )
    assert held.status == MeetingStatus.HELD
    figures = selectors.session_figures(b2b["session"])
    assert figures["held"] == 1 and figures["with_outcome"] == 1
    with pytest.raises(ValidationError):
        services.meeting_record(
            meeting=held, status="no_show", outcome="agreement", outcome_note="", expected_version=held.version
        )


def test_the_agenda_lists_standing_meetings_in_slot_order(b2b):
    services.meeting_request(requester=b2b["a"], invitee=b2b["c"], slot=b2b["slots"][1])
    services.meeting_request(requester=b2b["a"], invitee=b2b["b"], slot=b2b["slots"][0])
    agenda = selectors.agenda(b2b["a"])
    assert [m.slot_id for m in agenda] == [b2b["slots"][0].pk, b2b["slots"][1].pk]
