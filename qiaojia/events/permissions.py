"""Pure predicates about flagship events; views and templates ask these."""

from qiaojia.accounts import scope

from .models import DelegationStatus, EventStatus, JoinRequestStatus


def can_view_events(user) -> bool:
    return scope.is_federation(user) or bool(scope.officer_association_ids(user))


def can_manage_events(user) -> bool:
    """The federation runs its flagship events: their settings, quotas, reviews, badges at the door."""
    return scope.is_federation(user)


def can_register(user) -> bool:
    return bool(scope.officer_association_ids(user))


def can_register_another(user, event, *, registered: set[int], today) -> bool:
    """An officer of several associations may register one delegation for each of them, while
    registration is open."""
    return (
        can_register(user)
        and registration_open(event, today)
        and bool(scope.officer_association_ids(user) - registered)
    )


def registration_open(event, today) -> bool:
    if event.status != EventStatus.OPEN:
        return False
    if event.registration_opens and today < event.registration_opens:
        return False
    return not (event.registration_closes and today > event.registration_closes)


def can_edit_delegation(user, delegation) -> bool:
    """An association's officers prepare its delegation; the federation reviews it."""
    return delegation.association_id in scope.officer_association_ids(user)


def can_change_delegates(user, delegation) -> bool:
    return can_edit_delegation(user, delegation) and delegation.status == DelegationStatus.DRAFT


def can_review_delegation(user, delegation) -> bool:
    return scope.is_federation(user)


def can_check_in(user) -> bool:
    """Only federation staff at the door check people in: a badge's QR code alone admits nobody."""
    return scope.is_federation(user)


def member_requests_open(event, today) -> bool:
    """The event takes members' own requests to join their association's delegation: it is open for
    registration and the members' closing date has not passed."""
    return bool(
        event.members_may_ask
        and event.members_ask_until
        and today <= event.members_ask_until
        and registration_open(event, today)
    )


def can_ask_to_join(user, event, *, today) -> bool:
    """A member with a record asks while the event takes requests (the selector that found the event for
    them has checked that they belong to the association)."""
    return scope.own_person_id(user) is not None and member_requests_open(event, today)


def can_withdraw_join_request(user, request) -> bool:
    own = scope.own_person_id(user)
    return own is not None and own == request.person_id and request.status == JoinRequestStatus.PENDING


def can_decide_join_request(user, request) -> bool:
    """The association's own officers decide who joins its delegation."""
    return (
        request.status == JoinRequestStatus.PENDING
        and request.delegation.association_id in scope.officer_association_ids(user)
    )
