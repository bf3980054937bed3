"""A B2B meeting schedule at the demo's 知名僑商中原行: matchmaking opened on its second day (twelve slots of
twenty minutes, eight tables), the trade demo's enterprises and other member enterprises of the associations
with an approved delegation taking part with what they offer and seek, and meetings in every state: held
with an outcome (one to be followed by an introduction), a no-show, accepted, asked for and declined.

Every enterprise is invented (see trade/demo.py); no meeting names a person. The other association's
delegation is registered and approved through the events services, as its officers and staff would."""

import datetime

from qiaojia.accounts.models import Role, User
from qiaojia.events import services as event_services
from qiaojia.events.models import Delegation, DelegationStatus, FlagshipEvent
from qiaojia.members.models import Enterprise
from qiaojia.orgs.models import Association

from . import services
from .models import B2BSession, MeetingOutcome, MeetingStatus
from .selectors import joinable_enterprises

EVENT_SLUG = "qiaoshang-zhongyuan-2025"

# What the enterprises say they offer and seek at the event, in either script, by their place in the list.
WORDS = [
    ("光伏逆變器、儲能系統整體方案", "馬來西亞、泰國的光伏組件供應商和工程總包"),
    ("速冻水饺、方便面、调味品", "东南亚食品进口商和连锁超市"),
    ("工業機器人、視覺檢測設備", "僑資基金和海外技術合作夥伴"),
    ("太陽能電池板、光伏組件（馬來西亞、新加坡）", "河南的光伏項目和儲能合作"),
    ("股權投資、跨境併購顧問", "河南智能裝備和新能源項目"),
    ("泰國食品進口與分銷網絡", "河南速凍食品、方便麵貨源"),
    ("跨境物流、海外倉", "出口企業客戶"),
    ("中醫藥保健品", "東南亞分銷商"),
]

# (asker, asked, slot, final state, outcome, note) by place in the participants list
MEETINGS = [
    (0, 3, 0, MeetingStatus.HELD, MeetingOutcome.INTRODUCTION, "雙方約定由協會撮合，下月赴吉隆坡考察工廠"),
    (5, 1, 1, MeetingStatus.HELD, MeetingOutcome.FURTHER_TALKS, "寄送樣品，十月再談價格"),
    (4, 2, 2, MeetingStatus.HELD, MeetingOutcome.AGREEMENT, "簽署投資意向書"),
    (6, 1, 3, MeetingStatus.NO_SHOW, "", ""),
    (3, 4, 4, MeetingStatus.ACCEPTED, "", ""),
    (7, 5, 5, MeetingStatus.REQUESTED, "", ""),
    (6, 0, 6, MeetingStatus.DECLINED, "", ""),
]


def _delegation_for(event: FlagshipEvent, association: Association) -> None:
    if Delegation.objects.filter(event=event, association=association, status=DelegationStatus.APPROVED).exists():
        return
    delegation = event_services.delegation_create(
        event=event, association=association, data={"leader_name": "林振華", "contact_phone": "+60123456789"}
    )
    delegation = event_services.delegation_submit(delegation=delegation, expected_version=delegation.version)
    event_services.delegation_approve(delegation=delegation, expected_version=delegation.version, by_user=None)


def load_b2b_demo(*, business: Association, others: list[Association], first: list[Enterprise]) -> dict[str, int]:
    """`first`: the trade demo's enterprises, which take part first. Does nothing without the event."""
    event = FlagshipEvent.objects.filter(slug=EVENT_SLUG).first()
    if event is None or B2BSession.objects.filter(event=event).exists():
        return {"participants": 0, "meetings": 0}
    for association in {a.pk: a for a in others if a.pk != business.pk}.values():
        _delegation_for(event, association)
    session = services.session_open(
        event=event,
        day=event.starts_on + datetime.timedelta(days=1),
        first_starts=datetime.time(9, 0),
        minutes=20,
        slot_count=12,
        table_count=8,
        place="鄭州國際會展中心 B2B洽談區",
    )
    organiser = User.objects.filter(role=Role.ADMIN).order_by("id").first() or User(role=Role.ADMIN)
    joinable = dict((e.pk, (e, a)) for e, a in joinable_enterprises(viewer=organiser, session=session))
    order = [e.pk for e in first if e.pk in joinable] + [pk for pk in joinable if pk not in {e.pk for e in first}]
    associations = {a.pk: a for a in Association.objects.filter(pk__in={a for _e, a in joinable.values()})}
    participants = []
    for pk, (offers_text, seeks_text) in zip(order, WORDS, strict=False):
        enterprise, association_id = joinable[pk]
        participants.append(
            services.participant_join(
                session=session,
                enterprise=enterprise,
                association=associations[association_id],
                offers_text=offers_text,
                seeks_text=seeks_text,
            )
        )
    slots = list(session.slots.order_by("starts_at"))
    made = 0
    for asker, asked, slot, state, outcome, note in MEETINGS:
        if max(asker, asked) >= len(participants):
            continue
        meeting = services.meeting_request(
            requester=participants[asker], invitee=participants[asked], slot=slots[slot], message="希望當面交流"
        )
        made += 1
        if state == MeetingStatus.DECLINED:
            services.meeting_decline(meeting=meeting, expected_version=meeting.version)
            continue
        if state == MeetingStatus.REQUESTED:
            continue
        meeting = services.meeting_accept(meeting=meeting, expected_version=meeting.version)
        if state in (MeetingStatus.HELD, MeetingStatus.NO_SHOW):
            services.meeting_record(
                meeting=meeting, status=state, outcome=outcome, outcome_note=note, expected_version=meeting.version
            )
    return {"participants": len(participants), "meetings": made}
