"""Pure predicates about the registry; views and templates ask these."""

from qiaojia.accounts import scope


def can_create_association(user) -> bool:
    return scope.is_federation(user)


def can_edit_association(user, association) -> bool:
    return scope.is_federation(user) or association.pk in scope.officer_association_ids(user)


def can_manage_officers(user, association) -> bool:
    return can_edit_association(user, association)


def can_manage_federation(user) -> bool:
    return scope.is_admin(user)


def can_view_internal_registry(user) -> bool:
    return scope.is_federation(user) or bool(scope.officer_association_ids(user))


def can_view_departments(user) -> bool:
    """The federation's own page (its departments and who serves in them) is for its staff."""
    return scope.is_federation(user)


def can_act_for_federation(user) -> bool:
    """Federation staff may act in the federation's own name: organise its meetings and campaigns,
    record the donations it receives."""
    return scope.is_federation(user)
