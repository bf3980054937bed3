"""Joint meetings (聯席會議): the host rotates through the member associations in order, skipping those
not active; the host's officers run their meeting; only member associations see the series."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from qiaojia.accounts.models import Role
from qiaojia.core.chinese import to_script
from qiaojia.meetings import services_joint as services
from qiaojia.meetings.models import JointMeeting, MeetingStatus
from qiaojia.notifications.models import Notification
from qiaojia.orgs.models import AssociationStatus

from .world import make_series, third_association

pytestmark = pytest.mark.django_db


def hans(text: str) -> str:
    """`text` as a zh-Hans page shows it (pages leave the server in the reader's script)."""
    return to_script(text, "zh-hans")


def _schedule(series, days=10):
    return services.joint_meeting_schedule(
        series=series, data={"starts_at": timezone.now() + datetime.timedelta(days=days), "place": "鄭州"}
    )


@pytest.fixture
def members(business_association, other_association):
    return [business_association, other_association, third_association()]


def test_the_host_rotates_in_order_and_starts_again_from_the_first(members):
    series = make_series(members)
    hosts = [_schedule(series, days=n).host for n in range(1, 5)]
    assert hosts == [members[0], members[1], members[2], members[0]]
    assert [m.number for m in series.meetings.order_by("number")] == [1, 2, 3, 4]


def test_the_rotation_skips_an_association_that_is_not_active(members):
    series = make_series(members)
    _schedule(series)
    type(members[1]).objects.filter(pk=members[1].pk).update(status=AssociationStatus.SUSPENDED)
    assert _schedule(series).host == members[2]
    type(members[1]).objects.filter(pk=members[1].pk).update(status=AssociationStatus.ACTIVE)
    assert _schedule(series).host == members[0]


def test_a_cancelled_meeting_gives_the_turn_back(members):
    series = make_series(members)
    _schedule(series)
    second = _schedule(series)
    services.joint_meeting_set_status(meeting=second, expected_version=second.version, status=MeetingStatus.CANCELLED)
    assert services.next_host(series) == members[1]


def test_when_the_last_host_has_left_the_rotation_starts_from_the_first_active(members):
    series = make_series(members)
    _schedule(series)
    second = _schedule(series)
    services.member_remove(member=series.members.get(association=second.host), expected_version=1)
    assert services.next_host(series) == members[0]


def test_nobody_active_means_no_meeting(members):
    series = make_series(members[:2])
    type(members[0]).objects.filter(pk__in=[m.pk for m in members[:2]]).update(status=AssociationStatus.SUSPENDED)
    with pytest.raises(ValidationError):
        _schedule(series)
    assert not JointMeeting.objects.exists()


def test_a_series_needs_two_associations_and_keeps_two(members):
    with pytest.raises(ValidationError):
        make_series(members[:1])
    series = make_series(members[:2])
    with pytest.raises(ValidationError):
        services.member_remove(member=series.members.first(), expected_version=1)


def test_every_member_association_is_told_of_a_new_meeting(members, officer_of, officer_of_other):
    series = make_series(members)
    _schedule(series)
    for officer in (officer_of, officer_of_other):
        assert Notification.objects.filter(recipient=officer, kind="meetings.joint_scheduled").exists()


def test_the_hosts_officers_run_their_meeting_members_read_it_and_others_see_nothing(
    members, officer_of, officer_of_other, make_user, federation, liaison_department
):
    from conftest import _association

    outsider_association = _association(federation, liaison_department, "河南省僑界外會")
    outsider = make_user("outsider", Role.OFFICER, associations=[outsider_association])
    series = make_series(members)
    meeting = _schedule(series)  # hosted by the first member, officer_of's association
    host, guest, stranger = (verified_client(Client(), u) for u in (officer_of, officer_of_other, outsider))

    edit = reverse("meetings:joint-meeting-edit", args=[meeting.pk])
    assert host.get(edit).status_code == 200
    saved = host.post(
        edit,
        {
            "version": meeting.version,
            "starts_at": "2026-05-20T09:30",
            "place": "鄭州國際會展中心",
            "city": "鄭州",
            "country": "CN",
            "agenda": "一、交流各會工作",
            "minutes": "",
        },
    )
    assert saved.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "鄭州國際會展中心"

    assert guest.get(edit).status_code == 404
    page = guest.get(reverse("meetings:joint-meeting-detail", args=[meeting.pk]))
    assert page.status_code == 200 and hans("鄭州國際會展中心") in page.content.decode()
    # The next host is the guest's association: its officers may schedule the next meeting.
    schedule = reverse("meetings:joint-schedule", args=[series.pk])
    assert guest.get(schedule).status_code == 200 and host.get(schedule).status_code == 404
    created = guest.post(
        schedule,
        {"form_token": "5f4d1c1e-8a5e-4e55-9d8e-1e2a3b4c5d6e", "starts_at": "2026-09-01T09:00", "country": "CN"},
    )
    assert created.status_code == 302
    assert series.meetings.order_by("-number").first().host == members[1]

    for url in (
        reverse("meetings:joint-detail", args=[series.pk]),
        reverse("meetings:joint-meeting-detail", args=[meeting.pk]),
    ):
        assert stranger.get(url).status_code == 404
    assert hans(series.name) not in stranger.get(reverse("meetings:joint-list")).content.decode()


def test_staff_set_up_a_series_on_a_page(login, staff_user, members):
    client = login(staff_user)
    response = client.post(
        reverse("meetings:joint-create"),
        {
            "form_token": "0b1d1c1e-8a5e-4e55-9d8e-1e2a3b4c5d6e",
            "name": "中原僑團聯席會議",
            "associations": [str(m.pk) for m in members],
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert hans("中原僑團聯席會議") in page and hans(members[0].name) in page
    too_few = client.post(
        reverse("meetings:joint-create"),
        {"form_token": "1b1d1c1e-8a5e-4e55-9d8e-1e2a3b4c5d6e", "name": "單會", "associations": [str(members[0].pk)]},
    )
    assert too_few.status_code == 400
