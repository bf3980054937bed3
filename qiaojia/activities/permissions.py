"""Pure predicates about activities; views and templates ask these."""

from qiaojia.accounts import scope

from .models import RegistrationStatus


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


def registration_open_now(activity, now) -> bool:
    """The activity takes members' own registrations and its closing time has not passed."""
    return bool(
        activity.registration_open and activity.registration_closes_at and now <= activity.registration_closes_at
    )


def can_register_for_activity(user, activity, *, now) -> bool:
    """A member registers themselves while registration is open (the selector that found the activity for
    them has checked that they belong to its association)."""
    return scope.own_person_id(user) is not None and registration_open_now(activity, now)


def can_cancel_registration(user, registration, *, now) -> bool:
    """The member cancels their own registration while registration is open and attendance is not taken."""
    own = scope.own_person_id(user)
    return (
        own is not None
        and own == registration.person_id
        and registration.status == RegistrationStatus.REGISTERED
        and registration_open_now(registration.activity, now)
    )


def can_manage_registrations(user, activity) -> bool:
    """The organiser sees the registrations, exports them and takes attendance from them."""
    return can_manage_activity(user, activity)
