"""Pure predicates about meetings; views and templates ask these."""

from qiaojia.accounts import scope


def can_view_meetings(user) -> bool:
    return scope.is_federation(user) or bool(scope.officer_association_ids(user))


def can_create_meeting(user) -> bool:
    return can_view_meetings(user)


def can_manage_meeting(user, meeting) -> bool:
    """The organiser runs the meeting: federation staff for every meeting, an association's officers
    for their association's meetings. Invited officers only read."""
    if scope.is_federation(user):
        return True
    return meeting.association_id is not None and meeting.association_id in scope.officer_association_ids(user)
