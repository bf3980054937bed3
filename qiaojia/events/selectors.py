"""Reads of flagship events, always for a viewer. Out of scope is 404: other tenants' ids do not exist.

Federation staff see everything. An association's officers see the events that are no longer drafts
and their own association's delegations only. The public sees the published event page and counts."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qiaojia.accounts import scope
from qiaojia.members.models import Membership
from qiaojia.orgs.models import Association

from .models import (
    STANDING_JOIN_REQUEST,
    Delegate,
    Delegation,
    DelegationStatus,
    EventQuota,
    EventStatus,
    FlagshipEvent,
    JoinRequest,
    JoinRequestStatus,
)


def event_scope(viewer) -> QuerySet[FlagshipEvent]:
    if scope.is_federation(viewer):
        return FlagshipEvent.objects.all()
    if scope.officer_association_ids(viewer):
        return FlagshipEvent.objects.exclude(status=EventStatus.DRAFT)
    return FlagshipEvent.objects.none()


def event_list(
    *, viewer, q: str | None = None, status: str | None = None, year: int | None = None
) -> QuerySet[FlagshipEvent]:
    qs = event_scope(viewer)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(place__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(starts_on__year=year)
    return qs.order_by("-starts_on", "-id")


def event_page_counts(events) -> None:
    """Delegations and approved people for one page of events, in one grouped query."""
    ids = [e.pk for e in events]
    rows = (
        Delegation.objects.filter(event_id__in=ids)
        .values("event_id")
        .annotate(
            n=Count("id", filter=~Q(status__in=[DelegationStatus.WITHDRAWN, DelegationStatus.DRAFT]), distinct=True),
            people=Count("delegates", filter=Q(status=DelegationStatus.APPROVED)),
        )
    )
    counts = {r["event_id"]: (r["n"], r["people"]) for r in rows}
    for event in events:
        event.delegation_count, event.approved_people = counts.get(event.pk, (0, 0))


def event_get(*, viewer, pk: int) -> FlagshipEvent:
    event = event_scope(viewer).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def delegation_list(*, viewer, event: FlagshipEvent, status: str | None = None) -> QuerySet[Delegation]:
    qs = Delegation.objects.filter(event=event).select_related("association").annotate(size=Count("delegates"))
    if not scope.is_federation(viewer):
        qs = qs.filter(association_id__in=scope.officer_association_ids(viewer))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("submitted_at", "id")


def delegation_get(*, viewer, pk: int) -> Delegation:
    delegation = Delegation.objects.select_related("event", "association", "reviewed_by").filter(pk=pk).first()
    if delegation is None:
        raise Http404
    if not scope.is_federation(viewer) and (
        delegation.association_id not in scope.officer_association_ids(viewer)
        or delegation.event.status == EventStatus.DRAFT
    ):
        raise Http404
    return delegation


def delegate_get(*, viewer, pk: int) -> Delegate:
    delegate = Delegate.objects.filter(pk=pk).first()
    if delegate is None:
        raise Http404
    delegate.delegation = delegation_get(viewer=viewer, pk=delegate.delegation_id)
    return delegate


def delegation_delegates(delegation: Delegation) -> list[Delegate]:
    """Leader first, then in the order they were added."""
    delegates = list(delegation.delegates.all())
    delegates.sort(key=lambda d: (d.role != "leader", d.pk))
    return delegates


def delegate_by_token(*, event: FlagshipEvent, token: str) -> Delegate:
    """The delegate whose badge carries `token`, at this event; another event's badge is not found."""
    delegate = (
        Delegate.objects.select_related("delegation__association", "delegation__event", "checked_in_by")
        .filter(badge_token=token, delegation__event=event)
        .first()
    )
    if delegate is None:
        raise Http404
    return delegate


def event_delegates(event: FlagshipEvent) -> QuerySet[Delegate]:
    """Everyone in the event's approved delegations: the check-in list and the export."""
    return (
        Delegate.objects.filter(delegation__event=event, delegation__status=DelegationStatus.APPROVED)
        .select_related("delegation__association")
        .order_by("delegation__association__name", "delegation_id", "id")
    )


def event_summary(event: FlagshipEvent) -> dict:
    """Counts on the event's page, in two grouped queries."""
    by_status = dict(Delegation.objects.filter(event=event).values_list("status").annotate(n=Count("id")))
    people = (
        Delegate.objects.filter(delegation__event=event)
        .values("delegation__status")
        .annotate(n=Count("id"), checked=Count("id", filter=Q(checked_in_at__isnull=False)))
    )
    people_by_status = {r["delegation__status"]: (r["n"], r["checked"]) for r in people}
    approved_people, checked_in = people_by_status.get(DelegationStatus.APPROVED, (0, 0))
    return {
        "by_status": [(code, label, by_status.get(code, 0)) for code, label in DelegationStatus.choices],
        "approved_people": approved_people,
        "checked_in": checked_in,
        "waiting_people": people_by_status.get(DelegationStatus.WAITLISTED, (0, 0))[0],
        "places_left": None if event.capacity is None else max(event.capacity - approved_people, 0),
    }


def event_quota_rows(event: FlagshipEvent) -> list[tuple[Association, int | None]]:
    """Every active association with its own quota for the event (None: the default applies)."""
    own = dict(EventQuota.objects.filter(event=event).values_list("association_id", "quota"))
    associations = Association.objects.filter(federation_id=event.federation_id, status="active").order_by("name")
    return [(a, own.get(a.pk)) for a in associations]


