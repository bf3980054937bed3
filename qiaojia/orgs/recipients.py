"""Who is told: the few rules every notice kind picks from, answered here and nowhere else (as Zulip
resolves recipients once). They read the registry (departments, associations, officers, people's
accounts), so they live in it; the notifications mechanism below knows only the rule a kind names.
An app says what happened and whose it is, e.g.
`notify(REPORT_SUBMITTED, association=report.association, ...)`; the kind's rule turns that into users.

- A matter the federation handles goes to the department responsible for it (an association's
  supervising department; for a matter of no association, the department that supervises the
  associations), to its active staff, and, when that is no one, to the federation's administrators.
- An association's matter goes to its active officers.
- A matter of a person goes to their own account, if they have one.

Rules return users; `notify` drops inactive ones and duplicates. A matter of one account (its sign-in, a
file it asked for) needs no registry: `qiaojia.notifications.recipients.user_account`."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from qiaojia.accounts.models import Role, User
from qiaojia.orgs.models import Association, Department


def _pk(value: Any) -> Any:
    """A model instance's id, or the id itself."""
    return getattr(value, "pk", value)


def federation_admins() -> QuerySet[User]:
    """The federation's active administrators: the last resort, so a federation matter is never dropped."""
    return User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id")


def responsible_department(*, association: Any = None, department: Any = None) -> int | None:
    """The department that handles the matter: the one named, else the association's supervising
    department, else the department that supervises the associations."""
    if department is not None:
        return _pk(department)
    if association is not None:
        supervising = getattr(association, "supervising_department_id", None)
        if supervising is None:
            supervising = (
                Association.objects.filter(pk=_pk(association))
                .values_list("supervising_department_id", flat=True)
                .first()
            )
        return supervising
    return (
        Department.objects.filter(supervises_associations=True).order_by("order", "id").values_list("pk", flat=True)
    ).first()


def federation_staff(*, association: Any = None, department: Any = None) -> list[User]:
    """A matter the federation handles: the active staff of the department responsible, else the
    federation's administrators."""
    department_id = responsible_department(association=association, department=department)
    staff = (
        list(User.objects.filter(role=Role.STAFF, is_active=True, department_id=department_id).order_by("id"))
        if department_id is not None
        else []
    )
    return staff or list(federation_admins())


def association_officers(*, association: Any) -> QuerySet[User]:
    """An association's matter: its active officers."""
    return User.objects.filter(role=Role.OFFICER, is_active=True, associations=_pk(association)).order_by("id")


def association_officers_and_author(*, association: Any, author: Any) -> list[User]:
    """Work an association's officer wrote: the association's officers and the author (who may be
    federation staff writing for the federation, with no association)."""
    users = list(association_officers(association=association)) if association is not None else []
    return [*users, author] if author is not None else users


def person_accounts(*, people: Iterable[Any]) -> QuerySet[User]:
    """A matter of people: each one's own account, if they have one."""
    return User.objects.filter(person_id__in=[_pk(p) for p in people], is_active=True).order_by("id")


def person_else_officers(*, person: Any, association: Any) -> list[User]:
    """Someone an association put forward (a meeting's participant): their own account, or, when they
    have none, the officers of the association they come from."""
    own = list(person_accounts(people=[person])) if person is not None else []
    if own or association is None:
        return own
    return list(association_officers(association=association))


def sides_of_a_case(*, associations: Iterable[Any] = (), people: Iterable[Any] = (), authors: Iterable[Any] = ()):
    """A case between associations (an introduction between two firms): the officers of the associations
    named, the accounts of the people named (an enterprise's contact) and the authors who acted for a side."""
    ids = [_pk(a) for a in associations if a is not None]
    users = list(User.objects.filter(role=Role.OFFICER, is_active=True, associations__in=ids).order_by("id"))
    users += list(person_accounts(people=[p for p in people if p is not None]))
    return [*users, *(a for a in authors if a is not None)]


def handler(*, association: Any = None, department: Any = None) -> list[User]:
    """A matter an association or a federation department must handle (an opinion routed to it): the
    association's active officers (else the federation staff responsible for it), or the department's staff."""
    if association is not None:
        officers = list(association_officers(association=association))
        return officers or federation_staff(association=association)
    return federation_staff(department=department)


def handler_and_admins(*, association: Any = None, department: Any = None) -> list[User]:
    """A matter its handler let run past its deadline: the handler and the federation's administrators."""
    return [*handler(association=association, department=department), *federation_admins()]
