"""Scale data for benchmarks: N associations, M people and their memberships, deterministic from a seed.

People are drawn from the demo's pools (`qiaojia.demo.data`: surnames with their Traditional forms,
polyphonic and compound surnames, given-name characters, English names as written in Hong Kong and
Southeast Asia) and written in bulk: PostgreSQL COPY or SQLite `executemany`, in chunks, each chunk
in its own transaction. Derived fields are exactly what `members.services` computes; search keys are
computed once per distinct Simplified name, since a million people share far fewer names. Only a
small share of people carry an (encrypted) ID number: it is optional data and Fernet is slow.
"""

import bisect
import datetime
import hashlib
import itertools
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import phonenumbers
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from qiaojia.core import context
from qiaojia.core.chinese import search_key, to_simplified, to_traditional
from qiaojia.core.chinese import syllables as pinyin_syllables
from qiaojia.core.crypto import encrypt, lookup_hash
from qiaojia.core.masking import mask_id_number
from qiaojia.core.models import AuditAction
from qiaojia.core.services import audit_log, create_audited
from qiaojia.members.models import DuesStatus, Gender, IdKind, Membership, MembershipLevel, Person
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import Association, AssociationKind, Department, Federation

from . import data
from .generate import BIRTH_YEARS, credit_code, id_number, overseas_status_for, writes_traditional

# Raise when the generated data changes, so cached benchmark databases are rebuilt.
GENERATOR_VERSION = 1
REFERENCE_DAY = datetime.date(2025, 3, 5)
# Fixed, so the same seed writes byte-identical rows.
CREATED_AT = datetime.datetime(2025, 3, 5, 1, 0, tzinfo=datetime.UTC)
CHUNK = 10_000

PERSON_COLUMNS = (
    "name",
    "name_en",
    "gender",
    "birth_date",
    "overseas_status",
    "country",
    "is_deputy",
    "is_cppcc_member",
    "public_title",
    "phone",
    "email",
    "id_kind",
    "id_number_encrypted",
    "id_number_hash",
    "id_number_masked",
    "consent_version",
    "consent_at",
    "name_key",
    "name_pinyin",
    "name_initials",
)
MEMBERSHIP_COLUMNS = ("association_id", "person_id", "enterprise_id", "level", "joined_on", "left_on", "dues_status")

# Where overseas associations' members came back from, for association names.
ORIGINS = [
    "印尼",
    "馬來西亞",
    "泰國",
    "新加坡",
    "越南",
    "菲律賓",
    "緬甸",
    "美國",
    "加拿大",
    "澳大利亞",
    "日本",
    "英國",
    "柬埔寨",
    "老撾",
    "新西蘭",
    "法國",
]
ASSOCIATION_TEMPLATES = [
    ("{place}僑商聯合會", AssociationKind.BUSINESS, "Overseas Chinese Business Association"),
    ("{place}歸國華僑聯合會", AssociationKind.RETURNEES, "Returned Overseas Chinese Federation"),
    ("{place}海外聯誼會", AssociationKind.CULTURAL, "Overseas Friendship Association"),
    ("{place}僑界青年聯合會", AssociationKind.YOUTH, "Overseas Chinese Youth Federation"),
    ("{place}僑界婦女聯誼會", AssociationKind.WOMEN, "Overseas Chinese Women's Association"),
    ("{place}華僑華人專業人士協會", AssociationKind.PROFESSIONAL, "Overseas Chinese Professionals Association"),
    ("{place}{origin}歸僑聯誼會", AssociationKind.HOMETOWN, "Returnees from {origin_en} Association"),
]
ORIGINS_EN = {
    "印尼": "Indonesia",
    "馬來西亞": "Malaysia",
    "泰國": "Thailand",
    "新加坡": "Singapore",
    "越南": "Vietnam",
    "菲律賓": "the Philippines",
    "緬甸": "Myanmar",
    "美國": "the USA",
    "加拿大": "Canada",
    "澳大利亞": "Australia",
    "日本": "Japan",
    "英國": "the UK",
    "柬埔寨": "Cambodia",
    "老撾": "Laos",
    "新西蘭": "New Zealand",
    "法國": "France",
}


