"""Pure predicates about activities; views and templates ask these."""

from qiaojia.accounts import scope


def can_view_activities(user) -> bool:
    return scope.is_federation(user) or bool(scope.officer_association_ids(user))


def can_record_activity(user) -> bool:
    return can_view_activities(user)


def can_manage_activity(user, activity) -> bool:
    """Federation staff and the association's own officers record and correct its activities."""
    return scope.is_federation(user) or activity.association_id in scope.officer_association_ids(user)


def can_invite_co_organiser(user, activity) -> bool:
    """The host's managers ask other associations to co-organise, and take them off again."""
    return can_manage_activity(user, activity)


def can_answer_co_organiser(user, row) -> bool:
    """Only the invited association's own officers confirm or decline for it."""
    return row.association_id in scope.officer_association_ids(user)
