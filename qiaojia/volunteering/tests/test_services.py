import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from qiaojia.core.models import AuditEntry
from qiaojia.core.services import ConflictError
from qiaojia.volunteering import selectors, services
from qiaojia.volunteering.models import CampaignStatus, Donation, DonationKind, ShiftSignup, SignupStatus

from .world import make_campaign, make_donation, make_member, make_shift

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(federation, business_association):
    return make_campaign(business_association)


@pytest.fixture
def shift(campaign):
    return make_shift(campaign, capacity=2, hours=3)


def test_campaign_create_refuses_end_before_start(federation):
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(
            federation=federation,
            association=None,
            data={
                "brand": "warmth",
                "name": "x",
                "starts_on": datetime.date(2025, 2, 1),
                "ends_on": datetime.date(2025, 1, 1),
            },
        )
    assert "ends_on" in exc.value.message_dict


def test_campaign_status_follows_the_transition_table(campaign):
    with pytest.raises(ValidationError):
        services.campaign_set_status(campaign=campaign, expected_version=campaign.version, status=CampaignStatus.DRAFT)
    closed = services.campaign_set_status(
        campaign=campaign, expected_version=campaign.version, status=CampaignStatus.CLOSED
    )
    assert closed.status == CampaignStatus.CLOSED
    with pytest.raises(ConflictError):
        services.campaign_set_status(campaign=campaign, expected_version=campaign.version, status=CampaignStatus.OPEN)


def test_campaign_update_refuses_a_stale_version(campaign):
    services.campaign_update(campaign=campaign, expected_version=campaign.version, data={"place": "洛陽"})
    with pytest.raises(ConflictError):
        services.campaign_update(campaign=campaign, expected_version=campaign.version, data={"place": "開封"})
    campaign.refresh_from_db()
    assert campaign.place == "洛陽"


def test_signup_refuses_a_full_shift_and_nothing_changes(shift, business_association):
    for name in ("甲", "乙"):
        services.signup_create(
            shift=shift, person=make_member(business_association, name), association=business_association
        )
    late = make_member(business_association, "丙")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.signup_create(shift=shift, person=late, association=business_association)
    assert "full" in " ".join(exc.value.messages)
    assert ShiftSignup.objects.filter(shift=shift).count() == 2


def test_a_cancelled_place_can_be_taken_again(shift, business_association):
    first = services.signup_create(
        shift=shift, person=make_member(business_association, "甲"), association=business_association
    )
    services.signup_create(
        shift=shift, person=make_member(business_association, "乙"), association=business_association
    )
    services.signup_cancel(signup=first, expected_version=first.version)
    again = services.signup_create(shift=shift, person=first.person, association=business_association)
    assert again.pk == first.pk and again.status == SignupStatus.SIGNED_UP


def test_signup_refuses_twice_and_a_campaign_not_open(federation, business_association):
    draft = make_campaign(business_association, open_=False)
    shift = make_shift(draft)
    person = make_member(business_association, "甲")
    with pytest.raises(ValidationError):
        services.signup_create(shift=shift, person=person, association=business_association)
    services.campaign_set_status(campaign=draft, expected_version=draft.version, status=CampaignStatus.OPEN)
    services.signup_create(shift=shift, person=person, association=business_association)
    with pytest.raises(ValidationError):
        services.signup_create(shift=shift, person=person, association=business_association)


def test_hours_must_fit_the_shift_and_confirmation_is_by_someone_else(shift, business_association, make_user):
    from qiaojia.accounts.models import Role

    person = make_member(business_association, "甲")
    signup = services.signup_create(shift=shift, person=person, association=business_association)
    with pytest.raises(ValidationError) as exc:
        services.hours_record(
            signup=signup, expected_version=signup.version, status=SignupStatus.ATTENDED, hours=Decimal("3.5"), by=None
        )
    assert "hours" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.hours_record(
            signup=signup, expected_version=signup.version, status=SignupStatus.ATTENDED, hours=Decimal("-1"), by=None
        )
    signup = services.hours_record(
        signup=signup, expected_version=signup.version, status=SignupStatus.ATTENDED, hours=Decimal("3"), by=None
    )
    volunteer_user = make_user("volunteer", Role.MEMBER, person=person)
    with pytest.raises(ValidationError):
        services.hours_confirm(signup=signup, expected_version=signup.version, by=volunteer_user)
    signup.refresh_from_db()
    assert signup.confirmed_at is None
    other = make_user("other", Role.STAFF)
    signup = services.hours_confirm(signup=signup, expected_version=signup.version, by=other)
    assert signup.confirmed_by == other and signup.confirmed_at
    # A change of hours withdraws the confirmation.
    signup = services.hours_record(
        signup=signup, expected_version=signup.version, status=SignupStatus.ATTENDED, hours=Decimal("2"), by=None
    )
    assert signup.confirmed_at is None
    with pytest.raises(ConflictError):
        services.hours_record(
            signup=signup,
            expected_version=signup.version - 1,
            status=SignupStatus.ATTENDED,
            hours=Decimal("1"),
            by=None,
        )


