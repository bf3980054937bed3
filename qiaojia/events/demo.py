"""The seed's flagship events in the demo: 黃帝故里拜祖大典, 知名僑商中原行 and 世界客屬懇親大會.

The report names the events only; dates other than the rite's (三月初三, 31 March 2025 in 新鄭) and
the demo's delegations are invented. The 拜祖大典 is over with the business association's delegation
checked in, the 中原行 is open with its delegation approved, the 懇親大會 is still a draft."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from qiaojia.core.services import update_versioned
from qiaojia.orgs.models import Association, AssociationTitle, Federation, Term

from . import services
from .models import Delegate, DelegateRole, DelegationStatus, EventStatus, FlagshipEvent

BUSINESS = "河南省僑商聯合會"
SHANGHAI = ZoneInfo("Asia/Shanghai")

EVENTS = [
    {
        "slug": "huangdi-2025",
        "name": "乙巳年黃帝故里拜祖大典",
        "starts_on": datetime.date(2025, 3, 31),
        "place": "新鄭市黃帝故里",
        "default_quota": 5,
        "capacity": 300,
        "published": True,
        "registration_opens": datetime.date(2025, 2, 10),
        "registration_closes": datetime.date(2025, 3, 20),
        "description": "農曆三月初三，海內外華人同拜軒轅黃帝。省僑聯組織所屬社團和海外僑胞代表參加大典。",
        "final": EventStatus.FINISHED,
    },
    {
        "slug": "qiaoshang-zhongyuan-2025",
        "name": "2025知名僑商中原行",
        "starts_on": datetime.date(2025, 9, 16),
        "ends_on": datetime.date(2025, 9, 19),
        "place": "鄭州、洛陽、開封",
        "default_quota": 6,
        "capacity": 200,
        "published": True,
        "description": "邀請海外知名僑商走進中原，考察產業園區，洽談合作項目，助力企業出海和招商引資。",
        "final": EventStatus.OPEN,
    },
    {
        "slug": "hakka-2025",
        "name": "世界客屬懇親大會",
        "starts_on": datetime.date(2025, 11, 20),
        "ends_on": datetime.date(2025, 11, 22),
        "place": "鄭州",
        "default_quota": 4,
        "capacity": None,
        "published": False,
        "description": "海內外客屬鄉親聯誼懇親，共敘鄉情。",
        "final": EventStatus.DRAFT,
    },
]

# (name, role, country, organisation): the delegation's other people, invented for the demo.
DELEGATES = [
    ("柴莉", DelegateRole.MEMBER, "", "河南省僑商聯合會"),
    ("林志偉", DelegateRole.OVERSEAS_GUEST, "MY", "馬來西亞河南商會"),
]


def _officers(association: Association, on: datetime.date) -> dict[str, str]:
    terms = (
        Term.objects.current(on)
        .filter(association=association, title__in=[AssociationTitle.PRESIDENT])
        .select_related("person")
    )
    return {t.title: t.person.name for t in terms}


def _move(event: FlagshipEvent, *statuses: str) -> FlagshipEvent:
    for status in statuses:
        event = services.event_set_status(event=event, expected_version=event.version, status=status)
    return event


def _delegation(event: FlagshipEvent, business: Association, *, checked_in: bool) -> None:
    leader = _officers(business, event.starts_on).get(AssociationTitle.PRESIDENT, "鄭定輝")
    delegation = services.delegation_create(
        event=event,
        association=business,
        data={"leader_name": leader, "contact_phone": "+8613912345678", "note": "演示數據"},
    )
    for name, role, country, organisation in DELEGATES:
        services.delegate_add(
            delegation=delegation, data={"name": name, "role": role, "country": country, "organisation": organisation}
        )
    delegation = services.delegation_submit(delegation=delegation, expected_version=delegation.version)
    # Decided without notices: the demo's officers have nothing new to read.
    delegation = update_versioned(
        delegation, expected_version=delegation.version, status=DelegationStatus.APPROVED, reviewed_at=timezone.now()
    )
    if checked_in:
        at = datetime.datetime.combine(event.starts_on, datetime.time(8, 30), tzinfo=SHANGHAI)
        for n, delegate in enumerate(Delegate.objects.filter(delegation=delegation).select_related("delegation")):
            services.delegate_check_in(delegate=delegate, by_user=None, at=at + datetime.timedelta(minutes=n))


def load_events_demo(*, federation: Federation | None = None) -> None:
    """Create the three events (and the business association's delegations); does nothing if they exist."""
    federation = federation or Federation.objects.order_by("id").first()
    if federation is None or FlagshipEvent.objects.filter(slug=EVENTS[0]["slug"]).exists():
        return
    business = Association.objects.filter(name=BUSINESS).first()
    for spec in EVENTS:
        data = {k: v for k, v in spec.items() if k != "final"}
        event = services.event_create(federation=federation, data=data)
        final = spec["final"]
        if final == EventStatus.DRAFT:
            continue
        # Registration is recorded while the event is open, whatever its window says today.
        window = {"registration_opens": event.registration_opens, "registration_closes": event.registration_closes}
        event = services.event_update(
            event=event, expected_version=event.version, data={"registration_opens": None, "registration_closes": None}
        )
        event = _move(event, EventStatus.OPEN)
        if business is not None:
            _delegation(event, business, checked_in=final == EventStatus.FINISHED)
        if final == EventStatus.FINISHED:
            event = _move(event, EventStatus.CLOSED, EventStatus.FINISHED)
        services.event_update(event=event, expected_version=event.version, data=window)
