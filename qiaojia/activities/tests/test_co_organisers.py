"""Activities co-organised by several associations: the host invites, each co-organiser confirms or
declines, a confirmed one sees the activity in its lists and counts it in its own annual report, and
other associations see only what is public."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import verified_client
from qiaojia.activities import selectors, services
from qiaojia.activities.models import CoOrganiser, CoOrganiserStatus
from qiaojia.core.chinese import to_script
from qiaojia.notifications.models import Notification
from qiaojia.orgs.models import AssociationStatus

from .world import make_activity

pytestmark = pytest.mark.django_db


def hans(text: str) -> str:
    """`text` as a zh-Hans page shows it (pages leave the server in the reader's script)."""
    return to_script(text, "zh-hans")


@pytest.fixture
def third(federation, liaison_department):
    from conftest import _association

    return _association(federation, liaison_department, "河南省華僑青年聯誼會")


def _client(user):
    return verified_client(Client(), user)


def test_a_confirmed_co_organiser_counts_the_activity_in_its_own_report_and_an_invited_one_does_not(
    business_association, other_association, third, officer_of_other
):
    activity = make_activity(business_association, title="豫港澳僑商論壇", starts_on=datetime.date(2025, 6, 3))
    row = services.co_organiser_invite(activity=activity, association=other_association)
    services.co_organiser_invite(activity=activity, association=third)
    assert selectors.activity_report_counts(association_id=other_association.pk, year=2025)["activity_count"] == 0
    services.co_organiser_answer(
        row=row, expected_version=row.version, status=CoOrganiserStatus.CONFIRMED, user=officer_of_other
    )
    counts = selectors.activity_report_counts(association_id=other_association.pk, year=2025)
    assert counts["activity_count"] == 1 and "豫港澳僑商論壇" in counts["activities"]
    # The host counts it once, and the invited association that has not answered not at all.
    assert selectors.activity_report_counts(association_id=business_association.pk, year=2025)["activity_count"] == 1
    assert selectors.activity_report_counts(association_id=third.pk, year=2025)["activity_count"] == 0
    row.refresh_from_db()
    services.co_organiser_answer(row=row, expected_version=row.version, status=CoOrganiserStatus.DECLINED)
    assert selectors.activity_report_counts(association_id=other_association.pk, year=2025)["activity_count"] == 0


def test_the_annual_report_prefill_counts_co_organised_activities(business_association, other_association):
    from qiaojia.cycle import services as cycle_services
    from qiaojia.cycle.tests.world import make_priorities

    year = 2025
    make_priorities(year + 1)
    activity = make_activity(business_association, title="聯合招商推介會", starts_on=datetime.date(year, 9, 1))
    row = services.co_organiser_invite(activity=activity, association=other_association)
    services.co_organiser_answer(row=row, expected_version=row.version, status=CoOrganiserStatus.CONFIRMED)
    report = cycle_services.report_start(association=other_association, year=year)
    assert report.activity_count == 1 and "聯合招商推介會" in report.activities


def test_the_host_cannot_invite_itself_an_inactive_or_the_same_association_twice(
    business_association, other_association, third
):
    activity = make_activity(business_association)
    with pytest.raises(ValidationError):
        services.co_organiser_invite(activity=activity, association=business_association)
    services.co_organiser_invite(activity=activity, association=other_association)
    with pytest.raises(ValidationError):
        services.co_organiser_invite(activity=activity, association=other_association)
    type(third).objects.filter(pk=third.pk).update(status=AssociationStatus.SUSPENDED)
    third.refresh_from_db()
    with pytest.raises(ValidationError):
        services.co_organiser_invite(activity=activity, association=third)
    assert CoOrganiser.objects.count() == 1


def test_invitation_and_answer_tell_the_other_side(
    business_association, other_association, officer_of, officer_of_other
):
    activity = make_activity(business_association, title="僑商聯誼會")
    row = services.co_organiser_invite(activity=activity, association=other_association)
    assert Notification.objects.filter(recipient=officer_of_other, kind="activities.co_organiser_invited").exists()
    services.co_organiser_answer(row=row, expected_version=row.version, status=CoOrganiserStatus.CONFIRMED)
    assert Notification.objects.filter(recipient=officer_of, kind="activities.co_organiser_answered").exists()


def test_the_co_organiser_sees_and_confirms_on_the_page_and_then_finds_it_in_its_list(
    business_association, other_association, officer_of, officer_of_other, make_person
):
    person = make_person("柴莉", association=business_association)
    activity = make_activity(business_association, title="中原僑商座談", members=[person])
    host = _client(officer_of)
    page = host.get(reverse("activities:co-organiser-create", args=[activity.pk]))
    assert page.status_code == 200 and hans(other_association.name) in page.content.decode()
    invited = host.post(
        reverse("activities:co-organiser-create", args=[activity.pk]), {"association": other_association.pk}
    )
    assert invited.status_code == 302
    row = CoOrganiser.objects.get()

    guest = _client(officer_of_other)
    detail = guest.get(reverse("activities:activity-detail", args=[activity.pk])).content.decode()
    assert "co-organiser-confirm" in detail and "edit-activity" not in detail
    answer = guest.post(
        reverse("activities:co-organiser-answer", args=[row.pk]), {"version": row.version, "status": "confirmed"}
    )
    assert answer.status_code == 302
    row.refresh_from_db()
    assert row.status == CoOrganiserStatus.CONFIRMED and row.responded_by == officer_of_other
    listing = guest.get(reverse("activities:activity-list"), {"association": other_association.pk}).content.decode()
    assert hans("中原僑商座談") in listing
    # The host alone edits; the co-organiser cannot answer for the host or remove itself through the host's button.
    assert guest.get(reverse("activities:activity-edit", args=[activity.pk])).status_code == 404
    assert (
        guest.post(reverse("activities:co-organiser-delete", args=[row.pk]), {"version": row.version}).status_code
        == 404
    )
    assert (
        host.post(
            reverse("activities:co-organiser-answer", args=[row.pk]), {"version": row.version, "status": "declined"}
        ).status_code
        == 404
    )


def test_another_association_sees_only_a_public_activity_and_never_who_took_part(
    business_association, other_association, officer_of_other, member_user, make_person
):
    person = make_person("王秘參加者", association=business_association)
    private = make_activity(business_association, title="內部活動", members=[person])
    public = make_activity(business_association, title="公開活動", members=[person], data={"is_public": True})
    guest = _client(officer_of_other)
    assert guest.get(reverse("activities:activity-detail", args=[private.pk])).status_code == 404
    page = guest.get(reverse("activities:activity-detail", args=[public.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert hans("公開活動") in text and hans("王秘參加者") not in text and "edit-activity" not in text
    assert hans("公開活動") not in guest.get(reverse("activities:activity-list")).content.decode()
    assert _client(member_user).get(reverse("activities:activity-detail", args=[public.pk])).status_code == 200
