"""Reads of B2B matchmaking, always for a viewer: a session is seen by the organisers, the officers of an
association with an approved delegation to its event, and the people acting for its participants; a
participant's agenda and a meeting by those acting for one of its sides and the organisers."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from qiaojia.accounts import scope
from qiaojia.events.models import Delegation, DelegationStatus, FlagshipEvent
from qiaojia.members.models import Enterprise, Membership

from . import permissions
from .models import STANDING, B2BParticipant, B2BSession, B2BSlot, BusinessMeeting, MeetingStatus


def _delegation_association_ids(event_id: int) -> QuerySet:
    return Delegation.objects.filter(event_id=event_id, status=DelegationStatus.APPROVED).values("association_id")


def session_scope(viewer) -> QuerySet[B2BSession]:
    qs = B2BSession.objects.select_related("event")
    if not viewer.is_authenticated:
        return qs.none()
    if permissions.can_organise_b2b(viewer):
        return qs
    officer_of = scope.officer_association_ids(viewer)
    own = scope.own_person_id(viewer)
    events = Delegation.objects.filter(status=DelegationStatus.APPROVED, association_id__in=officer_of).values(
        "event_id"
    )
    condition = Q(event_id__in=events)
    if own is not None:
        condition |= Q(participants__contact_id=own)
    return qs.filter(condition).distinct()


def session_list(*, viewer) -> list[B2BSession]:
    return list(
        session_scope(viewer)
        .annotate(
            participant_count=Count("participants", distinct=True),
            meeting_count=Count("meetings", filter=Q(meetings__status__in=STANDING), distinct=True),
        )
        .order_by("-event__starts_on", "-id")[:100]
    )


def session_get(*, viewer, pk: int) -> B2BSession:
    session = session_scope(viewer).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def event_for_opening(*, viewer, pk: int) -> FlagshipEvent:
    if not permissions.can_organise_b2b(viewer):
        raise Http404
    event = FlagshipEvent.objects.filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def events_without_session(*, viewer) -> list[FlagshipEvent]:
    """Events an organiser may open matchmaking for: not finished, without a session yet (the latest 20)."""
    if not permissions.can_organise_b2b(viewer):
        return []
    return list(
        FlagshipEvent.objects.filter(b2b__isnull=True)
        .exclude(status__in=["draft", "finished"])
        .order_by("-starts_on", "-id")[:20]
    )


def participants(session: B2BSession) -> list[B2BParticipant]:
    return list(
        B2BParticipant.objects.filter(session=session)
        .select_related("enterprise", "association")
        .prefetch_related("offers")
    )


def own_participants(*, viewer, session: B2BSession, among: list[B2BParticipant]) -> list[B2BParticipant]:
    return [p for p in among if permissions.can_act_for(viewer, p)]


def joinable_enterprises(*, viewer, session: B2BSession) -> list[tuple[Enterprise, int]]:
    """(enterprise, association id) the viewer may register: current enterprise members of an association with
    an approved delegation to the event, which the viewer is an officer of or represents (all, for organisers)."""
    memberships = Membership.objects.filter(
        enterprise__isnull=False,
        left_on__isnull=True,
        association_id__in=_delegation_association_ids(session.event_id),
    ).exclude(enterprise__b2b_participations__session=session)
    if not permissions.can_organise_b2b(viewer):
        own = scope.own_person_id(viewer)
        condition = Q(association_id__in=scope.officer_association_ids(viewer))
        if own is not None:
            condition |= Q(enterprise__representative_id=own)
        memberships = memberships.filter(condition)
    rows = memberships.select_related("enterprise").order_by("enterprise__name_pinyin", "id")[:500]
    seen: set[int] = set()
    out: list[tuple[Enterprise, int]] = []
    for m in rows:
        if m.enterprise is not None and m.enterprise.pk not in seen:
            seen.add(m.enterprise.pk)
            out.append((m.enterprise, m.association_id))
    return out


def slots(session: B2BSession) -> list[B2BSlot]:
    return list(B2BSlot.objects.filter(session=session))


def _meetings() -> QuerySet[BusinessMeeting]:
    return BusinessMeeting.objects.select_related(
        "slot", "table", "requester__enterprise", "invitee__enterprise", "requester__contact", "invitee__contact"
    )


def meeting_get(*, viewer, pk: int) -> BusinessMeeting:
    meeting = _meetings().select_related("session__event").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    if not (
        permissions.can_organise_b2b(viewer)
        or permissions.can_act_for(viewer, meeting.requester)
        or permissions.can_act_for(viewer, meeting.invitee)
    ):
        raise Http404
    return meeting


def participant_get(*, viewer, pk: int) -> B2BParticipant:
    participant = (
        B2BParticipant.objects.select_related("session__event", "enterprise", "association", "contact")
        .filter(pk=pk)
        .first()
    )
    if participant is None or not permissions.can_view_agenda(viewer, participant):
        raise Http404
    return participant


def meetings_of(participants: list[B2BParticipant]) -> list[BusinessMeeting]:
    ids = [p.pk for p in participants]
    return list(_meetings().filter(Q(requester_id__in=ids) | Q(invitee_id__in=ids)).order_by("slot__starts_at", "id"))


def agenda(participant: B2BParticipant) -> list[BusinessMeeting]:
    """The participant's standing meetings in slot order: what they have agreed to or are waiting on."""
    return [
        m
        for m in meetings_of([participant])
        if m.status in (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED, MeetingStatus.HELD, MeetingStatus.NO_SHOW)
    ]


def session_meetings(session: B2BSession) -> QuerySet[BusinessMeeting]:
    """Every meeting of the session, for the organiser's schedule (and its export)."""
    return _meetings().filter(session=session).order_by("slot__starts_at", "table__number", "id")


def session_figures(session: B2BSession) -> dict[str, int]:
    counts = dict(
        BusinessMeeting.objects.filter(session=session)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    outcomes = BusinessMeeting.objects.filter(session=session, status=MeetingStatus.HELD).exclude(outcome="").count()
    return {
        "requested": counts.get(MeetingStatus.REQUESTED, 0),
        "accepted": counts.get(MeetingStatus.ACCEPTED, 0),
        "held": counts.get(MeetingStatus.HELD, 0),
        "no_show": counts.get(MeetingStatus.NO_SHOW, 0),
        "declined": counts.get(MeetingStatus.DECLINED, 0),
        "with_outcome": outcomes,
    }


def calendar_sessions(*, viewer, start, end, limit: int) -> list[B2BSession]:
    return list(
        session_scope(viewer)
        .filter(event__starts_on__lte=end)
        .filter(Q(event__ends_on__gte=start) | Q(event__ends_on__isnull=True, event__starts_on__gte=start))
        .select_related("event__federation")
        .order_by("event__starts_on", "id")[:limit]
    )
