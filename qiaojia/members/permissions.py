"""Pure predicates about people and memberships."""

from qiaojia.accounts import scope


def can_add_members(user) -> bool:
    """Federation staff, and officers for the associations they serve, add people and enterprises."""
    return scope.is_federation(user) or bool(scope.officer_association_ids(user))


def can_add_member(user, association) -> bool:
    return scope.is_federation(user) or association.pk in scope.officer_association_ids(user)


def is_own_record(user, person) -> bool:
    return person.pk == scope.own_person_id(user)


def can_edit_person(user, person, *, person_association_ids: set[int]) -> bool:
    if person.erased_at is not None:
        return False  # an erased person's data is gone for good; nobody types it back
    if scope.is_federation(user):
        return True
    if person.pk == scope.own_person_id(user):
        return True
    return bool(person_association_ids & scope.officer_association_ids(user))


def can_edit_person_record(user, *, person_association_ids: set[int]) -> bool:
    """The whole record (name, ID number, standing): federation staff and the person's associations' officers.
    A member corrects only their own contact details."""
    return scope.is_federation(user) or bool(person_association_ids & scope.officer_association_ids(user))


def can_reveal_personal_data(user, person, *, person_association_ids: set[int]) -> bool:
    """Federation staff, and officers of an association the person belongs to, may reveal a
    number for a purpose; every reveal is audited. Members see their own record unmasked on request."""
    return can_edit_person(user, person, person_association_ids=person_association_ids)


def can_edit_enterprise(user, *, enterprise_association_ids: set[int]) -> bool:
    """Federation staff, and officers of an association the enterprise belongs to."""
    return scope.is_federation(user) or bool(enterprise_association_ids & scope.officer_association_ids(user))


def can_edit_membership(user, membership) -> bool:
    return scope.is_federation(user) or membership.association_id in scope.officer_association_ids(user)


def can_review_pending(user, pending) -> bool:
    """Federation staff, and the person a pending membership names (on their own account), see it beside the
    registered record; the officers who asked do not."""
    if scope.is_federation(user):
        return True
    return pending.person_id is not None and pending.person_id == scope.own_person_id(user)


def can_decide_pending(user, pending) -> bool:
    return pending.is_open and can_review_pending(user, pending)


def can_review_duplicates(user) -> bool:
    """Likely duplicates and every membership awaiting confirmation are the federation's to review."""
    return scope.is_federation(user)