def _cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _pick(rng: random.Random, items: list, cumulative: list[float]):
    return items[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]


class NameKeys:
    """Search keys per name, computed once per distinct Simplified form.

    `members.services` derives every key from `to_simplified(name)`, so 張偉 and 张伟 share one entry."""

    def __init__(self) -> None:
        self._simplified: dict[str, str] = {}
        self._keys: dict[str, tuple[str, str, str]] = {}

    def __call__(self, name: str) -> tuple[str, str, str]:
        simplified = self._simplified.get(name)
        if simplified is None:
            simplified = self._simplified[name] = to_simplified(name.strip())
        keys = self._keys.get(simplified)
        if keys is None:
            syllables = pinyin_syllables(name, as_name=True)
            # Exactly `search_key`, `pinyin_key(as_name=True)` and `initials_key(as_name=True)`, sharing one pass.
            keys = (search_key(name), "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower())
            self._keys[simplified] = keys
        return keys

    @property
    def distinct(self) -> int:
        return len(self._keys)


@dataclass
class ScaleResult:
    seed: int
    associations: int = 0
    people: int = 0
    memberships: int = 0
    id_numbers: int = 0
    distinct_names: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    reindex: str = ""


@dataclass
class AssociationRow:
    name: str
    name_en: str
    short_name: str
    kind: str
    credit_code: str
    founded_on: datetime.date


def build_associations(
    *, count: int, seed: int, taken_names: frozenset[str] = frozenset(), taken_codes: frozenset[str] = frozenset()
) -> list[AssociationRow]:
    """`count` associations with unique names, half registered in Traditional and half in Simplified."""
    rng = random.Random(seed * 7919 + 1)
    places = [(f"{c[1]}市", c[2], c[3]) for c in data.CITIES]
    places += [(f"{c[1]}市{to_traditional(d)}", f"{c[2]} {d}", c[3]) for c in data.CITIES for d in c[4]]
    combos = []
    for place, place_en, division in places:
        for template, kind, english in ASSOCIATION_TEMPLATES:
            origins = ORIGINS if "{origin}" in template else [""]
            for origin in origins:
                combos.append(
                    (
                        template.format(place=place, origin=origin),
                        kind,
                        f"{place_en} {english.format(origin_en=ORIGINS_EN.get(origin, ''))}",
                        division,
                    )
                )
    rng.shuffle(combos)
    used_codes = set(taken_codes)
    rows: list[AssociationRow] = []
    seen = set(taken_names)
    for round_number in itertools.count(1):
        for name, kind, name_en, division in combos:
            if len(rows) == count:
                return rows
            if round_number > 1:
                name, name_en = f"{name}（第{round_number}分會）", f"{name_en} (branch {round_number})"
            stored = name if rng.random() < 0.5 else to_simplified(name)
            if stored in seen or to_traditional(stored) in seen:
                continue
            seen.add(stored)
            founded = REFERENCE_DAY - datetime.timedelta(days=rng.randint(400, 40 * 365))
            code = credit_code("51" + division + ("MJ" if founded.year >= 2016 else ""), rng, used_codes)
            rows.append(
                AssociationRow(
                    name=stored, name_en=name_en, short_name="", kind=kind, credit_code=code, founded_on=founded
                )
            )
    return rows


class PeopleGenerator:
    """Draws people one by one from one random stream; the same seed and counts give the same people."""

    def __init__(
        self,
        *,
        seed: int,
        association_ids: list[int],
        association_founded: list[datetime.date],
        memberships_per_person: float = 1.2,
        id_share: float = 0.05,
        keys: NameKeys | None = None,
    ):
        self.rng = random.Random(seed * 104729 + 2)
        self.keys = keys or NameKeys()
        self.association_ids = association_ids
        self.association_founded = [d.toordinal() for d in association_founded]
        # Associations differ in size: a few large ones, a long tail of small ones (Zipf-like weights).
        size_rng = random.Random(seed * 15485863 + 3)
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(association_ids))]
        size_rng.shuffle(weights)
        self.association_cum = _cumulative(weights)
        self.association_index = list(range(len(association_ids)))
        self.more_membership = max(0.0, 1.0 - 1.0 / max(memberships_per_person, 1.0))
        self.max_memberships = min(5, len(association_ids))
        self.id_share = id_share
        self.surnames = list(data.SURNAMES)
        self.surname_cum = _cumulative([s[2] for s in data.SURNAMES])
        self.countries = [c for c, _w in data.OVERSEAS_COUNTRIES]
        self.country_cum = _cumulative([w for _c, w in data.OVERSEAS_COUNTRIES])
        self.cities = list(data.CITIES)
        self.city_cum = _cumulative([c[5] for c in data.CITIES])
        self.used_phones: set[str] = set()
        self.used_ids: set[str] = set()
        self.phone_valid: dict[str, bool] = {}
        self.name_en_cache: dict[tuple[str, str], tuple[str, list[str]]] = {}
        self.consent_version = settings.QIAOJIA_CONSENT_VERSION
        self.reference = REFERENCE_DAY.toordinal()
        self.id_numbers = 0

    def _name(self, gender: str, traditional: bool) -> tuple[str, str, str]:
        rng = self.rng
        surname, surname_t, _w = _pick(rng, self.surnames, self.surname_cum)
        pool = data.MALE_CHARS if gender == Gender.MALE else data.FEMALE_CHARS
        given = rng.choice(pool) if rng.random() < 0.3 else rng.choice(pool) + rng.choice(pool)
        if traditional:
            return surname_t + "".join(data.TRADITIONAL.get(c, c) for c in given), surname, given
        return surname + given, surname, given

    def _romanised(self, surname: str, given: str) -> tuple[str, list[str]]:
        cached = self.name_en_cache.get((surname, given))
        if cached is None:
            pinyin_surname = "".join(pinyin_syllables(surname, as_name=True)).title()
            syllables = [s.title() for s in pinyin_syllables(given, as_name=False)]
            cached = self.name_en_cache[(surname, given)] = (pinyin_surname, syllables)
        return cached

    def _name_en(self, surname: str, given: str, gender: str, country: str) -> str:
        """As `generate._Builder._name_en`: Cantonese or Hokkien spellings where people write them."""
        rng = self.rng
        pinyin_surname, syllables = self._romanised(surname, given)
        english = data.ENGLISH_MALE if gender == Gender.MALE else data.ENGLISH_FEMALE
        if country in data.CANTONESE_COUNTRIES:
            return f"{rng.choice(english)} {data.CANTONESE.get(surname, pinyin_surname)}"
        if country in data.HOKKIEN_COUNTRIES:
            return f"{data.HOKKIEN.get(surname, pinyin_surname)} {' '.join(syllables)}"
        first = rng.choice(english) if rng.random() < 0.5 else "".join(syllables).title()
        return f"{first} {pinyin_surname}"

    def _phone(self, country: str) -> str:
        rng = self.rng
        for _ in range(8):
            if country == "CN":
                number = f"+86{rng.choice(data.CN_MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
            else:
                template = rng.choice(data.PHONE_TEMPLATES[country])
                digits = template.count("X")
                fill = iter(f"{rng.randrange(10**digits):0{digits}d}")
                number = "".join(next(fill) if c == "X" else c for c in template)
            if number in self.used_phones:
                continue
            # Chinese mobile numbers are valid by construction; others are checked as the demo does.
            if country != "CN" and not phonenumbers.is_valid_number(phonenumbers.parse(number, None)):
                continue
            self.used_phones.add(number)
            return number
        return ""

    def _status(self, country: str) -> str:
        return overseas_status_for(country, self.rng.random())

    def person(self) -> tuple[tuple, list[tuple[int, int, str, str]]]:
        """One person's values in PERSON_COLUMNS order, and their memberships as
        (association index, joined_on ordinal, level, dues status)."""
        rng = self.rng
        gender = Gender.MALE if rng.random() < 0.52 else Gender.FEMALE
        country = "CN" if rng.random() < 0.78 else _pick(rng, self.countries, self.country_cum)
        status = self._status(country)
        first_year, last_year = BIRTH_YEARS.get(status, (1952, 2000))
        birth = datetime.date(rng.randint(first_year, last_year), 1, 1) + datetime.timedelta(days=rng.randrange(365))
        traditional = writes_traditional(country, rng)
        name, surname, given = self._name(gender, traditional)
        # Overseas people nearly always have an English name; some on the mainland too.
        name_en = self._name_en(surname, given, gender, country) if country != "CN" or rng.random() < 0.04 else ""
        name_key, name_pinyin, name_initials = self.keys(name)
        phone = self._phone(country) if rng.random() < 0.95 else ""
        email = ""
        if rng.random() < (0.35 if country == "CN" else 0.85):
            local = name_en.replace(" ", ".").lower() if name_en else name_pinyin
            email = f"{local}{rng.randint(1, 99)}@{rng.choice(data.EMAIL_DOMAINS)}"
        id_kind = encrypted = id_hash = masked = consent_version = ""
        consent_at = None
        is_deputy = is_cppcc = False
        public_title = ""
        if country == "CN":
            city = _pick(rng, self.cities, self.city_cum)
            if rng.random() < self.id_share:
                number = id_number(city[3][:4] + rng.choice(["02", "03", "04"]), birth, gender, rng)
                while number in self.used_ids:
                    number = id_number(city[3][:4] + rng.choice(["02", "03", "04"]), birth, gender, rng)
                self.used_ids.add(number)
                self.id_numbers += 1
                id_kind, encrypted, id_hash, masked = (
                    IdKind.RESIDENT_ID,
                    encrypt(number),
                    lookup_hash(number),
                    mask_id_number(number),
                )
                consent_version = self.consent_version
                consent_at = CREATED_AT - datetime.timedelta(days=rng.randint(1, 600))
            if birth.year <= 1990:
                r = rng.random()
                if r < 0.01:
                    is_deputy, public_title = True, f"{city[0]}市人大代表"
                elif r < 0.03:
                    is_cppcc, public_title = True, f"{city[0]}市政协委员"
        row = (
            name,
            name_en,
            gender,
            birth,
            status,
            country,
            is_deputy,
            is_cppcc,
            public_title,
            phone,
            email,
            id_kind,
            encrypted,
            id_hash,
            masked,
            consent_version,
            consent_at,
            name_key,
            name_pinyin,
            name_initials,
        )
        return row, self._memberships(birth)

    def _memberships(self, birth: datetime.date) -> list[tuple[int, int, str, str]]:
        rng = self.rng
        chosen: list[int] = []
        wanted = 1
        while wanted < self.max_memberships and rng.random() < self.more_membership:
            wanted += 1
        for _ in range(wanted * 4):
            index = _pick(rng, self.association_index, self.association_cum)
            if index not in chosen:
                chosen.append(index)
                if len(chosen) == wanted:
                    break
        adult = birth.toordinal() + 20 * 365
        result = []
        for index in chosen:
            earliest = max(self.association_founded[index], adult)
            latest = self.reference - 14
            joined = earliest + rng.randrange(latest - earliest + 1) if latest > earliest else earliest
            level = MembershipLevel.DIRECTOR if rng.random() < 0.08 else MembershipLevel.MEMBER
            r = rng.random()
            dues = (
                DuesStatus.PAID
                if r < 0.72
                else DuesStatus.DUE
                if r < 0.86
                else DuesStatus.OVERDUE
                if r < 0.95
                else DuesStatus.EXEMPT
            )
            result.append((index, joined, level, dues))
        return result


