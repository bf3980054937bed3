"""Pure predicates about accounts and the administration pages; views and templates ask these."""

from . import scope


def can_manage_accounts(user) -> bool:
    return scope.is_admin(user)


def can_view_audit_trail(user) -> bool:
    return scope.is_admin(user)
