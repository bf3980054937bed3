"""Who may see what: the scope every selector starts from.

Federation admins and staff see the whole province; an officer sees the associations they serve;
a member sees their own record; everyone sees what is public."""

from qiaojia.accounts.models import Role


def is_federation(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in (Role.ADMIN, Role.STAFF))


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.ADMIN)


def officer_association_ids(user) -> frozenset[int]:
    """The associations this user serves as officer, read once per request."""
    if not (user.is_authenticated and user.is_active and user.role == Role.OFFICER):
        return frozenset()
    cached = getattr(user, "_officer_association_ids", None)
    if cached is None:
        cached = frozenset(user.associations.values_list("id", flat=True))
        user._officer_association_ids = cached
    return cached


def own_person_id(user) -> int | None:
    if user.is_authenticated and user.is_active:
        return user.person_id
    return None
