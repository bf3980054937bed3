"""Every write to flagship events. Each service is one transaction with one audit row per change."""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiaojia.core.chinese import pinyin_slug, search_key
from qiaojia.core.models import AuditAction
from qiaojia.core.services import ConflictError, audit_log, create_audited, delete_audited, update_versioned
from qiaojia.core.validators import normalize_phone
from qiaojia.members.models import Membership, Person
from qiaojia.notifications import text as notice_text
from qiaojia.notifications.services import notify
from qiaojia.orgs.models import Association, Federation

from . import notices, permissions
from .models import (
    ACTIVE_DELEGATION,
    DELEGATION_TRANSITIONS,
    EVENT_TRANSITIONS,
    STANDING_JOIN_REQUEST,
    Delegate,
    DelegateRole,
    Delegation,
    DelegationStatus,
    EventQuota,
    FlagshipEvent,
    JoinRequest,
    JoinRequestStatus,
)

EVENT_FIELDS = (
    "name",
    "slug",
    "starts_on",
    "ends_on",
    "place",
    "description",
    "registration_opens",
    "registration_closes",
    "default_quota",
    "capacity",
    "published",
    "members_may_ask",
    "members_ask_until",
)
DELEGATION_FIELDS = ("leader_name", "contact_phone", "note")
DELEGATE_FIELDS = ("name", "role", "country", "organisation", "title")


def _pick(data: dict[str, Any], fields) -> dict[str, Any]:
    return {k: data[k] for k in fields if k in data}


def _check_dates(values: dict[str, Any], current: FlagshipEvent | None = None) -> None:
    def get(name):
        return values.get(name, getattr(current, name) if current else None)

    if get("starts_on") and get("ends_on") and get("ends_on") < get("starts_on"):
        raise ValidationError({"ends_on": _("The event cannot end before it starts.")})
    if (
        get("registration_opens")
        and get("registration_closes")
        and get("registration_closes") < get("registration_opens")
    ):
        raise ValidationError({"registration_closes": _("Registration cannot close before it opens.")})
    if get("members_may_ask") and not get("members_ask_until"):
        raise ValidationError({"members_ask_until": _("Say until when members may ask to join.")})


# Events ---------------------------------------------------------------------------------------


def event_slug_suggest(*, name: str, starts_on=None, exclude_pk: int | None = None) -> str:
    """The public page's address made from the event's name in pinyin, with its year, unique among events
    (a -2, -3... when taken)."""
    # Room for "-2025" and a "-12" after it within the field's 80 characters.
    base = pinyin_slug(name, max_length=70) or "event"
    if starts_on and str(starts_on.year) not in base:
        base = f"{base}-{starts_on.year}"
    others = FlagshipEvent.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_slug(values: dict[str, Any], current: FlagshipEvent | None = None) -> None:
    """An empty address is made from the name; one that another event has is refused."""
    if "slug" not in values and current is not None:
        return
    if not values.get("slug"):
        values["slug"] = event_slug_suggest(
            name=values.get("name") or (current.name if current else ""),
            starts_on=values.get("starts_on") or (current.starts_on if current else None),
            exclude_pk=current.pk if current else None,
        )
    elif FlagshipEvent.objects.filter(slug=values["slug"]).exclude(pk=current.pk if current else -1).exists():
        raise ValidationError({"slug": _("Another event already has this address. Choose another one.")})


@transaction.atomic
def event_create(*, federation: Federation, data: dict[str, Any], form_token: uuid.UUID | None = None) -> FlagshipEvent:
    values = _pick(data, EVENT_FIELDS)
    _check_dates(values)
    _check_slug(values)
    return create_audited(FlagshipEvent(federation=federation, **values), form_token=form_token)


@transaction.atomic
def event_update(*, event: FlagshipEvent, expected_version: int, data: dict[str, Any]) -> FlagshipEvent:
    values = _pick(data, EVENT_FIELDS)
    _check_dates(values, event)
    _check_slug(values, event)
    return update_versioned(event, expected_version=expected_version, **values)


