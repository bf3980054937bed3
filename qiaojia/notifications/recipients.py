"""The one recipient rule the notifications mechanism offers by itself: a matter of one account (its
sign-in, a file it asked for) goes to that account. The rules that read the registry (a department's
staff, an association's officers, people's accounts) live in `qiaojia.orgs.recipients`."""

from typing import Any


def user_account(*, user: Any) -> list[Any]:
    """A matter of one account (its sign-in, a file it asked for): that account."""
    return [user] if user is not None else []
