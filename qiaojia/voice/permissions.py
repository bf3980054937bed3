"""Pure predicates about opinions; views and templates ask these.

A case is seen by federation staff, by the officers of the association it came through or is routed to, and
by its sender (their own account). It is handled (acknowledged, extended, answered) by its handler: the
officers of the handling association, or federation staff when a department handles it; staff route it and
merge duplicates. Who sent it is hidden from the handling association when the sender asked to stay
anonymous, and contact details are shown only to those who must reach the sender."""

from qiaojia.accounts import scope

from .models import OPEN, OPINION_TRANSITIONS, Opinion, OpinionStatus


def is_sender(user, opinion: Opinion) -> bool:
    own = scope.own_person_id(user)
    return (own is not None and own == opinion.person_id) or (
        user.is_authenticated and opinion.submitted_by_id == user.pk and opinion.channel != "officer"
    )


def can_view_opinion(user, opinion: Opinion) -> bool:
    if scope.is_federation(user):
        return True
    officer_of = scope.officer_association_ids(user)
    if opinion.association_id in officer_of or opinion.handler_association_id in officer_of:
        return True
    return is_sender(user, opinion)


def can_send_opinion(user) -> bool:
    """Members send for themselves or on someone's behalf, officers for their association."""
    return bool(scope.own_person_id(user) or scope.officer_association_ids(user))


def can_view_opinion_list(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_handler(user, opinion: Opinion) -> bool:
    if opinion.handler_association_id is not None:
        return opinion.handler_association_id in scope.officer_association_ids(user)
    return scope.is_federation(user)


def can_acknowledge_opinion(user, opinion: Opinion) -> bool:
    return opinion.status == OpinionStatus.NEW and is_handler(user, opinion)


def can_reply_opinion(user, opinion: Opinion) -> bool:
    return OpinionStatus.ANSWERED in OPINION_TRANSITIONS[opinion.status] and is_handler(user, opinion)


def can_extend_opinion(user, opinion: Opinion) -> bool:
    return opinion.status in OPEN and not opinion.extension_reason and is_handler(user, opinion)


def can_route_opinion(user, opinion: Opinion) -> bool:
    return opinion.status in OPEN and scope.is_federation(user)


def can_merge_opinion(user, opinion: Opinion) -> bool:
    return OpinionStatus.MERGED in OPINION_TRANSITIONS[opinion.status] and scope.is_federation(user)


def can_rate_opinion_by_code(opinion: Opinion) -> bool:
    """Whoever holds the receipt code rates the latest answer, once."""
    return opinion.status == OpinionStatus.ANSWERED and (
        opinion.rated_at is None or (opinion.answered_at is not None and opinion.rated_at < opinion.answered_at)
    )


def can_rate_opinion(user, opinion: Opinion) -> bool:
    return can_rate_opinion_by_code(opinion) and is_sender(user, opinion)


def can_reopen_opinion(user, opinion: Opinion) -> bool:
    return opinion.reopenable and is_sender(user, opinion)


def can_see_sender(user, opinion: Opinion) -> bool:
    """Who sent it: everyone who sees the case but the handling association's officers of an anonymous case."""
    if scope.is_federation(user) or is_sender(user, opinion):
        return True
    officer_of = scope.officer_association_ids(user)
    if opinion.association_id in officer_of:
        return True
    return not opinion.anonymous


def can_see_contact(user, opinion: Opinion) -> bool:
    """The phone and e-mail in full: the sender, federation staff, and a handler the sender did not hide from;
    everyone else who sees the case reads them masked."""
    if scope.is_federation(user) or is_sender(user, opinion):
        return True
    return not opinion.anonymous and is_handler(user, opinion)


def can_view_rates(user) -> bool:
    return scope.is_federation(user)


def can_see_similar(user, opinion: Opinion) -> bool:
    """Federation staff see similar earlier cases of an open one, to merge duplicates."""
    return scope.is_federation(user) and opinion.is_open
