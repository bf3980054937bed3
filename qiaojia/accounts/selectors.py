"""Reads about accounts."""

from collections.abc import Iterable

from .models import User


def user_label(user: User) -> str:
    """How an account is named to people: the person it belongs to (as registered, never converted),
    else the account's full name, else its user name."""
    if user.person_id is not None and user.person is not None:
        return user.person.name
    return user.get_full_name() or user.get_username()


def user_labels(user_ids: Iterable[int]) -> dict[int, str]:
    """`user_label` of many accounts, in one query."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    users = (
        User.objects.filter(pk__in=ids)
        .select_related("person")
        .only("pk", "username", "first_name", "last_name", "person__name")
    )
    return {user.pk: user_label(user) for user in users}
