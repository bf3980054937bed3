"""Pure predicates about imports."""

from qiaojia.accounts import scope


def can_import(user) -> bool:
    return scope.is_federation(user) or bool(scope.officer_association_ids(user))


def can_import_into(user, association) -> bool:
    return scope.is_federation(user) or association.pk in scope.officer_association_ids(user)
