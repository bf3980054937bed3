"""Volunteering in the demo: one 2025 campaign under each brand the seed names (零距離聚僑心, 送溫暖獻愛心,
豫僑同行), with shifts, volunteers from 河南省僑商聯合會 and their confirmed hours, beneficiaries, and the
business association's 2024 donations at home and from abroad, so its annual report shows them."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from qiaojia.accounts.models import Role, User
from qiaojia.members.models import Membership, Person
from qiaojia.orgs.models import Association, Federation

from . import services
from .models import BeneficiaryKind, Campaign, CampaignBrand, CampaignStatus, DonationKind, SignupStatus

BUSINESS = "河南省僑商聯合會"
SHANGHAI = ZoneInfo("Asia/Shanghai")

CAMPAIGNS = [
    # brand, name, starts, ends, place, organised by the business association?, status at the end
    (
        CampaignBrand.ZERO_DISTANCE,
        "零距離聚僑心·僑界政策宣講進社區",
        datetime.date(2025, 4, 12),
        None,
        "鄭州市金水區",
        False,
        CampaignStatus.OPEN,
    ),
    (
        CampaignBrand.WARMTH,
        "送溫暖獻愛心·春節走訪慰問困難歸僑僑眷",
        datetime.date(2025, 1, 18),
        datetime.date(2025, 1, 25),
        "鄭州市",
        True,
        CampaignStatus.CLOSED,
    ),
    (
        CampaignBrand.TOGETHER,
        "豫僑同行·助學支教志願服務",
        datetime.date(2025, 7, 8),
        datetime.date(2025, 7, 20),
        "信陽市新縣",
        False,
        CampaignStatus.CLOSED,
    ),
]

SHIFTS = {
    CampaignBrand.ZERO_DISTANCE: [("政策宣講與諮詢", 9, 3, 6)],
    CampaignBrand.WARMTH: [("入戶走訪慰問", 9, 4, 6), ("物資分裝與配送", 14, 3, 8)],
    CampaignBrand.TOGETHER: [("暑期支教", 8, 6, 5)],
}

BENEFICIARIES = {
    CampaignBrand.ZERO_DISTANCE: [("金水區某社區歸僑僑眷", BeneficiaryKind.COMMUNITY, 60)],
    CampaignBrand.WARMTH: [
        ("困難歸僑僑眷家庭（20戶）", BeneficiaryKind.FAMILY, 52),
        ("市福利院", BeneficiaryKind.OTHER, 80),
    ],
    CampaignBrand.TOGETHER: [("新縣某小學", BeneficiaryKind.SCHOOL, 230)],
}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI)


def load_volunteering_demo(*, federation: Federation) -> None:
    if Campaign.objects.filter(federation=federation).exists():
        return
    business = Association.objects.filter(federation=federation, name=BUSINESS).first()
    if business is None:
        return
    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("id").first()
    people = list(
        Person.objects.filter(
            pk__in=Membership.objects.filter(association=business, left_on__isnull=True, person__isnull=False).values(
                "person_id"
            )
        ).order_by("id")[:12]
    )
    campaigns = {}
    for brand, name, starts, ends, place, by_business, final_status in CAMPAIGNS:
        campaign = services.campaign_create(
            federation=federation,
            association=business if by_business else None,
            data={"brand": brand, "name": name, "starts_on": starts, "ends_on": ends, "place": place},
        )
        campaign = services.campaign_set_status(
            campaign=campaign, expected_version=campaign.version, status=CampaignStatus.OPEN
        )
        campaigns[brand] = campaign
        volunteers = iter(people)
        for task, hour, length, capacity in SHIFTS[brand]:
            shift = services.shift_create(
                campaign=campaign,
                data={
                    "task": task,
                    "starts_at": _at(starts, hour),
                    "ends_at": _at(starts, hour + length),
                    "place": place,
                    "capacity": capacity,
                },
            )
            for _n in range(min(3, capacity)):
                person = next(volunteers, None)
                if person is None:
                    break
                signup = services.signup_create(shift=shift, person=person, association=business)
                signup = services.hours_record(
                    signup=signup,
                    expected_version=signup.version,
                    status=SignupStatus.ATTENDED,
                    hours=Decimal(length),
                    by=staff,
                )
                services.hours_confirm(signup=signup, expected_version=signup.version, by=staff)
        for b_name, kind, count in BENEFICIARIES[brand]:
            services.beneficiary_create(campaign=campaign, data={"name": b_name, "kind": kind, "people": count})
        if final_status != CampaignStatus.OPEN:
            services.campaign_set_status(campaign=campaign, expected_version=campaign.version, status=final_status)
    donations = [
        {
            "kind": DonationKind.MONEY,
            "donor_name": "河南某僑資實業有限公司",
            "amount": Decimal("50000.00"),
            "received_on": datetime.date(2024, 5, 20),
            "receipt_number": "QS2024-001",
            "recipient_name": "省僑聯助學項目",
        },
        {
            "kind": DonationKind.MONEY,
            "donor_name": "馬來西亞某僑商",
            "from_abroad": True,
            "donor_country": "MY",
            "amount": Decimal("30000.00"),
            "received_on": datetime.date(2024, 9, 3),
            "receipt_number": "QS2024-002",
            "recipient_name": "困難歸僑僑眷幫扶",
        },
        {
            "kind": DonationKind.GOODS,
            "donor_name": "鄭州某商貿有限公司",
            "description": "防疫物資及棉被",
            "estimated_value": Decimal("12800.00"),
            "received_on": datetime.date(2024, 12, 10),
        },
        {
            "kind": DonationKind.MONEY,
            "donor_name": "澳大利亞某華人商會",
            "from_abroad": True,
            "donor_country": "AU",
            "amount": Decimal("15000.00"),
            "received_on": datetime.date(2025, 1, 15),
            "receipt_number": "QS2025-001",
            "campaign": campaigns[CampaignBrand.WARMTH],
        },
    ]
    for data in donations:
        services.donation_create(federation=federation, association=business, data=data)
