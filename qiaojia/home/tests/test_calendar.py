"""The shared calendar: public activities of every association, the flagship events and the joint
meetings the viewer takes part in, by month or as a list, filtered, and as an .ics feed; a bounded number
of queries whatever the number of items."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from conftest import verified_client
from qiaojia.activities import services as activity_services
from qiaojia.activities.models import CoOrganiserStatus
from qiaojia.activities.tests.world import make_activity
from qiaojia.core import calendar as registry
from qiaojia.core.chinese import to_script
from qiaojia.core.ics import parse_ics
from qiaojia.events.tests.world import make_event
from qiaojia.meetings import services_joint
from qiaojia.meetings.tests.world import make_series, third_association

pytestmark = pytest.mark.django_db

MAY = datetime.date(2026, 5, 1)


def hans(text: str) -> str:
    """`text` as a zh-Hans page shows it (pages leave the server in the reader's script)."""
    return to_script(text, "zh-hans")


def _client(user):
    return verified_client(Client(), user)


def _get(client, **params):
    params.setdefault("month", "2026-05")
    return client.get(reverse("home:calendar-list"), params).content.decode()


@pytest.fixture
def items(business_association, other_association):
    """A public and a private activity of each association in May 2026, one held abroad."""
    make_activity(
        business_association,
        title="僑商出海論壇",
        starts_on=datetime.date(2026, 5, 12),
        data={"is_public": True, "city": "吉隆坡", "country": "MY"},
    )
    make_activity(business_association, title="省僑商會內部學習", starts_on=datetime.date(2026, 5, 13))
    make_activity(
        other_association,
        title="歸僑聯誼公開日",
        starts_on=datetime.date(2026, 5, 20),
        data={"is_public": True, "city": "洛陽", "ends_on": datetime.date(2026, 5, 21)},
    )
    make_activity(other_association, title="歸聯會理事會籌備", starts_on=datetime.date(2026, 5, 22))


def test_each_user_sees_every_public_activity_and_only_their_own_private_ones(
    items, officer_of, officer_of_other, member_user, staff_user
):
    officer = _get(_client(officer_of))
    assert hans("僑商出海論壇") in officer and hans("歸僑聯誼公開日") in officer and hans("省僑商會內部學習") in officer
    assert hans("歸聯會理事會籌備") not in officer
    member = _get(_client(member_user))
    assert (
        hans("僑商出海論壇") in member
        and hans("省僑商會內部學習") not in member
        and hans("歸聯會理事會籌備") not in member
    )
    staff = _get(_client(staff_user))
    assert all(t in staff for t in (hans("省僑商會內部學習"), hans("歸聯會理事會籌備")))


def test_the_filters_by_association_type_city_country_and_source(
    items, officer_of, business_association, other_association
):
    client = _client(officer_of)
    assert hans("歸僑聯誼公開日") not in _get(client, association=business_association.pk)
    by_other = _get(client, association=other_association.pk, view="list")
    assert hans("歸僑聯誼公開日") in by_other and hans("僑商出海論壇") not in by_other
    business = _get(client, kind="business", view="list")
    assert hans("僑商出海論壇") in business and hans("歸僑聯誼公開日") not in business
    abroad = _get(client, country="MY", view="list")
    assert hans("僑商出海論壇") in abroad and hans("歸僑聯誼公開日") not in abroad
    luoyang = _get(client, city="洛陽", view="list")
    assert hans("歸僑聯誼公開日") in luoyang and hans("僑商出海論壇") not in luoyang
    # An association that does not exist matches nothing, as another association's hidden rows would.
    assert hans("僑商出海論壇") not in _get(client, association="987654321", view="list")
    assert hans("僑商出海論壇") not in _get(client, source="event", view="list")


def test_a_co_organised_activity_is_in_the_co_organisers_calendar_under_its_name(
    business_association, other_association, officer_of_other
):
    activity = make_activity(business_association, title="聯合主辦招商會", starts_on=datetime.date(2026, 5, 8))
    row = activity_services.co_organiser_invite(activity=activity, association=other_association)
    activity_services.co_organiser_answer(row=row, expected_version=row.version, status=CoOrganiserStatus.CONFIRMED)
    page = _get(_client(officer_of_other), association=other_association.pk, view="list")
    assert hans("聯合主辦招商會") in page and hans(business_association.name) in page


def test_flagship_events_and_joint_meetings_appear_for_those_who_may_see_them(
    business_association, other_association, officer_of, member_user, make_user, federation
):
    from django.utils import timezone

    make_event(name="知名僑商中原行", starts_on=datetime.date(2026, 5, 26), status="open", published=True)
    series = make_series([business_association, third_association()], name="僑團聯席會議")
    services_joint.joint_meeting_schedule(
        series=series,
        data={"starts_at": timezone.make_aware(datetime.datetime(2026, 5, 15, 9, 30)), "place": "鄭州"},
    )
    officer = _get(_client(officer_of), view="list")
    assert hans("知名僑商中原行") in officer and hans("僑團聯席會議") in officer
    member = _get(_client(member_user), view="list")
    assert hans("知名僑商中原行") in member and hans("僑團聯席會議") not in member


def test_the_month_grid_draws_a_multi_day_activity_on_each_day(items, officer_of):
    page = _get(_client(officer_of))
    assert page.count(hans("歸僑聯誼公開日")) >= 2 and 'data-date="2026-05-21"' in page


def test_htmx_gets_only_the_calendar_and_the_full_page_keeps_the_filters(items, officer_of):
    client = _client(officer_of)
    partial = client.get(reverse("home:calendar-list"), {"month": "2026-05"}, HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert "calendar-grid" in text and 'id="calendar-filters"' not in text and "<html" not in text
    full = _get(client)
    assert "calendar-filters" in full and "hx-get" in full


def test_the_feed_has_the_same_items_as_the_page(items, officer_of, business_association):
    client = _client(officer_of)
    response = client.get(reverse("home:calendar-feed"), {"month": "2026-05", "country": "MY"})
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    events = parse_ics(body)
    assert [e["SUMMARY"] for e in events] == ["僑商出海論壇"]
    assert events[0]["DTSTART;VALUE=DATE"] == "20260512" and events[0]["DTEND;VALUE=DATE"] == "20260513"
    assert business_association.name in events[0]["DESCRIPTION"]
    assert events[0]["URL"].startswith("http")


def test_a_facet_registered_by_another_app_filters_its_source_and_leaves_the_others_out(items, officer_of):
    def session_items(viewer, filters, limit):
        if filters.facets.get("industry") != "C":
            return []
        return [
            registry.CalendarItem(
                source="facet-test", uid="facet-test-1", title="製造業洽談會", starts_on=datetime.date(2026, 5, 9)
            )
        ]

    registry.register_source(
        # a key of its own: the trade app's real sources stay registered for the tests after this one
        registry.CalendarSource(key="facet-test", label="B2B", items=session_items, facets=frozenset({"industry"}))
    )
    registry.register_facet(registry.CalendarFacet(name="industry", label="Industry", choices=lambda: [("C", "C")]))
    try:
        page = _get(_client(officer_of), industry="C", view="list")
        assert hans("製造業洽談會") in page and hans("僑商出海論壇") not in page
        assert 'name="industry"' in page
    finally:
        registry._SOURCES.pop("facet-test")
        registry._FACETS.pop("industry")


def test_the_calendar_runs_a_bounded_number_of_queries_whatever_the_number_of_items(
    business_association, other_association, officer_of, django_assert_max_num_queries
):
    client = _client(officer_of)
    _get(client)

    def add(n):
        for i in range(n):
            activity = make_activity(
                other_association,
                title=f"公開活動{i}",
                starts_on=MAY + datetime.timedelta(days=i % 28),
                data={"is_public": True},
            )
            row = activity_services.co_organiser_invite(activity=activity, association=business_association)
            activity_services.co_organiser_answer(
                row=row, expected_version=row.version, status=CoOrganiserStatus.CONFIRMED
            )

    add(3)
    with django_assert_max_num_queries(14) as few:
        _get(client)
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = _get(client, view="list")
    assert hans("公開活動29") in page
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home:calendar-feed"))
