import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qiaojia.accounts.selectors import user_labels
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.core.readable import format_date, format_datetime, label_colon
from qiaojia.notifications.kinds import kind_or_none


def audit_entries(filters):
    """The audit trail narrowed by the filter form: the page and its export read the same rows."""
    qs = AuditEntry.objects.all()
    if filters.value("q"):
        qs = qs.filter(Q(object_repr__icontains=filters.value("q")) | Q(request_id=filters.value("q")))
    if filters.value("actor"):
        qs = qs.filter(actor_username=filters.value("actor"))
    if filters.value("action"):
        qs = qs.filter(action=filters.value("action"))
    if filters.value("object_type"):
        qs = qs.filter(object_type=filters.value("object_type"))
    if filters.value("since"):
        qs = qs.filter(at__date__gte=filters.value("since"))
    if filters.value("until"):
        qs = qs.filter(at__date__lte=filters.value("until"))
    return qs


# --- The audit trail as people read it --------------------------------------------------------------
# A row names the person who acted, the record (as its owner would name it, in the reader's language)
# and each changed field by its label with values by their choices' labels; ids of related records
# become their names. Everything is resolved for a whole page (or export chunk) at once: one query for
# the actors, one per kind of record on the page and one per kind of related record, never one per row.

SYSTEM_ACTORS = {"anonymous": _("Visitor (not logged in)")}
# Keys of `changes` that are not fields of the record: an export's, a bulk operation's.
EXTRA_LABELS = {
    "filters": _("Filters"),
    "format": _("Format"),
    "background": _("In the background"),
    "count": _("Number of records"),
    "reason": _("Reason"),
}


@dataclass
class ReadableChange:
    label: str
    before: str | None
    after: str
    is_person: bool = False  # the values are people's names (a person's name, a link to a person or account)


@dataclass
class ReadableEntry:
    pk: int | None
    at: datetime.datetime
    when: str
    who: str
    account: str  # the account's user name, for administrators who search by it
    action: str
    kind: str  # what sort of record, e.g. "membership"
    what: str  # the record, e.g. "鄭定輝's membership in 河南省僑商聯合會"
    ip_address: str | None
    request_id: str
    changes: list[ReadableChange] = field(default_factory=list)
    who_is_person: bool = False  # an account's person or full name, shown as registered in every script
    what_is_person: bool = False  # the record is a person or an account: named by the person's name

    def changes_text(self) -> str:
        return "; ".join(
            f"{c.label}{label_colon()}{c.before} → {c.after}"
            if c.before is not None
            else f"{c.label}{label_colon()}{c.after}"
            for c in self.changes
        )


def _membership(m) -> str:
    return _("%(member)s's membership in %(association)s") % {
        "member": m.person or m.enterprise,
        "association": m.association,
    }


def _term(t) -> str:
    return _("%(person)s, %(title)s of %(association)s") % {
        "person": t.person,
        "title": t.get_title_display(),
        "association": t.association,
    }


def _annual_report(r) -> str:
    return _("Annual report of %(association)s on %(year)s") % {"association": r.association, "year": r.year}


DESCRIBE = {"members.membership": _membership, "orgs.term": _term, "cycle.annualreport": _annual_report}


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _forward_relations(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]


def _labels_of(model: type[models.Model], ids: set) -> dict[str, str]:
    """Names of `model`'s records by str(pk), one query (accounts by the person they belong to)."""
    if not ids:
        return {}
    if model is get_user_model():
        return {str(pk): name for pk, name in user_labels(int(i) for i in ids if str(i).isdigit()).items()}
    try:
        found = model._base_manager.select_related(*_forward_relations(model)).in_bulk(list(ids))
    except (ValueError, TypeError, ValidationError):
        return {}
    describe = DESCRIBE.get(model._meta.label_lower, str)
    return {str(pk): str(describe(obj)) for pk, obj in found.items()}


def _value(field_obj, value, related: dict) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return "、".join(_value(field_obj, v, related) for v in value)
    if field_obj is not None:
        if field_obj.is_relation and field_obj.related_model is not None:
            return related.get(field_obj.related_model, {}).get(str(value), str(value))
        if field_obj.choices:  # a CountryField of several countries has no flatchoices
            return str(dict(field_obj.flatchoices or field_obj.choices).get(value, value))
        if isinstance(field_obj, models.DateTimeField) and isinstance(value, str):
            parsed = parse_datetime(value)
            return format_datetime(parsed) if parsed else value
        if isinstance(field_obj, models.DateField) and isinstance(value, str):
            day = parse_date(value)
            return format_date(day) if day else value
    if isinstance(value, dict) and "kind" in value:  # a notice sent: the kind's words, not its code
        found = kind_or_none(str(value["kind"]))
        return str(found.label) if found else "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}{label_colon()}{v}" for k, v in value.items())
    return str(value)


