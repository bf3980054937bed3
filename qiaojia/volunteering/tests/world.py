"""Volunteering in the shared isolation world (qiaojia/core/tests/test_isolation.py), and small builders."""

import datetime
from decimal import Decimal

from django.utils import timezone

from qiaojia.members import services as member_services
from qiaojia.members.models import MembershipLevel
from qiaojia.orgs.models import Federation
from qiaojia.volunteering import services
from qiaojia.volunteering.models import BeneficiaryKind, CampaignBrand, CampaignStatus, DonationKind


def make_campaign(association=None, *, name="送溫暖獻愛心·春節慰問", brand=CampaignBrand.WARMTH, open_=True, **data):
    federation = Federation.objects.order_by("id").first()
    campaign = services.campaign_create(
        federation=federation,
        association=association,
        data={
            "brand": brand,
            "name": name,
            "starts_on": data.pop("starts_on", datetime.date(2025, 1, 20)),
            "place": data.pop("place", "鄭州"),
            **data,
        },
    )
    if open_:
        campaign = services.campaign_set_status(
            campaign=campaign, expected_version=campaign.version, status=CampaignStatus.OPEN
        )
    return campaign


def make_shift(campaign, *, starts_at=None, hours=3, capacity=5, task="入戶慰問"):
    starts_at = starts_at or timezone.now().replace(microsecond=0)
    return services.shift_create(
        campaign=campaign,
        data={
            "task": task,
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=hours),
            "place": "金水區",
            "capacity": capacity,
        },
    )


def make_member(association, name):
    return member_services.member_add(
        association=association,
        person_data={"name": name},
        membership_data={"level": MembershipLevel.MEMBER, "joined_on": datetime.date(2020, 1, 1)},
    ).person


def make_donation(association, **data):
    federation = Federation.objects.order_by("id").first()
    values = {
        "kind": DonationKind.MONEY,
        "donor_name": "鄭州某實業有限公司",
        "amount": Decimal("1000.00"),
        "received_on": datetime.date(2024, 6, 1),
        "receipt_number": "R-0001",
        **data,
    }
    return services.donation_create(federation=federation, association=association, data=values)


def volunteering_world(w, k):
    """A campaign of association k with a shift, a volunteer (not the member user), a beneficiary and a
    donation (made once per world)."""
    if ("volunteering", k) not in w:
        association = w[k]["association"]
        campaign = make_campaign(association, name=f"{association.name}送溫暖")
        shift = make_shift(campaign)
        volunteer = make_member(association, "志願者甲" if k == "A" else "志願者乙")
        signup = services.signup_create(shift=shift, person=volunteer, association=association)
        beneficiary = services.beneficiary_create(
            campaign=campaign, data={"name": "困難僑眷家庭", "kind": BeneficiaryKind.FAMILY, "people": 3}
        )
        donation = make_donation(association, receipt_number=f"R-{k}")
        w["volunteering", k] = {
            "campaign": campaign,
            "shift": shift,
            "signup": signup,
            "beneficiary": beneficiary,
            "donation": donation,
        }
    return w["volunteering", k]