@transaction.atomic
def event_set_status(*, event: FlagshipEvent, expected_version: int, status: str) -> FlagshipEvent:
    current = FlagshipEvent.objects.select_for_update().filter(pk=event.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    if status not in EVENT_TRANSITIONS.get(current.status, ()):
        raise ValidationError(
            _("An event that is “%(status)s” cannot be changed to that status.")
            % {"status": current.get_status_display()}
        )
    return update_versioned(current, expected_version=expected_version, status=status)


@transaction.atomic
def event_quotas_set(*, event: FlagshipEvent, expected_version: int, quotas: dict[int, int | None]) -> FlagshipEvent:
    """Set each association's own quota (None: the event's default). The event's version guards the whole
    table: two people editing the quotas at once cannot overwrite each other unseen."""
    event = update_versioned(event, expected_version=expected_version)
    existing = {q.association_id: q for q in EventQuota.objects.filter(event=event)}
    for association_id, quota in quotas.items():
        row = existing.get(association_id)
        if quota is None or quota == event.default_quota:
            if row is not None:
                delete_audited(row)
        elif row is None:
            create_audited(EventQuota(event=event, association_id=association_id, quota=quota))
        elif row.quota != quota:
            update_versioned(row, expected_version=row.version, quota=quota)
    return event


def quota_for(event: FlagshipEvent, association: Association | int) -> int:
    association_id = association.pk if isinstance(association, Association) else association
    row = EventQuota.objects.filter(event=event, association_id=association_id).first()
    return row.quota if row is not None else event.default_quota


# Delegations ----------------------------------------------------------------------------------


def _match_person(association: Association, name: str) -> Person | None:
    """The one current member (or officer) of `association` with this name, if there is exactly one."""
    key = search_key(name)
    people = list(
        Person.objects.filter(
            pk__in=Membership.objects.filter(association=association, left_on__isnull=True).values("person_id"),
            name_key=key,
        )[:2]
    )
    if len(people) != 1:
        people = list(Person.objects.filter(terms__association=association, name_key=key).distinct()[:2])
    return people[0] if len(people) == 1 else None


def _require_open(event: FlagshipEvent) -> None:
    if not permissions.registration_open(event, timezone.localdate()):
        raise ValidationError(_("Registration for this event is not open."))


def _delegation_values(association: Association, data: dict[str, Any]) -> dict[str, Any]:
    values = _pick(data, DELEGATION_FIELDS)
    if "leader_name" in values:
        values["leader_name"] = (values["leader_name"] or "").strip()
        if not values["leader_name"]:
            raise ValidationError({"leader_name": _("Name the leader of the delegation.")})
        leader = _match_person(association, values["leader_name"])
        values["leader"] = leader
        if leader is not None:
            values["leader_name"] = leader.name  # the name as registered, whichever script it was typed in
    if values.get("contact_phone"):
        try:
            values["contact_phone"] = normalize_phone(values["contact_phone"])
        except ValidationError as exc:
            raise ValidationError({"contact_phone": exc.messages}) from exc
    return values


@transaction.atomic
def delegation_create(
    *, event: FlagshipEvent, association: Association, data: dict[str, Any], form_token: uuid.UUID | None = None
) -> Delegation:
    """A draft delegation whose leader is its first delegate."""
    _require_open(event)
    values = _delegation_values(association, data)
    if Delegation.objects.filter(event=event, association=association, status__in=ACTIVE_DELEGATION).exists():
        raise ValidationError(_("This association has already registered a delegation for this event."))
    delegation = create_audited(Delegation(event=event, association=association, **values), form_token=form_token)
    create_audited(
        Delegate(delegation=delegation, role=DelegateRole.LEADER, name=delegation.leader_name, person=delegation.leader)
    )
    return delegation


@transaction.atomic
def delegation_update(*, delegation: Delegation, expected_version: int, data: dict[str, Any]) -> Delegation:
    if delegation.status != DelegationStatus.DRAFT:
        raise ValidationError(_("Only a draft delegation can be changed. Withdraw it and register again."))
    values = _delegation_values(delegation.association, data)
    delegation = update_versioned(delegation, expected_version=expected_version, **values)
    leader = delegation.delegates.filter(role=DelegateRole.LEADER).first()
    if leader is None:  # a draft opened by a member's request: its leader is named now
        create_audited(
            Delegate(
                delegation=delegation, role=DelegateRole.LEADER, name=delegation.leader_name, person=delegation.leader
            )
        )
    elif (leader.name, leader.person_id) != (delegation.leader_name, delegation.leader_id):
        update_versioned(leader, expected_version=leader.version, name=delegation.leader_name, person=delegation.leader)
    return delegation


def _lock(delegation: Delegation, expected_version: int) -> Delegation:
    current = (
        Delegation.objects.select_for_update().select_related("event", "association").filter(pk=delegation.pk).first()
    )
    if current is None or current.version != expected_version:
        raise ConflictError()
    return current


def _check_move(delegation: Delegation, status: str) -> None:
    if status not in DELEGATION_TRANSITIONS.get(delegation.status, ()):
        raise ValidationError(
            _("A delegation that is “%(status)s” cannot be changed to that status.")
            % {"status": delegation.get_status_display()}
        )


@transaction.atomic
def delegation_submit(*, delegation: Delegation, expected_version: int) -> Delegation:
    """Send the delegation to the federation. Refused, with nothing changed, when it has more people
    than the association's quota or registration is not open."""
    current = _lock(delegation, expected_version)
    _check_move(current, DelegationStatus.SUBMITTED)
    _require_open(current.event)
    if not current.leader_name:
        raise ValidationError(_("Name the leader of the delegation before submitting it."))
    size = current.delegates.count()
    quota = quota_for(current.event, current.association_id)
    if size > quota:
        raise ValidationError(
            _(
                "The delegation has %(size)s people, more than the %(quota)s places this association has for "
                "the event. Remove %(over)s before submitting."
            )
            % {"size": size, "quota": quota, "over": size - quota}
        )
    submitted = update_versioned(
        current, expected_version=expected_version, status=DelegationStatus.SUBMITTED, submitted_at=timezone.now()
    )
    _notify_submitted(submitted, size)
    return submitted


def _notify_submitted(delegation: Delegation, size: int) -> None:
    """The federation's staff responsible for the association hear that a delegation waits for them."""
    notify(
        notices.DELEGATION_SUBMITTED,
        association=delegation.association,
        params={"event": delegation.event.name, "association": delegation.association.name, "size": size},
        url=reverse("events:delegation-detail", args=[delegation.pk]),
    )


@transaction.atomic
def delegation_withdraw(*, delegation: Delegation, expected_version: int, by_user=None) -> Delegation:
    current = _lock(delegation, expected_version)
    _check_move(current, DelegationStatus.WITHDRAWN)
    withdrawn = update_versioned(current, expected_version=expected_version, status=DelegationStatus.WITHDRAWN)
    _close_pending_requests(withdrawn, str(_("The association withdrew its delegation.")), by_user)
    return withdrawn


def _close_pending_requests(delegation: Delegation, reason: str, by_user) -> None:
    """Members' requests still waiting on a delegation that will take no one now are declined with `reason`,
    and each member is told: a request never waits on a delegation that is gone."""
    pending = JoinRequest.objects.select_for_update().filter(delegation=delegation, status=JoinRequestStatus.PENDING)
    for request in pending.select_related("event", "delegation__association"):
        declined = update_versioned(
            request,
            expected_version=request.version,
            status=JoinRequestStatus.DECLINED,
            decided_at=timezone.now(),
            decided_by=by_user if by_user is not None and by_user.is_authenticated else None,
            reason=str(reason)[:300],
        )
        _notify_member(declined)


def places_taken(event: FlagshipEvent) -> int:
    """People in approved delegations."""
    return Delegate.objects.filter(delegation__event=event, delegation__status=DelegationStatus.APPROVED).count()


def _notify_decision(delegation: Delegation) -> None:
    kinds = {
        DelegationStatus.APPROVED: notices.DELEGATION_APPROVED,
        DelegationStatus.WAITLISTED: notices.DELEGATION_WAITLISTED,
        DelegationStatus.REFUSED: notices.DELEGATION_REFUSED,
    }
    notify(
        kinds[DelegationStatus(delegation.status)],
        association=delegation.association,
        params={
            "event": delegation.event.name,
            "association": delegation.association.name,
            "reason": delegation.reason or "—",
        },
        url=reverse("events:delegation-detail", args=[delegation.pk]),
    )


def _decide(current: Delegation, status: str, by_user, reason: str = "") -> Delegation:
    updated = update_versioned(
        current,
        expected_version=current.version,
        status=status,
        reviewed_by=by_user,
        reviewed_at=timezone.now(),
        reason=reason,
    )
    _notify_decision(updated)
    return updated


@transaction.atomic
def delegation_approve(*, delegation: Delegation, expected_version: int, by_user) -> Delegation:
    """Approve the delegation, or put it on the waiting list when it would exceed the event's places.

    The event row is locked first, so two approvals at once cannot both take the last places."""
    FlagshipEvent.objects.select_for_update().filter(pk=delegation.event_id).first()
    current = _lock(delegation, expected_version)
    _check_move(current, DelegationStatus.APPROVED)
    capacity = current.event.capacity
    if capacity is not None and places_taken(current.event) + current.delegates.count() > capacity:
        if current.status == DelegationStatus.WAITLISTED:
            raise ValidationError(_("The delegation does not fit in the places left; it stays on the waiting list."))
        return _decide(current, DelegationStatus.WAITLISTED, by_user)
    return _decide(current, DelegationStatus.APPROVED, by_user)


@transaction.atomic
def delegation_waitlist(*, delegation: Delegation, expected_version: int, by_user) -> Delegation:
    current = _lock(delegation, expected_version)
    _check_move(current, DelegationStatus.WAITLISTED)
    return _decide(current, DelegationStatus.WAITLISTED, by_user)


@transaction.atomic
def delegation_refuse(*, delegation: Delegation, expected_version: int, by_user, reason: str) -> Delegation:
    current = _lock(delegation, expected_version)
    _check_move(current, DelegationStatus.REFUSED)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the delegation is refused.")})
    refused = _decide(current, DelegationStatus.REFUSED, by_user, reason.strip())
    _close_pending_requests(refused, str(_("The federation refused the delegation.")), by_user)
    return refused


@transaction.atomic
def waitlist_promote(*, event: FlagshipEvent, by_user) -> list[Delegation]:
    """Admit waiting delegations in the order they were submitted while each fits in the places left.
    The first one that does not fit stops the promotion: nobody overtakes it."""
    event = FlagshipEvent.objects.select_for_update().get(pk=event.pk)
    waiting = list(
        Delegation.objects.filter(event=event, status=DelegationStatus.WAITLISTED)
        .annotate(size=Count("delegates"))
        .order_by("submitted_at", "id")
    )
    taken = places_taken(event)
    promoted = []
    for delegation in waiting:
        if event.capacity is not None and taken + delegation.size > event.capacity:
            break
        current = _lock(delegation, delegation.version)
        promoted.append(_decide(current, DelegationStatus.APPROVED, by_user))
        taken += delegation.size
    return promoted


# Delegates ------------------------------------------------------------------------------------


def _delegate_values(delegation: Delegation, data: dict[str, Any], *, leader: bool = False) -> dict[str, Any]:
    values = _pick(data, DELEGATE_FIELDS)
    if leader:
        values.pop("name", None)
        values.pop("role", None)
    else:
        if values.get("role") == DelegateRole.LEADER:
            raise ValidationError({"role": _("The delegation has one leader, named on the delegation itself.")})
        name = (values.get("name") or "").strip()
        if not name:
            raise ValidationError({"name": _("Type the delegate's name.")})
        person = _match_person(delegation.association, name)
        values["person"] = person
        values["name"] = person.name if person is not None else name
        if person is not None and delegation.delegates.filter(person=person).exists():
            raise ValidationError({"name": _("This person is already in the delegation.")})
    if values.get("role") == DelegateRole.OVERSEAS_GUEST and not values.get("country"):
        raise ValidationError({"country": _("Choose the country or region the overseas guest comes from.")})
    return values


def _require_draft(delegation: Delegation) -> None:
    if delegation.status != DelegationStatus.DRAFT:
        raise ValidationError(_("Only a draft delegation can be changed. Withdraw it and register again."))


@transaction.atomic
def delegate_add(*, delegation: Delegation, data: dict[str, Any], form_token: uuid.UUID | None = None) -> Delegate:
    _require_draft(delegation)
    values = _delegate_values(delegation, data)
    return create_audited(Delegate(delegation=delegation, **values), form_token=form_token)


@transaction.atomic
def delegate_update(*, delegate: Delegate, expected_version: int, data: dict[str, Any]) -> Delegate:
    _require_draft(delegate.delegation)
    leader = delegate.role == DelegateRole.LEADER
    values = _delegate_values(delegate.delegation, {"role": delegate.role, **data} if leader else data, leader=leader)
    if (
        not leader
        and values.get("person") is not None
        and delegate.delegation.delegates.filter(person=values["person"]).exclude(pk=delegate.pk).exists()
    ):
        raise ValidationError({"name": _("This person is already in the delegation.")})
    return update_versioned(delegate, expected_version=expected_version, **values)


@transaction.atomic
def delegate_remove(*, delegate: Delegate, expected_version: int) -> None:
    _require_draft(delegate.delegation)
    if delegate.role == DelegateRole.LEADER:
        raise ValidationError(_("The leader stays in the delegation; change the leader on the delegation instead."))
    delete_audited(delegate, expected_version=expected_version)


def delegate_check_in(*, delegate: Delegate, by_user, at: datetime.datetime | None = None) -> tuple[Delegate, bool]:
    """Record that the delegate has arrived. A second scan changes nothing: returns (delegate, False).
    Only delegates of approved delegations are admitted."""
    with transaction.atomic():
        if delegate.delegation.status != DelegationStatus.APPROVED:
            raise ValidationError(_("This delegation is not approved: the badge does not admit anyone."))
        now = at or timezone.now()
        rows = Delegate.objects.filter(pk=delegate.pk, checked_in_at__isnull=True).update(
            checked_in_at=now, checked_in_by=by_user, updated_at=timezone.now()
        )
        delegate.refresh_from_db()
        if rows == 1:
            audit_log(action=AuditAction.UPDATE, instance=delegate, changes={"checked_in_at": [None, now.isoformat()]})
        return delegate, rows == 1


# Members' own requests to join their association's delegation ------------------------------------


def _check_asking_open(event: FlagshipEvent) -> None:
    if not permissions.member_requests_open(event, timezone.localdate()):
        raise ValidationError(_("This event does not take members' requests now."))


@transaction.atomic
def join_request_create(
    *, event: FlagshipEvent, association: Association, person: Person, note: str = "", by=None
) -> JoinRequest:
    """`person` asks to join `association`'s delegation to `event`. Only a current member of the association,
    while the event takes members' requests; the request is attached to the association's delegation, a draft
    one is opened (its leader to be named by the officers) when the association has none. The event's row is
    locked: two requests at once are taken one after the other, and the second finds the first."""
    locked = FlagshipEvent.objects.select_for_update().get(pk=event.pk)
    _check_asking_open(locked)
    if not Membership.objects.filter(association=association, person=person, left_on__isnull=True).exists():
        raise ValidationError(
            _("Only members of %(association)s can ask to join its delegation.") % {"association": association}
        )
    if JoinRequest.objects.filter(event=locked, person=person, status__in=STANDING_JOIN_REQUEST).exists():
        raise ValidationError(_("You have already asked to join a delegation to this event."))
    if Delegate.objects.filter(
        delegation__event=locked, delegation__status__in=ACTIVE_DELEGATION, person=person
    ).exists():
        raise ValidationError(_("You are already in a delegation to this event."))
    delegation = Delegation.objects.filter(event=locked, association=association, status__in=ACTIVE_DELEGATION).first()
    if delegation is None:
        delegation = create_audited(Delegation(event=locked, association=association, leader_name=""))
    elif delegation.status != DelegationStatus.DRAFT:
        raise ValidationError(
            _("%(association)s has already sent its delegation to the federation: ask its officers directly.")
            % {"association": association}
        )
    by = by if by is not None and by.is_authenticated else None
    request = create_audited(
        JoinRequest(
            event=locked,
            delegation=delegation,
            person=person,
            note=(note or "").strip()[:300],
            asked_at=timezone.now(),
            asked_by=by,
        )
    )
    notify(
        notices.JOIN_REQUESTED,
        association=association,
        params={"event": locked.name, "association": association.name, "person": notice_text.person(person.name)},
        url=reverse("events:delegation-detail", args=[delegation.pk]) + "#join-requests",
    )
    return request


def _lock_request(request: JoinRequest, expected_version: int) -> JoinRequest:
    current = (
        JoinRequest.objects.select_for_update()
        .select_related("event", "delegation__association", "person")
        .filter(pk=request.pk)
        .first()
    )
    if current is None or current.version != expected_version:
        raise ConflictError()
    if current.status != JoinRequestStatus.PENDING:
        raise ValidationError(
            _("This request is “%(status)s”: it has been dealt with.") % {"status": current.get_status_display()}
        )
    return current


@transaction.atomic
def join_request_withdraw(*, request: JoinRequest, expected_version: int) -> JoinRequest:
    """The member takes back their request while it waits for the officers."""
    current = _lock_request(request, expected_version)
    return update_versioned(current, expected_version=expected_version, status=JoinRequestStatus.WITHDRAWN)


def _notify_member(request: JoinRequest) -> None:
    kind = notices.JOIN_CONFIRMED if request.status == JoinRequestStatus.CONFIRMED else notices.JOIN_DECLINED
    notify(
        kind,
        people=[request.person_id],
        params={
            "event": request.event.name,
            "association": request.delegation.association.name,
            "reason": request.reason or "—",
        },
        url=reverse("home:mine") + "#my-join-requests",
    )


@transaction.atomic
def join_request_confirm(*, request: JoinRequest, expected_version: int, by_user) -> JoinRequest:
    """The officer adds the member to the delegation as a delegate. The delegation's row is locked first, then
    the request's: two confirmations at once add the member once. Only a draft delegation takes delegates, and
    never more than the association's places."""
    delegation = (
        Delegation.objects.select_for_update().select_related("event", "association").get(pk=request.delegation_id)
    )
    current = _lock_request(request, expected_version)
    if delegation.status != DelegationStatus.DRAFT:
        raise ValidationError(
            _(
                "The delegation is “%(status)s”: only a draft delegation takes new delegates. Decline the request, "
                "or withdraw the delegation and register again."
            )
            % {"status": delegation.get_status_display()}
        )
    size = delegation.delegates.count()
    quota = quota_for(delegation.event, delegation.association_id)
    if size >= quota:
        raise ValidationError(
            _("The delegation already has the %(quota)s people this association may send. Remove someone first.")
            % {"quota": quota}
        )
    if delegation.delegates.filter(person_id=current.person_id).exists():
        raise ValidationError(_("This person is already in the delegation."))
    create_audited(Delegate(delegation=delegation, person=current.person, name=current.person.name))
    confirmed = update_versioned(
        current,
        expected_version=expected_version,
        status=JoinRequestStatus.CONFIRMED,
        decided_at=timezone.now(),
        decided_by=by_user,
    )
    _notify_member(confirmed)
    return confirmed


@transaction.atomic
def join_request_decline(*, request: JoinRequest, expected_version: int, by_user, reason: str = "") -> JoinRequest:
    current = _lock_request(request, expected_version)
    declined = update_versioned(
        current,
        expected_version=expected_version,
        status=JoinRequestStatus.DECLINED,
        decided_at=timezone.now(),
        decided_by=by_user,
        reason=(reason or "").strip()[:300],
    )
    _notify_member(declined)
    return declined
