import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import verified_client
from qiaojia.accounts.models import Role
from qiaojia.core.chinese import to_simplified
from qiaojia.core.models import AuditEntry
from qiaojia.notifications.models import Notification
from qiaojia.volunteering import services
from qiaojia.volunteering.models import Campaign, Donation, ShiftSignup, SignupStatus

from .world import make_campaign, make_donation, make_member, make_shift

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(federation, business_association):
    return make_campaign(business_association)


@pytest.fixture
def shift(campaign):
    return make_shift(campaign, capacity=1, hours=3)


def test_officer_creates_a_campaign_and_a_bad_date_pair_changes_nothing(client, officer_of, business_association):
    verified_client(client, officer_of)
    url = reverse("volunteering:campaign-create")
    data = {
        "organiser": str(business_association.pk),
        "brand": "warmth",
        "name": "送溫暖",
        "form_token": "6f1c2d8e-0000-4000-8000-000000000001",
        "starts_on": "2025-02-01",
        "ends_on": "2025-01-01",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "ends_on" in response.context["form"].errors
    assert not Campaign.objects.exists()
    data["ends_on"] = "2025-02-03"
    response = client.post(url, data)
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.association == business_association
    # An officer cannot organise for the federation.
    data.update(organiser="federation", form_token="6f1c2d8e-0000-4000-8000-000000000002")
    assert client.post(url, data).status_code == 400


def test_stale_campaign_edit_is_a_conflict(client, staff_user, campaign):
    verified_client(client, staff_user)
    url = reverse("volunteering:campaign-edit", args=[campaign.pk])
    data = {"version": campaign.version, "brand": "warmth", "name": "新名", "starts_on": "2025-01-20"}
    services.campaign_update(campaign=campaign, expected_version=campaign.version, data={"place": "洛陽"})
    response = client.post(url, data)
    assert response.status_code == 409
    campaign.refresh_from_db()
    assert campaign.name != "新名"


def test_full_shift_is_refused_with_a_message(client, officer_of, business_association, shift):
    services.signup_create(
        shift=shift, person=make_member(business_association, "甲"), association=business_association
    )
    person = make_member(business_association, "乙")
    verified_client(client, officer_of)
    response = client.post(
        reverse("volunteering:signup-create", args=[shift.pk]),
        {"person": person.pk, "form_token": "6f1c2d8e-0000-4000-8000-000000000003"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert ShiftSignup.objects.filter(shift=shift).count() == 1


def test_officer_cannot_sign_up_another_associations_member(client, officer_of, other_association, campaign):
    shift = make_shift(campaign)
    outsider = make_member(other_association, "王秘密")
    verified_client(client, officer_of)
    response = client.post(
        reverse("volunteering:signup-create", args=[shift.pk]),
        {"person": outsider.pk, "form_token": "6f1c2d8e-0000-4000-8000-000000000004"},
    )
    assert response.status_code == 400
    assert not ShiftSignup.objects.exists()


def test_member_signs_up_themselves_and_cancels(client, member_user, member_person, business_association, campaign):
    shift = make_shift(campaign)
    verified_client(client, member_user)
    response = client.post(
        reverse("volunteering:signup-create", args=[shift.pk]), {"form_token": "6f1c2d8e-0000-4000-8000-000000000005"}
    )
    assert response.status_code == 302
    signup = ShiftSignup.objects.get()
    assert signup.person == member_person and signup.association == business_association
    page = client.get(reverse("volunteering:campaign-list")).content.decode()
    assert "my-signup-table" in page
    # The volunteer can neither record nor confirm their own hours.
    assert client.get(reverse("volunteering:hours-record", args=[signup.pk])).status_code == 404
    assert client.post(reverse("volunteering:hours-confirm", args=[signup.pk]), {"version": 1}).status_code == 404
    client.post(reverse("volunteering:signup-cancel", args=[signup.pk]), {"version": signup.version})
    signup.refresh_from_db()
    assert signup.status == SignupStatus.CANCELLED


def test_hours_beyond_the_shift_are_refused_then_recorded_and_confirmed(
    client, officer_of, staff_user, business_association
):
    campaign = make_campaign(None)  # the federation's: the officer records, staff confirm
    shift = make_shift(campaign, hours=3)
    signup = services.signup_create(
        shift=shift, person=make_member(business_association, "甲"), association=business_association
    )
    verified_client(client, officer_of)
    url = reverse("volunteering:hours-record", args=[signup.pk])
    response = client.post(url, {"version": signup.version, "status": "attended", "hours": "5"})
    assert response.status_code == 400
    assert "hours" in response.context["form"].errors
    signup.refresh_from_db()
    assert signup.hours is None
    assert client.post(url, {"version": signup.version, "status": "attended", "hours": "2.5"}).status_code == 302
    signup.refresh_from_db()
    assert signup.hours == Decimal("2.5")
    # The officer does not organise the federation's campaign, so cannot confirm.
    confirm = reverse("volunteering:hours-confirm", args=[signup.pk])
    assert client.post(confirm, {"version": signup.version}).status_code == 404
    client.logout()
    verified_client(client, staff_user)
    assert client.post(confirm, {"version": signup.version}).status_code == 302
    signup.refresh_from_db()
    assert signup.confirmed_by == staff_user
    assert not Notification.objects.exists()  # the volunteer has no account


def test_volunteer_with_an_account_hears_their_hours_were_confirmed(
    member_user, member_person, staff_user, business_association, campaign
):
    shift = make_shift(campaign, hours=2)
    signup = services.signup_create(shift=shift, person=member_person, association=business_association)
    signup = services.hours_record(
        signup=signup, expected_version=signup.version, status="attended", hours=Decimal("2"), by=None
    )
    services.hours_confirm(signup=signup, expected_version=signup.version, by=staff_user)
    notice = Notification.objects.get(recipient=member_user)
    assert notice.kind == "volunteering.hours_confirmed" and to_simplified(campaign.name) in notice.body


def test_donation_form_refuses_a_duplicate_receipt_with_a_message(client, officer_of, business_association):
    make_donation(business_association, receipt_number="QS-1")
    verified_client(client, officer_of)
    data = {
        "organiser": str(business_association.pk),
        "kind": "money",
        "donor_name": "李先生",
        "amount": "500",
        "received_on": "2024-03-01",
        "receipt_number": "QS-1",
        "form_token": "6f1c2d8e-0000-4000-8000-000000000006",
    }
    response = client.post(reverse("volunteering:donation-create"), data)
    assert response.status_code == 400
    assert "receipt_number" in response.context["form"].errors
    assert Donation.objects.count() == 1
    data["receipt_number"] = "QS-2"
    assert client.post(reverse("volunteering:donation-create"), data).status_code == 302
    assert Donation.objects.count() == 2


def test_money_donation_without_receipt_shows_field_errors(client, officer_of, business_association):
    verified_client(client, officer_of)
    response = client.post(
        reverse("volunteering:donation-create"),
        {
            "organiser": str(business_association.pk),
            "kind": "money",
            "donor_name": "李先生",
            "amount": "0",
            "received_on": "2024-03-01",
            "form_token": "6f1c2d8e-0000-4000-8000-000000000007",
        },
    )
    assert response.status_code == 400
    assert {"amount", "receipt_number"} <= set(response.context["form"].errors)
    assert not Donation.objects.exists()


def test_officer_sees_only_own_donations_signups_and_no_beneficiary_names(
    client, officer_of, officer_of_other, business_association, other_association
):
    campaign = make_campaign(None, name="聯合送溫暖")
    shift = make_shift(campaign)
    services.signup_create(
        shift=shift, person=make_member(business_association, "甲志願"), association=business_association
    )
    services.signup_create(shift=shift, person=make_member(other_association, "乙秘密"), association=other_association)
    services.beneficiary_create(campaign=campaign, data={"name": "張某某家庭", "kind": "family", "people": 3})
    make_donation(business_association, donor_name="甲捐贈人", receipt_number="1")
    make_donation(other_association, donor_name="乙捐贈人", receipt_number="1")
    verified_client(client, officer_of)
    detail = client.get(reverse("volunteering:campaign-detail", args=[campaign.pk])).content.decode()
    assert "甲志願" in detail and "乙秘密" not in detail and "張某某家庭" not in detail
    donations = client.get(reverse("volunteering:donation-list")).content.decode()
    assert "甲捐贈人" in donations and "乙捐贈人" not in donations
    export = client.get(reverse("volunteering:donation-export"))
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "甲捐贈人" in body and "乙捐贈人" not in body
    assert AuditEntry.objects.filter(action="export", object_type="export.donations").exists()
    totals = client.get(reverse("volunteering:totals") + "?year=2024").content.decode()
    assert other_association.name not in totals
    # A draft campaign of another association does not exist for this officer.
    draft = make_campaign(other_association, open_=False)
    assert client.get(reverse("volunteering:campaign-detail", args=[draft.pk])).status_code == 404


def test_member_cannot_see_donations(client, member_user):
    verified_client(client, member_user)
    assert client.get(reverse("volunteering:donation-list")).status_code == 404
    assert client.get(reverse("volunteering:totals")).status_code == 404


def _many(business_association, n, prefix):
    for i in range(n):
        c = make_campaign(business_association if i % 2 else None, name=f"{prefix}活動{i}")
        s = make_shift(c, starts_at=datetime.datetime(2024, 6, 1, 9, tzinfo=datetime.UTC))
        p = make_member(business_association, f"{prefix}志願{i}")
        signup = services.signup_create(shift=s, person=p, association=business_association)
        signup = services.hours_record(
            signup=signup, expected_version=signup.version, status="attended", hours=Decimal("1"), by=None
        )
        services.hours_confirm(signup=signup, expected_version=signup.version, by=None)
        services.beneficiary_create(campaign=c, data={"name": f"受益{i}", "kind": "school", "people": 10})
        make_donation(business_association, receipt_number=f"{prefix}{i}", campaign=c)


@pytest.mark.parametrize("name", ["volunteering:campaign-list", "volunteering:donation-list", "volunteering:totals"])
@pytest.mark.parametrize("who", ["staff", "officer"])
def test_list_pages_run_a_bounded_number_of_queries(
    client, staff_user, officer_of, business_association, other_association, django_assert_max_num_queries, name, who
):
    url = reverse(name) + ("?year=2024" if name.endswith("totals") else "")
    _many(business_association, 2, "a")
    verified_client(client, staff_user if who == "staff" else officer_of)
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        assert client.get(url).status_code == 200
    _many(business_association, 10, "b")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_campaign_detail_queries_do_not_grow_with_signups(
    client, staff_user, business_association, django_assert_max_num_queries
):
    campaign = make_campaign(business_association)
    verified_client(client, staff_user)
    url = reverse("volunteering:campaign-detail", args=[campaign.pk])
    for i in range(2):
        shift = make_shift(campaign, capacity=20)
        services.signup_create(
            shift=shift, person=make_member(business_association, f"人{i}"), association=business_association
        )
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for i in range(6):
        shift = make_shift(campaign, capacity=20)
        for j in range(3):
            services.signup_create(
                shift=shift, person=make_member(business_association, f"多{i}{j}"), association=business_association
            )
        services.beneficiary_create(campaign=campaign, data={"name": f"受益{i}", "kind": "school", "people": 5})
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_demo_loads_once_and_feeds_the_report(federation, business_association, make_person, make_user):
    from qiaojia.volunteering.demo import load_volunteering_demo
    from qiaojia.volunteering.selectors import donation_report_totals

    for name in ("甲", "乙", "丙", "丁"):
        make_person(name, association=business_association)
    make_user("staff", Role.STAFF)
    load_volunteering_demo(federation=federation)
    load_volunteering_demo(federation=federation)
    assert Campaign.objects.count() == 3
    assert set(Campaign.objects.values_list("brand", flat=True)) == {"zero_distance", "warmth", "together"}
    totals = donation_report_totals(association_id=business_association.pk, year=2024)
    assert totals["donations_domestic"] == Decimal("62800.00")
    assert totals["donations_foreign"] == Decimal("30000.00")
    assert donation_report_totals(association_id=business_association.pk, year=2025)["volunteer_hours"] > 0


def _confirm(signup, hours, by):
    signup = services.hours_record(
        signup=signup, expected_version=signup.version, status="attended", hours=Decimal(hours), by=None
    )
    return services.hours_confirm(signup=signup, expected_version=signup.version, by=by)


def _share(hours, volunteers):
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(settings.LANGUAGE_CODE):
        text = gettext("confirmed hours: %(hours)s; volunteers: %(n)s")
    return text % {"hours": hours, "n": volunteers}


def _totals_block(response):
    html = response.content.decode()
    return html[html.index('id="campaign-totals"') :]


def test_everyone_who_sees_a_campaign_sees_its_confirmed_hours_whole_and_their_own_share(
    client, staff_user, officer_of, officer_of_other, other_association, member_user, member_person, campaign
):
    shift = make_shift(campaign, hours=3)
    volunteer = make_member(campaign.association, "志願者甲")
    association = campaign.association
    _confirm(services.signup_create(shift=shift, person=volunteer, association=association), "2", staff_user)
    _confirm(services.signup_create(shift=shift, person=member_person, association=association), "1", staff_user)
    url = reverse("volunteering:campaign-detail", args=[campaign.pk])

    verified_client(client, officer_of_other)  # another association's officer: none of the volunteers are theirs
    block = _totals_block(client.get(url))
    assert '<dd id="campaign-hours">3</dd>' in block and '<dd id="campaign-volunteers">2</dd>' in block
    assert 'id="hours-share"' in block and _share(0, 0) in block
    assert "志願者甲" not in client.get(url).content.decode()  # who volunteered stays out of sight

    verified_client(client, member_user)  # the volunteer: the whole, and their own hour
    block = _totals_block(client.get(url))
    assert '<dd id="campaign-hours">3</dd>' in block and _share(1, 1) in block

    verified_client(client, officer_of)  # the organiser: the whole, no share line
    block = _totals_block(client.get(url))
    assert '<dd id="campaign-hours">3</dd>' in block and 'id="hours-share"' not in block