def _field(model: type[models.Model] | None, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _words(name: Any) -> str:
    """A model's or field's name: its translated verbose name, or, where it was never marked for
    translation (Django made it from the code name), the catalogues' translation of the same words."""
    if isinstance(name, Promise):
        return capfirst(str(name))
    return gettext(capfirst(str(name).replace("_", " ")))


def _label(model: type[models.Model] | None, name: str) -> str:
    found = _field(model, name)
    if found is not None and getattr(found, "verbose_name", None):
        return _words(found.verbose_name)
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    return _words(name)


PERSON_RECORDS = {"accounts.user", "members.person"}  # records whose name is a person's
PERSON_NAME_FIELDS = {"name", "first_name", "last_name"}


def _names_a_person(row: dict, name: str, found) -> bool:
    """Whether a change's values are people's names: a person's or account's name, or a link to one."""
    if found is not None and found.is_relation and found.related_model is not None:
        return found.related_model._meta.label_lower in PERSON_RECORDS
    return row["object_type"] in PERSON_RECORDS and name in PERSON_NAME_FIELDS


def audit_readable(rows: list[dict]) -> list[ReadableEntry]:
    """The rows (dicts of AuditEntry fields, as the export reads them) as people read them."""
    actors = user_labels(r["actor_id"] for r in rows if r.get("actor_id"))
    model_of = {t: _model(t) for t in {r["object_type"] for r in rows}}
    object_ids: dict[type[models.Model], set] = defaultdict(set)
    related_ids: dict[type[models.Model], set] = defaultdict(set)
    for r in rows:
        model = model_of[r["object_type"]]
        if model is None:
            continue
        if r["object_id"]:
            object_ids[model].add(r["object_id"])
        for name, change in (r["changes"] or {}).items():
            found = _field(model, name)
            if found is not None and found.is_relation and found.related_model is not None:
                for value in change if isinstance(change, list) else [change]:
                    if isinstance(value, int | str) and value != "":
                        related_ids[found.related_model].add(value)
    for model, ids in object_ids.items():
        related_ids[model] |= ids  # one query for a kind of record that is both the subject and a value
    related = {model: _labels_of(model, ids) for model, ids in related_ids.items()}

    out = []
    for r in rows:
        model = model_of[r["object_type"]]
        if r.get("actor_id"):
            who = actors.get(r["actor_id"], r["actor_username"])
        else:
            who = str(SYSTEM_ACTORS.get(r["actor_username"], _("The platform")))
        changes = []
        for name, change in (r["changes"] or {}).items():
            found = _field(model, name)
            if isinstance(change, list) and len(change) == 2:
                before = None if change[0] is None else _value(found, change[0], related)
                after = _value(found, change[1], related)
            else:
                before, after = None, _value(found, change, related)
            changes.append(ReadableChange(_label(model, name), before, after, _names_a_person(r, name, found)))
        out.append(
            ReadableEntry(
                pk=r.get("id"),
                at=r["at"],
                when=format_datetime(r["at"]),
                who=who,
                account=r["actor_username"],
                action=str(dict(AuditAction.choices).get(r["action"], r["action"])),
                kind=_words(model._meta.verbose_name) if model is not None else "",
                what=related.get(model, {}).get(str(r["object_id"]), r["object_repr"]) if model else r["object_repr"],
                ip_address=r.get("ip_address"),
                request_id=r["request_id"],
                changes=changes,
                who_is_person=bool(r.get("actor_id")),
                what_is_person=r["object_type"] in PERSON_RECORDS,
            )
        )
    return out


AUDIT_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "ip_address",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "request_id",
)


def audit_page_readable(entries) -> list[ReadableEntry]:
    return audit_readable([{name: getattr(e, name) for name in AUDIT_FIELDS} for e in entries])


def record_history(*, person_id: int, membership_ids) -> list[AuditEntry]:
    """What was changed on a person's record and memberships, latest first (the person's own history)."""
    return list(
        AuditEntry.objects.filter(
            Q(object_type="members.person", object_id=str(person_id))
            | Q(object_type="members.membership", object_id__in=[str(pk) for pk in membership_ids])
        ).order_by("-at", "-id")[:50]
    )
