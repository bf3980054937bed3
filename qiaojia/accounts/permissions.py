"""Pure predicates about accounts and the administration pages; views and templates ask these."""

from . import scope


def can_manage_accounts(user) -> bool:
    return scope.is_admin(user)


def can_view_audit_trail(user) -> bool:
    return scope.is_admin(user)


def can_turn_off_second_factor(user) -> bool:
    """Only an account whose role does not need the second factor (a member) may turn it off; staff,
    administrators and officers keep it."""
    return bool(user.is_authenticated and not user.needs_second_factor)