def iter_people(generator: PeopleGenerator, count: int) -> Iterator[tuple[tuple, list]]:
    for _ in range(count):
        yield generator.person()


# ---------------------------------------------------------------------------------------------------- writing


def _extra_columns(model, known: tuple[str, ...]) -> list[tuple[str, object]]:
    """Columns other apps may have added to the model since this was written, filled with their defaults."""
    skip = {"id", "version", "created_at", "updated_at", *known}
    extra = []
    for f in model._meta.concrete_fields:
        if f.attname in skip or f.column in skip:
            continue
        value = f.get_default()
        extra.append((f.column, f.get_db_prep_save(value, connection)))
    return extra


class _Writer:
    """Bulk insert with explicit ids: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, model, columns: tuple[str, ...]):
        self.model = model
        self.table = model._meta.db_table
        self.extra = _extra_columns(model, columns)
        self.columns = ["id", "version", "created_at", "updated_at", *columns, *(c for c, _v in self.extra)]
        self.extra_values = tuple(v for _c, v in self.extra)
        self.vendor = connection.vendor
        created = CREATED_AT if self.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(CREATED_AT)
        self.prefix = (1, created, created)
        date_fields = {f.attname for f in model._meta.concrete_fields if f.get_internal_type() == "DateField"}
        datetime_fields = {f.attname for f in model._meta.concrete_fields if f.get_internal_type() == "DateTimeField"}
        self.date_positions = [i for i, c in enumerate(columns) if c in date_fields]
        self.datetime_positions = [i for i, c in enumerate(columns) if c in datetime_fields]

    def next_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}")
            return cursor.fetchone()[0] + 1

    def _sqlite_row(self, row: tuple) -> tuple:
        if not (self.date_positions or self.datetime_positions):
            return row
        row = list(row)
        for i in self.date_positions:
            if row[i] is not None:
                row[i] = row[i].isoformat()
        for i in self.datetime_positions:
            if row[i] is not None:
                row[i] = connection.ops.adapt_datetimefield_value(row[i])
        return tuple(row)

    def write(self, first_id: int, rows: list[tuple]) -> None:
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({cols}) FROM STDIN") as copy:
                    for offset, row in enumerate(rows):
                        copy.write_row((first_id + offset, *self.prefix, *row, *self.extra_values))
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {self.table} ({cols}) VALUES ({marks})",
                    [
                        (first_id + offset, *self.prefix, *self._sqlite_row(row), *self.extra_values)
                        for offset, row in enumerate(rows)
                    ],
                )


def _ordinal_row(row: tuple[int, int, int, str, str]) -> tuple:
    association_id, person_id, joined, level, dues = row
    return (association_id, person_id, None, level, datetime.date.fromordinal(joined), None, dues)


def _federation_and_department() -> tuple[Federation, Department]:
    federation = Federation.objects.order_by("pk").first()
    if federation is None:
        federation = create_audited(Federation(**data.FEDERATION))
    department = Department.objects.filter(federation=federation, supervises_associations=True).order_by("pk").first()
    if department is None:
        name, name_en, _supervises = next(d for d in data.DEPARTMENTS if d[2])
        department = org_services.department_create(
            federation=federation, data={"name": name, "name_en": name_en, "supervises_associations": True, "order": 3}
        )
    return federation, department


def _associations(count: int, seed: int) -> list[Association]:
    federation, department = _federation_and_department()
    taken_names = frozenset(Association.objects.values_list("name", flat=True))
    taken_codes = frozenset(Association.objects.exclude(credit_code=None).values_list("credit_code", flat=True))
    created = []
    for row in build_associations(count=count, seed=seed, taken_names=taken_names, taken_codes=taken_codes):
        created.append(
            org_services.association_create(
                federation=federation,
                data={
                    "name": row.name,
                    "name_en": row.name_en,
                    "kind": row.kind,
                    "credit_code": row.credit_code,
                    "founded_on": row.founded_on,
                    "supervising_department": department,
                },
            )
        )
    return created


def _prepare_connection() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
            cursor.execute("PRAGMA temp_store=MEMORY")
        elif connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO OFF")


def _finish_connection() -> None:
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Person, Membership]):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE members_person")
            cursor.execute("ANALYZE members_membership")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("ANALYZE")


def search_reindex_hook() -> Callable[[], object] | None:
    """The search app's bulk reindex (it keeps its own index tables in step)."""
    return lambda: call_command("search_reindex")


