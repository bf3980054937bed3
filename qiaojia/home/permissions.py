from qiaojia.accounts import scope


def can_view_audit_trail(user) -> bool:
    """Administrators browse and export the audit trail; nothing on those pages can change it."""
    return scope.is_admin(user)
