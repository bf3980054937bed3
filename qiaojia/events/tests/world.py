"""Flagship events for the shared isolation world (qiaojia/core/tests/test_isolation.py) and small helpers."""

import datetime

from django.utils import timezone

from qiaojia.accounts.models import Role, User
from qiaojia.events import services
from qiaojia.events.models import DelegateRole, EventStatus
from qiaojia.orgs.models import Federation


def make_event(*, name="2025年知名僑商中原行", slug="qiaoshang-2025", status=EventStatus.OPEN, **data):
    federation = Federation.objects.order_by("id").first()
    today = timezone.localdate()
    event = services.event_create(
        federation=federation,
        data={
            "name": name,
            "slug": slug,
            "starts_on": data.pop("starts_on", today + datetime.timedelta(days=30)),
            "place": data.pop("place", "鄭州"),
            "default_quota": data.pop("default_quota", 5),
            "published": data.pop("published", True),
            **data,
        },
    )
    if status != EventStatus.DRAFT:
        event = services.event_set_status(event=event, expected_version=event.version, status=EventStatus.OPEN)
    if status in (EventStatus.CLOSED, EventStatus.FINISHED):
        event = services.event_set_status(event=event, expected_version=event.version, status=EventStatus.CLOSED)
    if status == EventStatus.FINISHED:
        event = services.event_set_status(event=event, expected_version=event.version, status=EventStatus.FINISHED)
    return event


def make_delegation(event, association, *, leader="鄭定輝", members=(), submit=False):
    delegation = services.delegation_create(
        event=event, association=association, data={"leader_name": leader, "contact_phone": "13912345678"}
    )
    for name in members:
        services.delegate_add(delegation=delegation, data={"name": name, "role": DelegateRole.MEMBER})
    if submit:
        delegation = services.delegation_submit(delegation=delegation, expected_version=delegation.version)
    return delegation


def approve(delegation):
    staff = User.objects.filter(role__in=[Role.STAFF, Role.ADMIN]).first()
    return services.delegation_approve(delegation=delegation, expected_version=delegation.version, by_user=staff)


def events_world(w, k):
    """One open published event shared by both associations (made once), and association k's approved
    delegation of two with an overseas guest."""
    if "event" not in w:
        w["event"] = make_event()
    if ("delegation", k) not in w:
        event = w["event"]
        association = w[k]["association"]
        delegation = make_delegation(event, association, leader=w[k]["person"].name)
        guest = services.delegate_add(
            delegation=delegation, data={"name": "Lim Wei", "role": DelegateRole.OVERSEAS_GUEST, "country": "MY"}
        )
        delegation = services.delegation_submit(delegation=delegation, expected_version=delegation.version)
        delegation = approve(delegation)
        w["delegation", k] = {"delegation": delegation, "delegate": guest, "event": event}
    return w["delegation", k]


def event_kwargs(w, k):
    return {"pk": events_world(w, k)["event"].pk}


def delegation_kwargs(w, k):
    return {"pk": events_world(w, k)["delegation"].pk}


def delegate_kwargs(w, k):
    return {"pk": events_world(w, k)["delegate"].pk}


def check_in_kwargs(w, k):
    world = events_world(w, k)
    return {"pk": world["event"].pk, "token": world["delegate"].badge_token}


def public_kwargs(w, k):
    return {"slug": events_world(w, k)["event"].slug}


def make_join_event(*, name="2025年世界客屬懇親大會", slug="kejia-2025", days=20, **data):
    """An open event that takes members' own requests for `days` more days."""
    return make_event(
        name=name,
        slug=slug,
        members_may_ask=True,
        members_ask_until=timezone.localdate() + datetime.timedelta(days=days),
        **data,
    )


def join_world(w, k):
    """An event taking members' requests (made once), and association k's person asking to join k's
    delegation to it (opened as a draft by the request)."""
    if "join_event" not in w:
        w["join_event"] = make_join_event()
    if ("join", k) not in w:
        event = w["join_event"]
        request = services.join_request_create(event=event, association=w[k]["association"], person=w[k]["person"])
        w["join", k] = {"event": event, "association": w[k]["association"], "request": request}
    return w["join", k]


def join_kwargs(w, k):
    world = join_world(w, k)
    return {"pk": world["event"].pk, "association": world["association"].pk}


def join_request_kwargs(w, k):
    return {"pk": join_world(w, k)["request"].pk}
