"""Reads of people, enterprises and memberships, always for a viewer.

An officer sees the people and enterprises with a current or past membership in their
associations; a member sees their own record; federation staff see everyone."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from qiaojia.accounts import scope
from qiaojia.core.chinese import search_key
from qiaojia.core.crypto import lookup_hash
from qiaojia.core.validators import normalize_id_number, normalize_phone
from qiaojia.orgs.models import Term
from qiaojia.search import selectors as search_selectors

from .models import Enterprise, Membership, PendingMembership, PendingStatus, Person


def _officer_terms(association_ids) -> QuerySet[Term]:
    """The terms of office in these associations, past and present: an association's officers are its people
    whether or not they also hold a membership row."""
    return Term.objects.filter(association_id__in=association_ids)


def _person_scope(viewer) -> QuerySet[Person]:
    qs = Person.objects.all()
    if scope.is_federation(viewer):
        return qs
    ids = scope.officer_association_ids(viewer)
    own = scope.own_person_id(viewer)
    condition = Q(pk__in=[])
    if ids:
        # IN (subquery) rather than a correlated EXISTS: both databases then start from the association's
        # memberships (an index range) instead of probing every person of a million-row register.
        condition |= Q(pk__in=Membership.objects.filter(association_id__in=ids).values("person_id"))
        condition |= Q(pk__in=_officer_terms(ids).values("person_id"))
    if own:
        condition |= Q(pk=own)
    return qs.filter(condition)


def person_scope(viewer) -> QuerySet[Person]:
    """Every person the viewer may see (the search index filters by it too)."""
    return _person_scope(viewer)


def person_visible(viewer, person: Person) -> bool:
    """The viewer may see `person` (through a membership in their associations, or as their own)."""
    return _person_scope(viewer).filter(pk=person.pk).exists()


def person_probe(viewer, object_id: str) -> Q:
    """The viewer may see the person whose id is in `object_id` (an outer column): a probe of that
    person's memberships, for searches whose candidates are few next to a large association."""
    condition = Q(pk__in=[])
    ids = scope.officer_association_ids(viewer)
    if ids:
        # Django combines a Q with any boolean expression into a Q; django-stubs types only Q | Q.
        condition |= Exists(  # type: ignore[assignment]
            Membership.objects.filter(person_id=OuterRef(object_id), association_id__in=ids)
        )
        condition |= Exists(  # type: ignore[assignment]
            Term.objects.filter(person_id=OuterRef(object_id), association_id__in=ids)
        )
    own = scope.own_person_id(viewer)
    if own:
        condition |= Q(**{object_id: own})
    return condition


def _name_filter(q: str, *, kind: str) -> Q:
    """Through the search index: Simplified or Traditional, pinyin, initials, English (see qiaojia.search)."""
    return Q(pk__in=search_selectors.matching_ids(kind=kind, q=q))


def person_list(
    *,
    viewer,
    q: str | None = None,
    association: int | None = None,
    overseas_status: str | None = None,
    country: str | None = None,
    id_number: str | None = None,
    id_hash: str | None = None,
) -> QuerySet[Person]:
    qs = _person_scope(viewer)
    if q:
        qs = qs.filter(_name_filter(q, kind="person")).order_by(search_selectors.rank(q), "name_pinyin", "id")
    if id_number:
        # Found only by the exact value, through the keyed hash: never by a part of it.
        qs = qs.filter(id_number_hash=lookup_hash(normalize_id_number(id_number))).exclude(id_number_hash="")
    if id_hash:
        qs = qs.filter(id_number_hash=id_hash).exclude(id_number_hash="")
    if association:
        # Its current members and its officers in office.
        qs = qs.filter(
            Q(pk__in=Membership.objects.filter(association_id=association, left_on__isnull=True).values("person_id"))
            | Q(pk__in=Term.objects.filter(association_id=association).current().values("person_id"))
        )
    if overseas_status:
        qs = qs.filter(overseas_status=overseas_status)
    if country:
        qs = qs.filter(country=country)
    visible_memberships = (
        Membership.objects.filter(left_on__isnull=True)
        .select_related("association")
        .only("id", "person_id", "association_id", "association__name", "association__short_name")
    )
    if not scope.is_federation(viewer):
        visible_memberships = visible_memberships.filter(association_id__in=scope.officer_association_ids(viewer))
    return qs.prefetch_related(Prefetch("memberships", queryset=visible_memberships, to_attr="visible_memberships"))


def person_get(*, viewer, pk: int) -> Person:
    person = _person_scope(viewer).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def person_memberships(*, viewer, person: Person) -> QuerySet[Membership]:
    qs = Membership.objects.filter(person=person).select_related("association")
    if not scope.is_federation(viewer) and person.pk != scope.own_person_id(viewer):
        qs = qs.filter(association_id__in=scope.officer_association_ids(viewer))
    return qs.order_by("-joined_on")