def generate(
    *,
    associations: int,
    people: int,
    seed: int = 2025,
    memberships_per_person: float = 1.2,
    id_share: float = 0.05,
    chunk: int = CHUNK,
    reindex: bool = True,
    progress: Callable[[str], None] | None = None,
) -> ScaleResult:
    """Add `associations` associations and `people` people with their memberships to the database."""
    started = time.perf_counter()
    result = ScaleResult(seed=seed)
    say = progress or (lambda _message: None)
    token = context.set_current(
        context.ActorContext(None, "scale_generate", None, "cli-scale-" + uuid.uuid4().hex[:12])
    )
    try:
        _prepare_connection()
        with transaction.atomic():
            created = _associations(associations, seed)
        result.associations = len(created)
        result.timings["associations"] = time.perf_counter() - started
        generator = PeopleGenerator(
            seed=seed,
            association_ids=[a.pk for a in created],
            association_founded=[a.founded_on for a in created],
            memberships_per_person=memberships_per_person,
            id_share=id_share,
        )
        people_writer = _Writer(Person, PERSON_COLUMNS)
        membership_writer = _Writer(Membership, MEMBERSHIP_COLUMNS)
        person_id = people_writer.next_id()
        membership_id = membership_writer.next_id()
        remaining = people
        while remaining > 0:
            size = min(chunk, remaining)
            person_rows, membership_rows = [], []
            for offset, (row, memberships) in enumerate(iter_people(generator, size)):
                person_rows.append(row)
                for index, joined, level, dues in memberships:
                    membership_rows.append(_ordinal_row((created[index].pk, person_id + offset, joined, level, dues)))
            with transaction.atomic():
                people_writer.write(person_id, person_rows)
                membership_writer.write(membership_id, membership_rows)
            person_id += size
            membership_id += len(membership_rows)
            remaining -= size
            result.people += size
            result.memberships += len(membership_rows)
            if result.people % 100_000 < chunk or remaining == 0:
                say(
                    f"{result.people:,} people, {result.memberships:,} memberships, "
                    f"{time.perf_counter() - started:.0f} s"
                )
        result.timings["people"] = time.perf_counter() - started - result.timings["associations"]
        _finish_connection()
        with transaction.atomic():
            federation = Federation.objects.order_by("pk").first()
            audit_log(
                action=AuditAction.CREATE,
                instance=federation,
                changes={
                    "scale_generate": {
                        "seed": seed,
                        "generator": GENERATOR_VERSION,
                        "bulk": {
                            "associations": result.associations,
                            "people": result.people,
                            "memberships": result.memberships,
                        },
                    }
                },
            )
        result.id_numbers = generator.id_numbers
        result.distinct_names = generator.keys.distinct
        if reindex:
            hook = search_reindex_hook()
            if hook is None:
                result.reindex = "no search reindex available"
            else:
                reindex_started = time.perf_counter()
                say("search reindex ...")
                hook()
                result.timings["reindex"] = time.perf_counter() - reindex_started
                result.reindex = "done"
    finally:
        context.reset(token)
    result.seconds = time.perf_counter() - started
    return result


def data_fingerprint() -> str:
    """A digest of the generated people and memberships, to compare two runs. Ids are taken relative to
    the first person, associations by credit code; the ID-number ciphertext is left out (Fernet
    encrypts with a fresh IV and timestamp every time) and the hash of the number stands for it."""
    digest = hashlib.sha256()
    first = Person.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    columns = [c for c in PERSON_COLUMNS if c != "id_number_encrypted"]
    for pk, *row in Person.objects.order_by("pk").values_list("pk", *columns).iterator():
        digest.update(repr((pk - first, *row)).encode())
    memberships = Membership.objects.order_by("pk").values_list(
        "person_id",
        "association__credit_code",
        *[c for c in MEMBERSHIP_COLUMNS if c not in ("association_id", "person_id")],
    )
    for person_id, *row in memberships.iterator():
        digest.update(repr((person_id - first, *row)).encode())
    return digest.hexdigest()
