"""B2B matchmaking's pages: opening, taking part, booking, answering, the agenda on the phone and as a PDF,
the organiser's schedule and its export, the shared calendar; each in a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse

from conftest import verified_client
from qiaojia.core import calendar as registry
from qiaojia.core.calendar import CalendarFilters
from qiaojia.core.chinese import to_script
from qiaojia.events.tests.world import approve, make_delegation, make_event
from qiaojia.trade.b2b import services
from qiaojia.trade.b2b.models import B2BParticipant, B2BSession, BusinessMeeting, MeetingStatus

from .b2b_world import join, open_session, second_enterprise
from .test_views import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(federation, business_association, other_association):
    event = make_event()
    for association in (business_association, other_association):
        approve(make_delegation(event, association, submit=True))
    return event


@pytest.fixture
def b2b(event, business_association, other_association):
    session = open_session(event, slots=3, tables=2)
    a = join(session, second_enterprise(business_association, "中原光伏有限公司"), business_association)
    b = join(session, second_enterprise(other_association, "檳城貿易有限公司"), other_association)
    return {"session": session, "a": a, "b": b, "slot": session.slots.order_by("starts_at").first()}


def test_staff_open_matchmaking_for_an_event(client, staff_user, event):
    verified_client(client, staff_user)
    listing = body(client.get(reverse("trade:b2b-list")))
    assert reverse("trade:b2b-open", args=[event.pk]) in listing
    response = client.post(
        reverse("trade:b2b-open", args=[event.pk]),
        {
            "day": event.starts_on.isoformat(),
            "first_starts": "09:00",
            "minutes": "20",
            "slot_count": "6",
            "table_count": "5",
            "place": "鄭州",
        },
    )
    assert response.status_code == 302
    session = B2BSession.objects.get(event=event)
    assert session.slots.count() == 6 and session.tables.count() == 5


def test_a_bad_opening_is_refused_with_a_message_and_nothing_made(client, staff_user, event):
    verified_client(client, staff_user)
    response = client.post(
        reverse("trade:b2b-open", args=[event.pk]),
        {"day": "2001-01-01", "first_starts": "09:00", "minutes": "20", "slot_count": "6", "table_count": "5"},
    )
    assert response.status_code == 400
    assert not B2BSession.objects.exists()


def test_an_officer_registers_an_enterprise_with_what_it_offers_and_seeks(
    client, officer_of, b2b, business_association
):
    enterprise = second_enterprise(business_association, "鄭州機械有限公司")
    verified_client(client, officer_of)
    response = client.post(
        reverse("trade:b2b-join", args=[b2b["session"].pk]),
        {"enterprise": str(enterprise.pk), "offers_text": "礦山機械", "seeks_text": "東南亞代理商"},
    )
    assert response.status_code == 302
    participant = B2BParticipant.objects.get(enterprise=enterprise)
    assert participant.seeks_text == "東南亞代理商"
    page = body(client.get(reverse("trade:b2b-detail", args=[b2b["session"].pk])))
    assert to_script("東南亞代理商", "zh-hans") in page


def test_booking_then_accepting_shows_the_meeting_on_both_agendas(
    client, officer_of, officer_of_other, b2b, django_assert_max_num_queries
):
    verified_client(client, officer_of)
    with django_assert_max_num_queries(30):
        page = body(client.get(reverse("trade:b2b-detail", args=[b2b["session"].pk])))
    assert 'id="request-form"' in page and "data-confirm" in page
    response = client.post(
        reverse("trade:b2b-request", args=[b2b["session"].pk]),
        {"requester": b2b["a"].pk, "invitee": b2b["b"].pk, "slot": b2b["slot"].pk, "message": "談光伏"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("trade:b2b-agenda", args=[b2b["a"].pk])
    meeting = BusinessMeeting.objects.get()
    client.logout()
    verified_client(client, officer_of_other)
    with django_assert_max_num_queries(20):
        agenda = body(client.get(reverse("trade:b2b-agenda", args=[b2b["b"].pk])))
    assert f'data-accept="{meeting.pk}"' in agenda
    client.post(reverse("trade:b2b-answer", args=[meeting.pk]), {"version": meeting.version, "answer": "accept"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED and meeting.table.number == 1
    with django_assert_max_num_queries(20):
        pdf = client.get(reverse("trade:b2b-agenda-pdf", args=[b2b["b"].pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_booking_a_busy_slot_says_who_is_busy_and_changes_nothing(client, officer_of, b2b, business_association):
    session = b2b["session"]
    c = join(session, second_enterprise(business_association, "洛陽陶瓷有限公司"), business_association)
    services.meeting_request(requester=c, invitee=b2b["b"], slot=b2b["slot"])
    verified_client(client, officer_of)
    response = client.post(
        reverse("trade:b2b-request", args=[session.pk]),
        {"requester": b2b["a"].pk, "invitee": b2b["b"].pk, "slot": b2b["slot"].pk},
        follow=True,
    )
    assert to_script("檳城貿易有限公司", "zh-hans") in body(response) or "檳城貿易有限公司" in body(response)
    assert BusinessMeeting.objects.count() == 1


def test_the_organiser_records_held_meetings_and_exports_the_schedule(
    client, staff_user, b2b, django_assert_max_num_queries
):
    meeting = services.meeting_request(requester=b2b["a"], invitee=b2b["b"], slot=b2b["slot"])
    meeting = services.meeting_accept(meeting=meeting, expected_version=meeting.version)
    verified_client(client, staff_user)
    with django_assert_max_num_queries(20):
        page = body(client.get(reverse("trade:b2b-meetings", args=[b2b["session"].pk])))
    assert f'id="meeting-{meeting.pk}"' in page
    client.post(
        reverse("trade:b2b-record", args=[meeting.pk]),
        {"version": meeting.version, "status": "held", "outcome": "introduction", "outcome_note": "下月考察"},
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.outcome == "introduction"
    with django_assert_max_num_queries(20):
        exported = client.get(reverse("trade:b2b-export", args=[b2b["session"].pk]), {"format": "xlsx"})
    content = b"".join(exported.streaming_content)
    assert exported.status_code == 200 and content[:2] == b"PK"


def test_the_session_is_in_the_shared_calendar_for_those_who_see_it(staff_user, officer_of, member_user, b2b):
    day = b2b["session"].event.starts_on
    filters = CalendarFilters(start=day - datetime.timedelta(days=1), end=day + datetime.timedelta(days=1))
    for viewer in (staff_user, officer_of):
        uids = {i.uid for i in registry.calendar_items(viewer, filters, sources=["b2b"])}
        assert f"b2b-{b2b['session'].pk}" in uids
    assert not registry.calendar_items(member_user, filters, sources=["b2b"])
    with_association = CalendarFilters(start=filters.start, end=filters.end, association=1)
    assert not registry.calendar_items(staff_user, with_association, sources=["b2b"])