def person_association_ids(person: Person) -> set[int]:
    """The associations `person` belongs to: through a membership or a term of office."""
    return set(Membership.objects.filter(person=person).values_list("association_id", flat=True)) | set(
        Term.objects.filter(person=person).values_list("association_id", flat=True)
    )


def _enterprise_scope(viewer) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.all()
    if scope.is_federation(viewer):
        return qs
    ids = scope.officer_association_ids(viewer)
    if not ids:
        return qs.none()
    return qs.filter(pk__in=Membership.objects.filter(association_id__in=ids).values("enterprise_id"))


def enterprise_scope(viewer) -> QuerySet[Enterprise]:
    """Every enterprise the viewer may see (the search index filters by it too)."""
    return _enterprise_scope(viewer)


def enterprise_visible(viewer, enterprise: Enterprise) -> bool:
    return _enterprise_scope(viewer).filter(pk=enterprise.pk).exists()


def person_ids_if_few(viewer, limit: int) -> list[int] | None:
    """The ids of the people the viewer may see when there are at most `limit`, else None: read
    from the associations' memberships with a LIMIT, so a large association costs no more than a small one."""
    ids = scope.officer_association_ids(viewer)
    found = (
        list(
            Membership.objects.filter(association_id__in=ids)
            .exclude(person_id__isnull=True)
            .order_by()
            .values_list("person_id", flat=True)[: limit + 1]
        )
        if ids
        else []
    )
    if ids and len(found) <= limit:
        found += list(_officer_terms(ids).order_by().values_list("person_id", flat=True)[: limit + 1])
    own = scope.own_person_id(viewer)
    if own:
        found.append(own)
    found = list(dict.fromkeys(found))
    return found if len(found) <= limit else None


def enterprise_ids_if_few(viewer, limit: int) -> list[int] | None:
    ids = scope.officer_association_ids(viewer)
    found = (
        list(
            Membership.objects.filter(association_id__in=ids)
            .exclude(enterprise_id__isnull=True)
            .order_by()
            .values_list("enterprise_id", flat=True)[: limit + 1]
        )
        if ids
        else []
    )
    return found if len(found) <= limit else None


def enterprise_probe(viewer, object_id: str) -> Q | Exists:
    """As `person_probe`, for enterprises."""
    ids = scope.officer_association_ids(viewer)
    if not ids:
        return Q(pk__in=[])
    return Exists(Membership.objects.filter(enterprise_id=OuterRef(object_id), association_id__in=ids))


def enterprise_list(
    *, viewer, q: str | None = None, association: int | None = None, industry: str | None = None
) -> QuerySet[Enterprise]:
    qs = _enterprise_scope(viewer).select_related("representative")
    if q:
        qs = qs.filter(_name_filter(q, kind="enterprise") | Q(credit_code=q.strip().upper())).order_by(
            search_selectors.rank(q), "name_pinyin", "id"
        )
    if association:
        qs = qs.filter(
            pk__in=Membership.objects.filter(association_id=association, left_on__isnull=True).values("enterprise_id")
        )
    if industry:
        qs = qs.filter(industry=industry)
    return qs


def enterprise_get(*, viewer, pk: int) -> Enterprise:
    enterprise = _enterprise_scope(viewer).select_related("representative").filter(pk=pk).first()
    if enterprise is None:
        raise Http404
    return enterprise


def enterprise_memberships(*, viewer, enterprise: Enterprise) -> QuerySet[Membership]:
    qs = Membership.objects.filter(enterprise=enterprise).select_related("association")
    if not scope.is_federation(viewer):
        qs = qs.filter(association_id__in=scope.officer_association_ids(viewer))
    return qs.order_by("-joined_on")


def membership_get(*, viewer, pk: int) -> Membership:
    qs = Membership.objects.select_related("association", "person", "enterprise")
    if not scope.is_federation(viewer):
        qs = qs.filter(association_id__in=scope.officer_association_ids(viewer))
    membership = qs.filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def person_association_names(*, viewer, person_ids) -> dict[int, list[str]]:
    """The names of the associations each person currently belongs to, as far as `viewer` sees them
    (the same memberships the person list shows), in one query."""
    qs = Membership.objects.filter(person_id__in=person_ids, left_on__isnull=True)
    if not scope.is_federation(viewer):
        qs = qs.filter(association_id__in=scope.officer_association_ids(viewer))
    names: dict[int, list[str]] = {}
    for person_id, name in qs.order_by("association__name").values_list("person_id", "association__name"):
        names.setdefault(person_id, []).append(name)
    return names


