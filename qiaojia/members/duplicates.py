"""Finding people registered twice, across associations.

Three rules, each one grouping query on indexed keys (a window count per key, filtered to keys
held by more than one person), never a comparison of every pair in Python:
same ID number (keyed hash); same name in any script (`name_key`, Simplified) and same phone;
same name and same birth date. Pairs staff dismissed as different people are left out."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Window
from django.utils.translation import gettext_lazy as _

from .models import DuplicateDismissal, Membership, Person


class DuplicateRule:
    ID_NUMBER = "id_number"
    NAME_PHONE = "name_phone"
    NAME_BIRTH_DATE = "name_birth_date"

    LABELS = {
        ID_NUMBER: _("Same ID number"),
        NAME_PHONE: _("Same name and phone"),
        NAME_BIRTH_DATE: _("Same name and birth date"),
    }
    KEYS = {
        ID_NUMBER: ("id_number_hash",),
        NAME_PHONE: ("name_key", "phone"),
        NAME_BIRTH_DATE: ("name_key", "birth_date"),
    }


# A key shared by very many people (a placeholder phone, say) says nothing about any two of them.
MAX_GROUP = 20


@dataclass
class Candidate:
    """Two people who look like one, with the rules that matched (`low` has the smaller id)."""

    low_id: int
    high_id: int
    rules: list[str] = field(default_factory=list)
    low: Person | None = None
    high: Person | None = None

    @property
    def evidence(self) -> list:
        return [DuplicateRule.LABELS[r] for r in self.rules]

    @property
    def people(self) -> tuple:
        return self.low, self.high

    @property
    def strength(self) -> int:
        return (3 if DuplicateRule.ID_NUMBER in self.rules else 0) + len(self.rules)


def _rule_groups(rule: str) -> dict[tuple, list[int]]:
    keys = DuplicateRule.KEYS[rule]
    qs = Person.objects.exclude(name_key="") if rule != DuplicateRule.ID_NUMBER else Person.objects.all()
    for key in keys:
        qs = qs.exclude(**{key: ""}) if key != "birth_date" else qs.exclude(birth_date__isnull=True)
    rows = (
        qs.annotate(same=Window(Count("id"), partition_by=[F(k) for k in keys]))
        .filter(same__gt=1, same__lte=MAX_GROUP)
        .values_list("id", *keys)
    )
    groups: dict[tuple, list[int]] = defaultdict(list)
    for pk, *key in rows:
        groups[tuple(key)].append(pk)
    return groups


def duplicate_candidates() -> list[Candidate]:
    """Every likely duplicate pair not dismissed, strongest evidence first."""
    pairs: dict[tuple[int, int], Candidate] = {}
    for rule in (DuplicateRule.ID_NUMBER, DuplicateRule.NAME_PHONE, DuplicateRule.NAME_BIRTH_DATE):
        for ids in _rule_groups(rule).values():
            ids.sort()
            for i, low in enumerate(ids):
                for high in ids[i + 1 :]:
                    pairs.setdefault((low, high), Candidate(low, high)).rules.append(rule)
    if pairs:
        involved = {pk for pair in pairs for pk in pair}
        dismissed = DuplicateDismissal.objects.filter(person_low_id__in=involved).values_list(
            "person_low_id", "person_high_id"
        )
        for pair in dismissed:
            pairs.pop(pair, None)
    return sorted(pairs.values(), key=lambda c: (-c.strength, c.low_id, c.high_id))


def candidates_with_people(candidates: list[Candidate]) -> list[Candidate]:
    """Load the people of a page of candidates (one query, memberships in one more)."""
    ids = {pk for c in candidates for pk in (c.low_id, c.high_id)}
    memberships = Membership.objects.select_related("association").order_by("-joined_on")
    people = (
        {
            p.pk: p
            for p in Person.objects.filter(pk__in=ids).prefetch_related(
                Prefetch("memberships", queryset=memberships, to_attr="all_memberships")
            )
        }
        if ids
        else {}
    )
    for c in candidates:
        c.low, c.high = people.get(c.low_id), people.get(c.high_id)
    return [c for c in candidates if c.low is not None and c.high is not None]


def duplicate_rules_for(a: Person, b: Person) -> list[str]:
    """The rules two people match, for the compare page."""
    rules = []
    if a.id_number_hash and a.id_number_hash == b.id_number_hash:
        rules.append(DuplicateRule.ID_NUMBER)
    if a.name_key and a.name_key == b.name_key:
        if a.phone and a.phone == b.phone:
            rules.append(DuplicateRule.NAME_PHONE)
        if a.birth_date and a.birth_date == b.birth_date:
            rules.append(DuplicateRule.NAME_BIRTH_DATE)
    return rules


def is_dismissed(a: Person, b: Person) -> bool:
    low, high = sorted((a.pk, b.pk))
    return DuplicateDismissal.objects.filter(person_low_id=low, person_high_id=high).exists()