def test_money_donation_needs_amount_and_receipt(business_association):
    with pytest.raises(ValidationError) as exc:
        make_donation(business_association, amount=Decimal("0"), receipt_number="")
    assert {"amount", "receipt_number"} <= set(exc.value.message_dict)
    assert not Donation.objects.exists()


def test_goods_donation_needs_description_and_value(business_association):
    with pytest.raises(ValidationError) as exc:
        make_donation(business_association, kind=DonationKind.GOODS, amount=None, receipt_number="")
    assert {"description", "estimated_value"} <= set(exc.value.message_dict)
    goods = make_donation(
        business_association,
        kind=DonationKind.GOODS,
        amount=Decimal("5"),
        receipt_number="",
        description="棉被100床",
        estimated_value=Decimal("0"),
    )
    assert goods.amount is None and goods.value == 0


def test_duplicate_receipt_in_one_association_is_refused(business_association, other_association):
    make_donation(business_association, receipt_number="R-9")
    with pytest.raises(ValidationError) as exc:
        make_donation(business_association, receipt_number="R-9")
    assert "R-9" in exc.value.message_dict["receipt_number"][0]
    make_donation(other_association, receipt_number="R-9")  # another association's numbering
    make_donation(None, receipt_number="R-9")
    with pytest.raises(ValidationError):
        make_donation(None, receipt_number="R-9")
    assert Donation.objects.count() == 3


def test_donation_edit_keeps_its_own_receipt_and_detects_conflicts(business_association):
    donation = make_donation(business_association, receipt_number="R-1")
    data = {
        "kind": "money",
        "donor_name": "王先生",
        "amount": Decimal("20"),
        "received_on": donation.received_on,
        "receipt_number": "R-1",
    }
    updated = services.donation_update(donation=donation, expected_version=donation.version, data=data)
    assert updated.donor_name == "王先生"
    with pytest.raises(ConflictError):
        services.donation_update(donation=donation, expected_version=donation.version, data=data)
    services.donation_delete(donation=updated, expected_version=updated.version)
    assert not Donation.objects.exists()
    assert AuditEntry.objects.filter(object_type="volunteering.donation", action="delete").exists()


def test_donor_country_abroad_counts_as_from_abroad(business_association):
    donation = make_donation(business_association, donor_country="MY")
    assert donation.from_abroad


def test_report_totals_split_domestic_and_foreign_and_count_confirmed_hours(
    business_association, other_association, make_user, django_assert_max_num_queries
):
    from qiaojia.accounts.models import Role

    make_donation(business_association, amount=Decimal("1000.50"), receipt_number="1")
    make_donation(business_association, amount=Decimal("2000"), receipt_number="2", from_abroad=True)
    make_donation(
        business_association,
        kind=DonationKind.GOODS,
        amount=None,
        receipt_number="",
        description="口罩",
        estimated_value=Decimal("300"),
    )
    make_donation(
        business_association,
        kind=DonationKind.GOODS,
        amount=None,
        receipt_number="",
        description="藥品",
        estimated_value=Decimal("700"),
        donor_country="US",
    )
    make_donation(
        business_association, amount=Decimal("99"), receipt_number="3", received_on=datetime.date(2023, 12, 31)
    )
    make_donation(other_association, amount=Decimal("5000"), receipt_number="1")
    campaign = make_campaign(business_association)
    shift = make_shift(campaign, starts_at=timezone.make_aware(datetime.datetime(2024, 5, 1, 9)), hours=4)
    staff = make_user("staff", Role.STAFF)
    for name, hours, confirm in (("甲", "4", True), ("乙", "2.5", True), ("丙", "3", False)):
        s = services.signup_create(
            shift=shift, person=make_member(business_association, name), association=business_association
        )
        s = services.hours_record(
            signup=s, expected_version=s.version, status=SignupStatus.ATTENDED, hours=Decimal(hours), by=None
        )
        if confirm:
            services.hours_confirm(signup=s, expected_version=s.version, by=staff)
    with django_assert_max_num_queries(2):
        totals = selectors.donation_report_totals(association_id=business_association.pk, year=2024)
    assert totals == {
        "donations_domestic": Decimal("1300.50"),
        "donations_foreign": Decimal("2700.00"),
        "volunteer_hours": Decimal("6.50"),
        "volunteer_count": 2,
    }
    empty = selectors.donation_report_totals(association_id=other_association.pk, year=2024)
    assert empty["donations_foreign"] == 0 and empty["volunteer_count"] == 0 and empty["donations_domestic"] == 5000


def test_association_totals_for_staff_list_every_association(
    business_association, other_association, make_user, django_assert_max_num_queries
):
    from qiaojia.accounts.models import Role

    staff = make_user("staff", Role.STAFF)
    make_donation(business_association, amount=Decimal("100"), receipt_number="1")
    make_donation(None, amount=Decimal("50"), receipt_number="1", from_abroad=True)
    with django_assert_max_num_queries(4):
        result = selectors.association_totals(viewer=staff, year=2024)
    by_name = {(r["association"].name if r["association"] else None): r for r in result["rows"]}
    assert by_name[business_association.name]["money"] == 100
    assert by_name[other_association.name]["money"] == 0
    assert by_name[None]["foreign"] == 50
    assert result["total"]["money"] == 150