def _pending_scope(viewer) -> QuerySet[PendingMembership]:
    """Federation staff see every request; an officer those of their associations; a person those naming them."""
    qs = PendingMembership.objects.select_related("association")
    if scope.is_federation(viewer):
        return qs
    condition = Q(pk__in=[])
    ids = scope.officer_association_ids(viewer)
    if ids:
        condition |= Q(association_id__in=ids)
    own = scope.own_person_id(viewer)
    if own:
        condition |= Q(person_id=own)
    return qs.filter(condition)


def pending_list(
    *, viewer, association: int | None = None, kind: str | None = None, open_only: bool = True
) -> QuerySet[PendingMembership]:
    """Memberships awaiting confirmation, oldest first. `kind` is "person" or "enterprise"."""
    qs = _pending_scope(viewer)
    if open_only:
        qs = qs.filter(status=PendingStatus.PENDING)
    if association:
        qs = qs.filter(association_id=association)
    if kind == "person":
        qs = qs.filter(person__isnull=False)
    elif kind == "enterprise":
        qs = qs.filter(enterprise__isnull=False)
    return qs.order_by("created_at", "id")


def pending_get(*, viewer, pk: int) -> PendingMembership:
    pending = _pending_scope(viewer).select_related("person", "enterprise", "requested_by").filter(pk=pk).first()
    if pending is None:
        raise Http404
    return pending


def pending_for_person(*, viewer, person: Person) -> QuerySet[PendingMembership]:
    """The open requests naming `person` that the viewer may decide on: federation staff, and the person
    themselves on their own record (never the officers who asked)."""
    if not (scope.is_federation(viewer) or person.pk == scope.own_person_id(viewer)):
        return PendingMembership.objects.none()
    return pending_list(viewer=viewer).filter(person=person)


def pending_count_for_source(*, viewer, source: str) -> int:
    return _pending_scope(viewer).filter(source=source).count()


def people_sharing(
    *, name_phones: set[tuple[str, str]], name_births: set[tuple[str, datetime.date]], viewer=None
) -> tuple[set, set]:
    """Which of the (name key, phone) and (name key, birth date) pairs a registered person has (the
    import's likely matches), among the people `viewer` may see (everyone without a viewer).

    Looked up by the pairs themselves, through the phone index and the (name key, birth date) index: a
    common name's thousands of namesakes are never read."""
    found: list[tuple[int, str, str, datetime.date | None]] = []
    if name_phones:
        by_phone = Person.objects.filter(phone__in={p for _k, p in name_phones}).order_by()
        found += [
            (pk, key, phone, None)
            for pk, key, phone in by_phone.values_list("pk", "name_key", "phone")
            if (key, phone) in name_phones
        ]
    pairs = sorted(name_births)
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), 2000):
            batch = pairs[start : start + 2000]
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT p.id, p.name_key, p.birth_date FROM {table} p "
                    "JOIN unnest(%s::varchar[], %s::date[]) AS v(k, b) ON p.name_key = v.k AND p.birth_date = v.b",
                    [[k for k, _b in batch], [b for _k, b in batch]],
                )
            else:
                values = ", ".join(["(%s, %s)"] * len(batch))
                cursor.execute(
                    f"SELECT p.id, p.name_key, p.birth_date FROM (VALUES {values}) AS v "
                    f"JOIN {table} p ON p.name_key = v.column1 AND p.birth_date = v.column2",
                    [x for k, b in batch for x in (k, b.isoformat())],
                )
            for pk, key, birth in cursor.fetchall():
                found.append(
                    (pk, key, "", birth if isinstance(birth, datetime.date) else datetime.date.fromisoformat(birth))
                )
    if found and viewer is not None and not scope.is_federation(viewer):
        visible = set(person_scope(viewer).filter(pk__in={f[0] for f in found}).values_list("pk", flat=True))
        found = [f for f in found if f[0] in visible]
    return {(k, p) for _pk, k, p, _b in found if p}, {(k, b) for _pk, k, _p, b in found if b}


# The member picker (members.picker) -----------------------------------------------------------------

PICK_LIMIT = 8


def association_people(association_id: int) -> QuerySet[Person]:
    """The people of one association today: its current members and the holders of its current terms of
    office (an officer is one of the association's people with or without a membership row)."""
    from qiaojia.orgs.models import Term  # knot: orgs ↔ members

    members = Membership.objects.filter(association_id=association_id, left_on__isnull=True, person__isnull=False)
    officers = Term.objects.current().filter(association_id=association_id)
    return Person.objects.filter(
        Q(pk__in=members.values("person_id")) | Q(pk__in=officers.values("person_id")), erased_at__isnull=True
    )


