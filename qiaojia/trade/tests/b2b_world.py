"""B2B matchmaking in the shared isolation world, and small builders for its tests."""

import datetime

from qiaojia.events.tests.world import events_world
from qiaojia.members import services as member_services
from qiaojia.members.models import Enterprise, MembershipLevel
from qiaojia.trade.b2b import services


def second_enterprise(association, name: str, *, representative=None):
    from conftest import make_credit_code

    enterprise = member_services.enterprise_create(
        # Numbers apart from the other fixtures' codes, new in each test's database.
        data={
            "name": name,
            "credit_code": make_credit_code(700_000 + Enterprise.objects.count()),
            "representative": representative,
        },
    )
    member_services.membership_create(
        association=association,
        enterprise=enterprise,
        data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": datetime.date(2021, 1, 1)},
    )
    return enterprise


def open_session(event, *, slots: int = 4, tables: int = 2, by=None):
    return services.session_open(
        event=event,
        day=event.starts_on,
        first_starts=datetime.time(9, 0),
        minutes=20,
        slot_count=slots,
        table_count=tables,
        place="鄭州國際會展中心",
        by=by,
    )


def join(session, enterprise, association, offers_text="光伏組件", seeks_text="馬來西亞經銷商"):
    return services.participant_join(
        session=session, enterprise=enterprise, association=association, offers_text=offers_text, seeks_text=seeks_text
    )


def b2b_world(w, k):
    """One session on the shared event (made once); association k's two participants (its enterprise and a
    second one), the second asking the first for a meeting in the first slot."""
    if "b2b" not in w:
        event = events_world(w, "A")["event"]
        events_world(w, "B")
        w["b2b"] = open_session(event)
    if ("b2b", k) not in w:
        session = w["b2b"]
        association = w[k]["association"]
        first = join(session, w[k]["enterprise"], association)
        second = join(session, second_enterprise(association, f"{association.name}第二企業"), association)
        second_enterprise(association, f"{association.name}第三企業")  # not taking part yet: it may join
        slot = session.slots.order_by("starts_at").first()
        meeting = services.meeting_request(requester=second, invitee=first, slot=slot)
        w["b2b", k] = {"session": session, "participant": first, "meeting": meeting}
    return w["b2b", k]


def session_kwargs(w, k):
    return {"pk": b2b_world(w, k)["session"].pk}


def participant_kwargs(w, k):
    return {"pk": b2b_world(w, k)["participant"].pk}


def meeting_kwargs(w, k):
    return {"pk": b2b_world(w, k)["meeting"].pk}


def event_kwargs(w, k):
    return {"event_pk": events_world(w, k)["event"].pk}
