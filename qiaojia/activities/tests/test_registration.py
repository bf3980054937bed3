"""Members register themselves for an activity open to individual registration; the organiser sees the
registrations, exports them and takes attendance from them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time

from qiaojia.accounts.models import Role
from qiaojia.activities import services
from qiaojia.activities.models import ActivityRegistration, RegistrationStatus
from qiaojia.core.models import AuditEntry

from .world import make_activity, open_registration

pytestmark = pytest.mark.django_db


def _upcoming(association, **data):
    return make_activity(
        association,
        title="僑商聯誼會",
        starts_on=timezone.localdate() + datetime.timedelta(days=10),
        data={**open_registration(), **data},
    )


def test_opening_registration_needs_places_and_a_closing_time(business_association):
    with pytest.raises(ValidationError) as places:
        make_activity(business_association, data={"registration_open": True})
    assert "registration_capacity" in places.value.message_dict
    with pytest.raises(ValidationError) as closing:
        make_activity(business_association, data={"registration_open": True, "registration_capacity": 5})
    assert "registration_closes_at" in closing.value.message_dict


def test_a_member_registers_once_and_takes_a_cancelled_place_up_again(business_association, member_person):
    activity = _upcoming(business_association)
    registration = services.registration_create(activity=activity, person=member_person)
    assert registration.status == RegistrationStatus.REGISTERED
    with pytest.raises(ValidationError):
        services.registration_create(activity=activity, person=member_person)
    cancelled = services.registration_cancel(registration=registration, expected_version=registration.version)
    assert cancelled.status == RegistrationStatus.CANCELLED
    again = services.registration_create(activity=activity, person=member_person)
    assert again.pk == registration.pk and again.status == RegistrationStatus.REGISTERED
    assert (
        AuditEntry.objects.filter(object_type="activities.activityregistration", object_id=str(again.pk)).count() == 3
    )


@translation.override("en")
def test_registration_is_refused_when_full_closed_or_not_a_member(
    business_association, other_association, member_person, make_person
):
    activity = _upcoming(business_association, registration_capacity=1)
    services.registration_create(activity=activity, person=member_person)
    second = make_person("林晚", association=business_association)
    with pytest.raises(ValidationError, match="full"):
        services.registration_create(activity=activity, person=second)
    outsider = make_person("王外", association=other_association)
    roomy = _upcoming(business_association, registration_capacity=10)
    with pytest.raises(ValidationError):
        services.registration_create(activity=roomy, person=outsider)
    with freeze_time(timezone.now() + datetime.timedelta(days=8)), pytest.raises(ValidationError, match="closed"):
        services.registration_create(activity=roomy, person=second)
    assert not ActivityRegistration.objects.filter(person__in=[second, outsider]).exists()


def test_places_cannot_fall_below_those_taken(business_association, member_person):
    activity = _upcoming(business_association, registration_capacity=3)
    services.registration_create(activity=activity, person=member_person)
    with pytest.raises(ValidationError):
        services.activity_update(
            activity=activity, expected_version=activity.version, data={"registration_capacity": 0}
        )


def test_attendance_from_registrations_sets_the_members_taking_part(business_association, member_person, make_person):
    activity = _upcoming(business_association)
    other = make_person("林晚", association=business_association)
    came = services.registration_create(activity=activity, person=member_person)
    absent = services.registration_create(activity=activity, person=other)
    activity.refresh_from_db()
    services.registration_attendance(activity=activity, expected_version=activity.version, attended=[came])
    came.refresh_from_db()
    absent.refresh_from_db()
    assert came.status == RegistrationStatus.ATTENDED and absent.status == RegistrationStatus.ABSENT
    assert list(activity.members.all()) == [member_person]


# --- pages ------------------------------------------------------------------------------------


@pytest.fixture
def member_login(login, member_user):
    return login(member_user)


def test_a_member_registers_from_the_open_list_and_sees_it_on_my_page(member_login, business_association):
    activity = _upcoming(business_association)
    page = member_login.get(reverse("activities:open-list"))
    assert page.status_code == 200 and f'id="open-activity-{activity.pk}"' in page.content.decode()
    response = member_login.post(reverse("activities:registration-create", args=[activity.pk]))
    assert response.status_code == 302
    registration = ActivityRegistration.objects.get(activity=activity)
    mine = member_login.get(reverse("home:mine")).content.decode()
    assert f'id="my-registration-{registration.pk}"' in mine
    cancel = member_login.post(
        reverse("activities:registration-cancel", args=[registration.pk]),
        {"version": registration.version, "from": "mine"},
    )
    assert cancel.status_code == 302 and cancel["Location"] == reverse("home:mine")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_another_associations_activity_is_not_found_for_a_member(member_login, other_association):
    activity = _upcoming(other_association)
    assert f'id="open-activity-{activity.pk}"' not in member_login.get(reverse("activities:open-list")).content.decode()
    assert member_login.post(reverse("activities:registration-create", args=[activity.pk])).status_code == 404


def test_the_organiser_takes_attendance_and_exports_the_registrations(
    login, officer_of, officer_of_other, business_association, member_person
):
    activity = _upcoming(business_association)
    registration = services.registration_create(activity=activity, person=member_person)
    client = login(officer_of)
    page = client.get(reverse("activities:registration-list", args=[activity.pk]))
    assert page.status_code == 200 and member_person.name in page.content.decode()
    activity.refresh_from_db()
    done = client.post(
        reverse("activities:attendance-record", args=[activity.pk]),
        {"version": activity.version, "attended": [registration.pk]},
    )
    assert done.status_code == 302
    assert list(activity.members.all()) == [member_person]
    export = client.get(
        reverse("exports:source", args=["activity-registrations"]) + f"?activity={activity.pk}&format=csv"
    )
    body = b"".join(export.streaming_content) if export.streaming else export.content
    assert export.status_code == 200 and member_person.name in body.decode("utf-8-sig")

    other = login(officer_of_other)
    assert other.get(reverse("activities:registration-list", args=[activity.pk])).status_code == 404
    foreign = other.get(reverse("exports:source", args=["activity-registrations"]) + f"?activity={activity.pk}")
    missing = other.get(reverse("exports:source", args=["activity-registrations"]) + "?activity=987654321")
    assert foreign.status_code == missing.status_code == 404


def test_open_list_and_registrations_queries_do_not_grow_with_rows(
    login, member_user, officer_of, business_association, make_person, django_assert_max_num_queries
):
    activities = [_upcoming(business_association) for _ in range(2)]
    client = login(member_user)
    url = reverse("activities:open-list")
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for _ in range(8):
        _upcoming(business_association)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(16) as mine_few:
        assert client.get(reverse("home:mine")).status_code == 200
    for n in range(6):
        person = make_person(f"會員{n}", association=business_association)
        services.registration_create(activity=activities[0], person=person)
    services.registration_create(activity=activities[1], person=member_user.person)
    with django_assert_max_num_queries(len(mine_few.captured_queries)):
        assert client.get(reverse("home:mine")).status_code == 200
    organiser = login(officer_of)
    with django_assert_max_num_queries(14):
        assert organiser.get(reverse("activities:registration-list", args=[activities[0].pk])).status_code == 200


def test_a_member_without_a_record_sees_why(login, make_user):
    user = make_user("plain", Role.MEMBER)
    page = login(user).get(reverse("activities:open-list"))
    assert page.status_code == 200 and "empty" in page.content.decode()