def _pick_within(viewer, association_id: int | None) -> QuerySet[Person] | None:
    """What a picker limited to one association may offer this viewer: nothing for an association that is
    not theirs (an officer learns nothing of another's people), else its people."""
    if association_id is None:
        return None
    if not scope.is_federation(viewer) and association_id not in scope.officer_association_ids(viewer):
        return Person.objects.none()
    return association_people(association_id)


@dataclass
class PickedPerson:
    """One suggestion of the member picker: the person as registered, the part that matched marked, and
    what tells two people of one name apart."""

    pk: int
    name: str
    name_html: str
    details: str


def person_pick(
    *, viewer, q: str, within_association: int | None = None, limit: int = PICK_LIMIT
) -> list[PickedPerson]:
    """The picker's suggestions: the search index's query (script-insensitive, full pinyin, initials, English
    names), within the viewer's scope and, when given, one association's people."""
    query = search_selectors.parse(q)
    if query is None:
        return []
    within = _pick_within(viewer, within_association)
    within_ids = within.values("pk") if within is not None else None
    entries = search_selectors.search_kind(viewer=viewer, kind="person", query=query, limit=limit, within=within_ids)
    people = Person.objects.only("pk", "name", "name_en", "public_title").in_bulk([e.object_id for e in entries])
    associations = person_association_names(viewer=viewer, person_ids=list(people))
    found = []
    for entry in entries:
        person = people.get(entry.object_id)
        if person is None:
            continue
        details = [person.name_en, person.public_title, "、".join(associations.get(person.pk, [])[:2])]
        found.append(
            PickedPerson(
                pk=person.pk,
                name=person.name,
                name_html=search_selectors.highlight(person.name, query, folded=entry.key),
                details=" · ".join(d for d in details if d),
            )
        )
    return found


class LineOutcome:
    MATCHED = "matched"
    SEVERAL = "several"
    UNMATCHED = "unmatched"


@dataclass
class PastedLine:
    """One line of a list pasted from a spreadsheet, and whom it matched."""

    number: int
    name: str
    phone: str  # E.164 when the line held a valid number, else ""
    outcome: str
    person: Person | None = None
    count: int = 0  # people sharing the name, when several


_CELLS = re.compile(r"\t|[,，;；]|\s{2,}")
_HEADER_NAMES = {"姓名", "名字", "name", "full name", "名稱", "名称"}
MAX_PASTED_LINES = 500


def _split_line(line: str) -> tuple[str, str]:
    cells = [c.strip() for c in _CELLS.split(line) if c.strip()]
    name, phone = "", ""
    for cell in cells:
        digits = re.sub(r"[\s\-()（）]", "", cell)
        if not phone and re.fullmatch(r"\+?\d{6,16}", digits):
            try:
                phone = normalize_phone(digits)
            except ValidationError:
                phone = ""
            continue
        if not name:
            name = cell
    return name, phone


def people_match_lines(*, viewer, text: str, within_association: int | None = None) -> list[PastedLine]:
    """Match each pasted line (a name, a phone number, or both, in cells split by tabs, commas or spaces) to
    one person the viewer may see: by phone first, else by the name in either script. Two queries in all."""
    lines = []
    for number, raw in enumerate((text or "").splitlines()[:MAX_PASTED_LINES], start=1):
        name, phone = _split_line(raw)
        if not name and not phone:
            continue
        if number == 1 and name.casefold() in _HEADER_NAMES and not phone:
            continue
        lines.append(PastedLine(number=number, name=name, phone=phone, outcome=LineOutcome.UNMATCHED))
    if not lines:
        return []
    candidates = _person_scope(viewer).filter(erased_at__isnull=True)
    within = _pick_within(viewer, within_association)
    if within is not None:
        candidates = candidates.filter(pk__in=within.values("pk"))
    candidates = candidates.only("pk", "name", "phone", "name_key", "public_title")
    phones = {line.phone for line in lines if line.phone}
    keys = {search_key(line.name) for line in lines if line.name}
    by_phone: dict[str, list[Person]] = {}
    for person in candidates.filter(phone__in=phones) if phones else []:
        by_phone.setdefault(person.phone, []).append(person)
    by_name: dict[str, list[Person]] = {}
    for person in candidates.filter(name_key__in=keys).order_by("pk")[: len(keys) * 20] if keys else []:
        by_name.setdefault(person.name_key, []).append(person)
    for line in lines:
        found = by_phone.get(line.phone, []) if line.phone else []
        if len(found) != 1 and line.name:
            found = by_name.get(search_key(line.name), [])
        if len(found) == 1:
            line.outcome, line.person = LineOutcome.MATCHED, found[0]
        elif found:
            line.outcome, line.count = LineOutcome.SEVERAL, len(found)
    return lines