def published_event(slug: str) -> FlagshipEvent:
    event = FlagshipEvent.objects.filter(slug=slug, published=True).exclude(status=EventStatus.DRAFT).first()
    if event is None:
        raise Http404
    return event


def public_counts(event: FlagshipEvent) -> dict:
    """What the public page may say: how many delegations were approved and from how many countries and
    regions their overseas guests come. No names."""
    approved = Delegation.objects.filter(event=event, status=DelegationStatus.APPROVED)
    countries = (
        Delegate.objects.filter(delegation__in=approved).exclude(country="").values("country").distinct().count()
    )
    return {"delegations": approved.count(), "countries": countries}


def association_event_count(*, association: Association, year: int) -> int:
    """Flagship events of `year` the association sent an approved delegation to (for the annual report)."""
    return (
        Delegation.objects.filter(
            association=association, status=DelegationStatus.APPROVED, event__starts_on__year=year
        )
        .values("event_id")
        .distinct()
        .count()
    )


def calendar_events(*, viewer, start, end, city: str | None = None, limit: int = 500) -> list[FlagshipEvent]:
    """The flagship events of a window of dates in the shared calendar (one query): the viewer's events,
    and the published ones for everyone else."""
    if viewer.is_authenticated and (scope.is_federation(viewer) or scope.officer_association_ids(viewer)):
        qs = event_scope(viewer)
    else:
        qs = FlagshipEvent.objects.filter(published=True).exclude(status=EventStatus.DRAFT)
    qs = qs.filter(starts_on__lte=end).filter(Q(ends_on__gte=start) | Q(ends_on__isnull=True, starts_on__gte=start))
    if city:
        qs = qs.filter(place__icontains=city)
    return list(qs.select_related("federation").order_by("starts_on", "id")[:limit])


def own_delegates(*, viewer) -> QuerySet[Delegate]:
    """The viewer's own places in delegations to flagship events, latest event first (none without a record)."""
    own = scope.own_person_id(viewer)
    if not own:
        return Delegate.objects.none()
    return (
        Delegate.objects.filter(person_id=own)
        .select_related("delegation__event", "delegation__association")
        .order_by("-delegation__event__starts_on", "-id")
    )


# Members' own requests to join a delegation ------------------------------------------------------


def _own_association_ids(person_id) -> QuerySet:
    return Membership.objects.filter(person_id=person_id, left_on__isnull=True).values("association_id")


def joinable_list(*, viewer) -> list[tuple[FlagshipEvent, Association, JoinRequest | None]]:
    """The events taking members' requests now, once for each association the viewer is a current member of,
    each with the viewer's standing request for the event (or None), soonest first, in three queries."""
    own = scope.own_person_id(viewer)
    if not own:
        return []
    today = timezone.localdate()
    events = list(
        FlagshipEvent.objects.filter(
            status=EventStatus.OPEN, members_may_ask=True, members_ask_until__gte=today
        ).order_by("starts_on", "id")[:50]
    )
    associations = list(Association.objects.filter(pk__in=_own_association_ids(own)).order_by("name"))
    standing = {
        r.event_id: r
        for r in JoinRequest.objects.filter(
            person_id=own, event__in=[e.pk for e in events], status__in=STANDING_JOIN_REQUEST
        ).select_related("delegation")
    }
    return [(event, association, standing.get(event.pk)) for event in events for association in associations]


def joinable_get(*, viewer, pk: int, association_id: int) -> tuple[FlagshipEvent, Association]:
    """An event taking members' requests (whatever its dates: the service says when they have closed) and one
    of the viewer's own associations; anything else does not exist for them."""
    own = scope.own_person_id(viewer)
    event = (
        FlagshipEvent.objects.filter(pk=pk, members_may_ask=True).exclude(status=EventStatus.DRAFT).first()
        if own
        else None
    )
    association = (
        Association.objects.filter(pk=association_id, pk__in=_own_association_ids(own)).first() if event else None
    )
    if event is None or association is None:
        raise Http404
    return event, association


def own_join_requests(*, viewer) -> list[JoinRequest]:
    """The viewer's own requests, latest event first (one query)."""
    own = scope.own_person_id(viewer)
    if not own:
        return []
    return list(
        JoinRequest.objects.filter(person_id=own)
        .select_related("event", "delegation__association")
        .order_by("-event__starts_on", "-asked_at", "-id")[:50]
    )


def own_join_request_get(*, viewer, pk: int) -> JoinRequest:
    """The viewer's own request; anyone else's does not exist for them."""
    own = scope.own_person_id(viewer)
    request = (
        JoinRequest.objects.select_related("event", "delegation__association").filter(pk=pk, person_id=own).first()
        if own
        else None
    )
    if request is None:
        raise Http404
    return request


def join_request_get(*, viewer, pk: int) -> JoinRequest:
    """A request to join a delegation, for the officers of the delegation's association only."""
    request = (
        JoinRequest.objects.select_related("event", "delegation__association", "person")
        .filter(pk=pk, delegation__association_id__in=scope.officer_association_ids(viewer))
        .first()
    )
    if request is None:
        raise Http404
    return request


def delegation_join_requests(delegation: Delegation) -> list[JoinRequest]:
    """The requests attached to a delegation, those waiting first (one query)."""
    rows = list(delegation.join_requests.select_related("person").order_by("asked_at", "id"))
    rows.sort(key=lambda r: r.status != JoinRequestStatus.PENDING)
    for row in rows:
        row.delegation = delegation
    return rows
