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


def can_view_joint_meetings(user) -> bool:
    return can_view_meetings(user)


def can_manage_joint_series(user) -> bool:
    """The federation sets up a series and who takes part, and its order of rotation."""
    return scope.is_federation(user)


def can_schedule_joint_meeting(user, next_host) -> bool:
    """Federation staff, or the officers of the association whose turn it is to host."""
    if scope.is_federation(user):
        return True
    return next_host is not None and next_host.pk in scope.officer_association_ids(user)


def can_manage_joint_meeting(user, meeting) -> bool:
    """The host's officers run their meeting (date, place, agenda, minutes); federation staff too."""
    return scope.is_federation(user) or meeting.host_id in scope.officer_association_ids(user)
