"""The demo world as plain data, drawn from one random generator: the same seed gives the same world.

Nothing here touches the database; `qiaojia.demo.loader` writes what `build_world` returns. Dates
that must stay current (terms of office, joining dates) are counted back from `today`; birth dates
and names depend on the seed only.
"""

import datetime
import random
from dataclasses import dataclass

import phonenumbers

from qiaojia.core.chinese import pinyin_key, pinyin_spaced, to_simplified, to_traditional
from qiaojia.core.validators import CREDIT_CODE_ALPHABET, credit_code_check_character, id_number_check_character
from qiaojia.members.models import DuesStatus, Gender, MembershipLevel, OverseasStatus
from qiaojia.orgs.models import AssociationKind, AssociationTitle

from . import data

# Birth dates and ages are counted from the day of the seed's meeting, so they do not drift.
REFERENCE_DAY = datetime.date(2025, 3, 5)
SEED_NAMES_SIMPLIFIED = frozenset(to_simplified(name) for name in data.SEED_PEOPLE)


# Birth years by overseas status (returnees are older); anyone else is born 1952–2000.
BIRTH_YEARS = {
    OverseasStatus.RETURNED: (1938, 1975),
    OverseasStatus.RELATIVE: (1950, 2000),
    OverseasStatus.NONE: (1960, 2000),
}


def writes_traditional(country: str, rng) -> bool:
    """Whether a person living in `country` has their name registered in Traditional characters."""
    if country == "CN":
        return rng.random() < 0.12
    if country in data.CANTONESE_COUNTRIES:
        return True
    if country in data.HOKKIEN_COUNTRIES:
        return rng.random() < 0.35
    return rng.random() < 0.55


def overseas_status_for(country: str, r: float) -> str:
    """A plausible overseas status for someone living in `country`, from a uniform draw `r`."""
    if country == "CN":
        return OverseasStatus.RETURNED if r < 0.25 else OverseasStatus.RELATIVE if r < 0.75 else OverseasStatus.NONE
    if country in ("HK", "MO"):
        return OverseasStatus.HK_MACAO
    if country in data.HOKKIEN_COUNTRIES:
        return OverseasStatus.FOREIGN_CHINESE if r < 0.85 else OverseasStatus.OVERSEAS
    return OverseasStatus.OVERSEAS if r < 0.45 else OverseasStatus.FOREIGN_CHINESE


@dataclass
class AssociationPlan:
    key: str
    name: str
    name_en: str
    short_name: str
    kind: str
    credit_code: str
    founded_on: datetime.date | None
    address: str
    description: str


@dataclass
class PersonPlan:
    name: str
    name_en: str
    gender: str
    birth_date: datetime.date
    overseas_status: str
    country: str
    phone: str
    email: str
    id_number: str = ""
    consent_days_ago: int = 0
    is_deputy: bool = False
    is_cppcc_member: bool = False
    public_title: str = ""

    @property
    def age(self) -> int:
        return (REFERENCE_DAY - self.birth_date).days // 365


@dataclass
class EnterprisePlan:
    name: str
    name_en: str
    credit_code: str
    industry: str
    trade_countries: list[str]
    address: str
    representative: int | None = None


@dataclass
class MembershipPlan:
    association: str
    joined_on: datetime.date
    level: str
    dues_status: str
    person: int | None = None
    enterprise: int | None = None


@dataclass
class TermPlan:
    association: str
    person: int
    title: str
    starts_on: datetime.date
    ends_on: datetime.date


@dataclass
class BranchPlan:
    association: str
    name: str
    secretary: int | None
    founded_on: datetime.date
    party_member_count: int


@dataclass
class World:
    associations: list[AssociationPlan]
    people: list[PersonPlan]
    enterprises: list[EnterprisePlan]
    memberships: list[MembershipPlan]
    terms: list[TermPlan]
    branches: list[BranchPlan]
    terms_ending_soon: list[str]
    member_user_person: int | None
    business_term: tuple[datetime.date, datetime.date]


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def term_end(starts_on: datetime.date) -> datetime.date:
    return add_years(starts_on, data.TERM_YEARS) - datetime.timedelta(days=1)


def random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def credit_code(prefix: str, rng: random.Random, used: set[str]) -> str:
    """An 18-character unified social credit code: `prefix` (registration authority, type and division,
    8 characters) and an organisation code, then the GB 32100-2015 check character."""
    while True:
        body = prefix + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(17 - len(prefix)))
        code = body + credit_code_check_character(body)
        if code not in used:
            used.add(code)
            return code


def id_number(region: str, birth: datetime.date, gender: str, rng: random.Random) -> str:
    """A resident ID number (GB 11643-1999): region, birth date, sequence (odd for men), check digit."""
    sequence = rng.randint(0, 49) * 2 + (1 if gender == Gender.MALE else 0)
    body = f"{region}{birth:%Y%m%d}{rng.randint(0, 9)}{sequence:02d}"
    return body + id_number_check_character(body)


class _Builder:
    def __init__(self, *, people: int, enterprises: int, seed: int, today: datetime.date):
        self.rng = random.Random(seed)
        self.n_people = people
        self.n_enterprises = enterprises
        self.today = today
        self.used_codes: set[str] = set()
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()
        self.associations: list[AssociationPlan] = []
        self.people: list[PersonPlan] = []
        self.enterprises: list[EnterprisePlan] = []
        self.person_memberships: dict[tuple[str, int], MembershipPlan] = {}
        self.enterprise_memberships: list[MembershipPlan] = []
        self.terms: list[TermPlan] = []
        self.branches: list[BranchPlan] = []
        self.officer_posts: dict[int, int] = {}
        self.membership_count: dict[int, int] = {}
        self.presidents: dict[str, int] = {}
        self.spec = {row[0]: row for row in data.ASSOCIATIONS}
        self.founded = {row[0]: row[5] for row in data.ASSOCIATIONS}

    # ------------------------------------------------------------------ associations
    def build_associations(self) -> None:
        cities = {c[1]: c for c in data.CITIES}
        for key, name, name_en, short_name, kind, founded, city, _weight, description in data.ASSOCIATIONS:
            city_row = cities[city]
            division = "410000" if name.startswith("河南省") else city_row[3]
            road = self.rng.choice(data.ROADS)
            district = self.rng.choice(city_row[4])
            address = to_traditional(f"{city_row[0]}市{district}{road}{self.rng.randint(1, 300)}号")
            self.associations.append(
                AssociationPlan(
                    key=key,
                    name=name,
                    name_en=name_en,
                    short_name=short_name,
                    kind=kind,
                    # Registered since 2016: a civil-affairs "MJ" code; before: an old organisation code.
                    credit_code=credit_code(
                        "51" + division + ("MJ" if founded and founded.year >= 2016 else ""), self.rng, self.used_codes
                    ),
                    founded_on=founded,
                    address=address,
                    description=description,
                )
            )

    # ------------------------------------------------------------------ people
    def _name(self, gender: str, traditional: bool) -> tuple[str, str, str]:
        """(registered name, Simplified surname, Simplified given name)."""
        rng = self.rng
        while True:
            surname, surname_t, _w = rng.choices(data.SURNAMES, weights=[s[2] for s in data.SURNAMES])[0]
            pool = data.MALE_CHARS if gender == Gender.MALE else data.FEMALE_CHARS
            given = rng.choice(pool) if rng.random() < 0.3 else rng.choice(pool) + rng.choice(pool)
            if surname + given in SEED_NAMES_SIMPLIFIED:
                continue
            if traditional:
                return surname_t + "".join(data.TRADITIONAL.get(c, c) for c in given), surname, given
            return surname + given, surname, given

    def _name_en(self, surname: str, given: str, gender: str, country: str) -> str:
        rng = self.rng
        pinyin_surname = pinyin_spaced(surname, as_name=True).replace(" ", "").title()
        syllables = [s.title() for s in pinyin_spaced(given).split()]
        if country in data.CANTONESE_COUNTRIES:
            first = rng.choice(data.ENGLISH_MALE if gender == Gender.MALE else data.ENGLISH_FEMALE)
            return f"{first} {data.CANTONESE.get(surname, pinyin_surname)}"
        if country in data.HOKKIEN_COUNTRIES:
            return f"{data.HOKKIEN.get(surname, pinyin_surname)} {' '.join(syllables)}"
        if rng.random() < 0.5:
            first = rng.choice(data.ENGLISH_MALE if gender == Gender.MALE else data.ENGLISH_FEMALE)
        else:
            first = "".join(syllables).title()
        return f"{first} {pinyin_surname}"

    def _phone(self, country: str) -> str:
        rng = self.rng
        for _ in range(50):
            if country == "CN":
                number = "+86" + rng.choice(data.CN_MOBILE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
            else:
                template = rng.choice(data.PHONE_TEMPLATES[country])
                number = "".join(str(rng.randint(0, 9)) if c == "X" else c for c in template)
            if number in self.used_phones:
                continue
            if phonenumbers.is_valid_number(phonenumbers.parse(number, None)):
                self.used_phones.add(number)
                return number
        return ""

    def _status(self, country: str) -> str:
        return overseas_status_for(country, self.rng.random())

    def build_people(self) -> None:
        rng = self.rng
        countries = [c for c, _w in data.OVERSEAS_COUNTRIES]
        country_weights = [w for _c, w in data.OVERSEAS_COUNTRIES]
        city_weights = [c[5] for c in data.CITIES]
        for _ in range(self.n_people):
            gender = Gender.MALE if rng.random() < 0.52 else Gender.FEMALE
            country = "CN" if rng.random() < 0.78 else rng.choices(countries, weights=country_weights)[0]
            status = self._status(country)
            first_year, last_year = BIRTH_YEARS.get(status, (1952, 2000))
            birth = datetime.date(rng.randint(first_year, last_year), 1, 1) + datetime.timedelta(
                days=rng.randint(0, 364)
            )
            traditional = writes_traditional(country, rng)
            name, surname, given = self._name(gender, traditional)
            name_en = self._name_en(surname, given, gender, country) if country != "CN" else ""
            phone = self._phone(country) if rng.random() < 0.95 else ""
            email = ""
            if rng.random() < (0.35 if country == "CN" else 0.85):
                local = (
                    name_en.replace(" ", ".").lower() if name_en else pinyin_key(surname + given, as_name=True)
                ) + str(rng.randint(1, 99))
                email = f"{local}@{rng.choice(data.EMAIL_DOMAINS)}"
            person = PersonPlan(
                name=name,
                name_en=name_en,
                gender=gender,
                birth_date=birth,
                overseas_status=status,
                country=country,
                phone=phone,
                email=email,
            )
            if country == "CN":
                city = rng.choices(data.CITIES, weights=city_weights)[0]
                if rng.random() < 0.64:
                    if rng.random() < (0.35 if status == OverseasStatus.RETURNED else 0.08):
                        region = rng.choice(data.OTHER_ID_REGIONS)
                    else:
                        region = city[3][:4] + rng.choice(["02", "03", "04"])
                    number = id_number(region, birth, gender, rng)
                    while number in self.used_ids:
                        number = id_number(region, birth, gender, rng)
                    self.used_ids.add(number)
                    person.id_number = number
                    person.consent_days_ago = rng.randint(1, 600)
                if person.age >= 35:
                    titles = []
                    if rng.random() < 0.015:
                        person.is_deputy = True
                        titles.append(f"{city[0]}市人大代表")
                    if rng.random() < 0.025:
                        person.is_cppcc_member = True
                        titles.append(f"{city[0]}市政协委员")
                    person.public_title = "、".join(titles)
            self.people.append(person)

    # ------------------------------------------------------------------ memberships of people
    def _weight(self, key: str, base: float, person: PersonPlan) -> float:
        weight = base
        if key in data.RETURNEE_KEYS:
            weight *= {OverseasStatus.RETURNED: 4.0, OverseasStatus.RELATIVE: 1.5}.get(person.overseas_status, 0.2)
        if key in data.YOUTH_KEYS:
            weight *= 2.5 if person.age < 40 else 0.1
        if key in data.WOMEN_KEYS and person.gender == Gender.MALE:
            weight = 0.0
        if key == "hkmacao_youth" and person.overseas_status == OverseasStatus.HK_MACAO:
            weight *= 4.0
        if key in ("overseas_friendship", "chinese_education", "hakka") and person.country != "CN":
            weight *= 3.0
        return weight

    def _join(
        self, key: str, person_index: int, *, level: str = MembershipLevel.MEMBER, before: datetime.date | None = None
    ) -> MembershipPlan:
        person = self.people[person_index]
        earliest = max(self.founded[key] or datetime.date(2005, 1, 1), add_years(person.birth_date, 20))
        latest = min(before or self.today, self.today) - datetime.timedelta(days=14)
        joined = random_day(self.rng, earliest, max(earliest, latest))
        dues = self.rng.choices(
            [DuesStatus.PAID, DuesStatus.DUE, DuesStatus.OVERDUE, DuesStatus.EXEMPT], weights=[72, 14, 9, 5]
        )[0]
        membership = MembershipPlan(
            association=key, person=person_index, joined_on=joined, level=level, dues_status=dues
        )
        self.person_memberships[(key, person_index)] = membership
        self.membership_count[person_index] = self.membership_count.get(person_index, 0) + 1
        return membership

    def build_person_memberships(self) -> None:
        rng = self.rng
        keys = [row[0] for row in data.ASSOCIATIONS]
        bases = [row[7] for row in data.ASSOCIATIONS]
        for index, person in enumerate(self.people):
            weights = [self._weight(k, b, person) for k, b in zip(keys, bases, strict=True)]
            r = rng.random()
            count = 3 if r < 0.03 else 2 if r < 0.10 else 1
            chosen: list[str] = []
            for _ in range(count * 4):
                key = rng.choices(keys, weights=weights)[0]
                if key not in chosen:
                    chosen.append(key)
                if len(chosen) == count:
                    break
            for key in chosen:
                level = MembershipLevel.DIRECTOR if rng.random() < 0.08 else MembershipLevel.MEMBER
                self._join(key, index, level=level)

    # ------------------------------------------------------------------ officers and terms
    def _pick_officers(self, key: str, count: int) -> list[int]:
        members = sorted(i for (k, i) in self.person_memberships if k == key)
        fit = [i for i in members if self.people[i].age >= 30 and self.officer_posts.get(i, 0) < 2]
        picked = self.rng.sample(fit, min(count, len(fit)))
        if len(picked) < count:
            # Too few members (a small demo): bring in people from elsewhere as members first.
            others = [
                i
                for i in range(len(self.people))
                if i not in picked
                and (key, i) not in self.person_memberships
                and self.people[i].age >= 30
                and self.membership_count.get(i, 0) < 3
            ]
            picked += self.rng.sample(others, min(count - len(picked), len(others)))
        for i in picked:
            self.officer_posts[i] = self.officer_posts.get(i, 0) + 1
        return picked

    def _add_term(
        self, key: str, person: int, title: str, starts_on: datetime.date, ends_on: datetime.date, name: str
    ) -> None:
        self.terms.append(TermPlan(association=key, person=person, title=title, starts_on=starts_on, ends_on=ends_on))
        membership = self.person_memberships.get((key, person))
        latest_join = starts_on - datetime.timedelta(days=90)
        if membership is None:
            membership = self._join(key, person, before=latest_join)
        elif membership.joined_on > latest_join:
            earliest = self.founded[key] or datetime.date(2005, 1, 1)
            membership.joined_on = max(earliest, latest_join - datetime.timedelta(days=self.rng.randint(0, 700)))
        membership.level = MembershipLevel.STANDING_DIRECTOR
        if starts_on <= self.today <= ends_on and title in data.TITLE_ZH and not self.people[person].public_title:
            self.people[person].public_title = name + data.TITLE_ZH[title]

    def build_terms(self) -> tuple[list[str], tuple[datetime.date, datetime.date]]:
        rng = self.rng
        T = AssociationTitle
        others = [row[0] for row in data.ASSOCIATIONS if row[0] != "business"]
        ending_soon = sorted(rng.sample(others, 3), key=others.index)
        business_term = (data.BUSINESS_TERM_STARTS, term_end(data.BUSINESS_TERM_STARTS))
        for key, name, *_rest in data.ASSOCIATIONS:
            if key == "business":
                # The seed's president and secretary-general are added by the loader; the rest are invented.
                titles = (
                    [T.EXECUTIVE_VICE_PRESIDENT]
                    + [T.VICE_PRESIDENT] * 4
                    + [T.CHIEF_SUPERVISOR, T.DEPUTY_SECRETARY_GENERAL]
                )
                starts_on, ends_on = business_term
            else:
                titles = [T.PRESIDENT]
                titles += [T.EXECUTIVE_VICE_PRESIDENT] if rng.random() < 0.5 else []
                titles += [T.VICE_PRESIDENT] * rng.randint(2, 4) + [T.SECRETARY_GENERAL]
                titles += [T.CHIEF_SUPERVISOR] if rng.random() < 0.4 else []
                titles += [T.DEPUTY_SECRETARY_GENERAL] if rng.random() < 0.3 else []
                if key in ending_soon:
                    ends_on = self.today + datetime.timedelta(days=rng.randint(10, 80))
                    starts_on = add_years(ends_on + datetime.timedelta(days=1), -data.TERM_YEARS)
                else:
                    starts_on = self.today - datetime.timedelta(days=rng.randint(60, data.TERM_YEARS * 365 - 120))
                    starts_on = max(starts_on, self.founded[key])
                    ends_on = term_end(starts_on)
            # A small demo has few members per association: keep officers to about a third of them.
            members = sum(1 for (k, _i) in self.person_memberships if k == key)
            required = [t for t in titles if t in (T.PRESIDENT, T.SECRETARY_GENERAL)]
            optional = [t for t in titles if t not in required]
            titles = required[:1] + optional[: max(1, members // 3 - len(required))] + required[1:]
            officers = self._pick_officers(key, len(titles))
            for person, title in zip(officers, titles, strict=False):
                self._add_term(key, person, title, starts_on, ends_on, name)
                if title == T.PRESIDENT:
                    self.presidents[key] = person
            previous_start = add_years(starts_on, -data.TERM_YEARS)
            if key != "business" and officers and previous_start >= self.founded[key] and rng.random() < 0.35:
                # The previous leadership: the president re-elected, or a predecessor.
                predecessor = officers[0] if rng.random() < 0.4 else (self._pick_officers(key, 1) or officers)[0]
                self._add_term(
                    key, predecessor, T.PRESIDENT, previous_start, starts_on - datetime.timedelta(days=1), name
                )
        return ending_soon, business_term

    # ------------------------------------------------------------------ party branches
    def build_branches(self) -> None:
        rng = self.rng
        for key, name, *_rest in data.ASSOCIATIONS:
            if key != "business" and rng.random() >= 0.5:
                continue
            officers = [
                t.person
                for t in self.terms
                if t.association == key
                and t.title
                in (
                    AssociationTitle.SECRETARY_GENERAL,
                    AssociationTitle.VICE_PRESIDENT,
                    AssociationTitle.EXECUTIVE_VICE_PRESIDENT,
                )
            ]
            founded = max(self.founded[key] or datetime.date(2015, 1, 1), datetime.date(2012, 7, 1))
            self.branches.append(
                BranchPlan(
                    association=key,
                    name=f"{name}黨支部",
                    secretary=officers[0] if officers else None,
                    founded_on=random_day(rng, founded, min(founded + datetime.timedelta(days=1500), self.today)),
                    party_member_count=rng.randint(3, 28),
                )
            )

    # ------------------------------------------------------------------ enterprises
    def build_enterprises(self) -> None:
        rng = self.rng
        industries = list(data.INDUSTRY_SUFFIXES)
        industry_weights = [data.INDUSTRY_SUFFIXES[k][1] for k in industries]
        city_weights = [c[5] for c in data.CITIES]
        names: set[str] = set()
        representatives: set[int] = set()
        enterprise_keys = data.ENTERPRISE_KEYS
        key_weights = [40, 10, 12, 8, 5, 5, 7, 5, 4, 4]
        for index in range(self.n_enterprises):
            industry = rng.choices(industries, weights=industry_weights)[0]
            suffix, suffix_en = rng.choice(data.INDUSTRY_SUFFIXES[industry][0])
            while True:
                city = rng.choices(data.CITIES, weights=city_weights)[0]
                trade_name = rng.choice(data.TRADE_NAME_FIRST) + rng.choice(data.TRADE_NAME_SECOND)
                provincial = rng.random() < 0.15
                name = ("河南" if provincial else city[0]) + trade_name + suffix
                if name not in names:
                    names.add(name)
                    break
            name_en = ""
            if rng.random() < 0.5:
                name_en = f"{'Henan' if provincial else city[2]} {pinyin_key(trade_name).title()} {suffix_en}"
            trade_count = rng.choices([0, 1, 2, 3, 4], weights=[20, 30, 25, 15, 10])[0]
            if industry in ("F", "G", "C"):
                trade_count = max(trade_count, 1)
            self.enterprises.append(
                EnterprisePlan(
                    name=name,
                    name_en=name_en,
                    credit_code=credit_code("91" + ("410000" if provincial else city[3]) + "MA", rng, self.used_codes),
                    industry=industry,
                    trade_countries=sorted(rng.sample(data.TRADE_COUNTRIES, trade_count)),
                    address=f"{city[0]}市{rng.choice(city[4])}{rng.choice(data.ROADS)}{rng.randint(1, 500)}号",
                )
            )
            keys = [rng.choices(enterprise_keys, weights=key_weights)[0]]
            if rng.random() < 0.10:
                second = rng.choices(enterprise_keys, weights=key_weights)[0]
                if second not in keys:
                    keys.append(second)
            for key in keys:
                earliest = self.founded[key] or datetime.date(2005, 1, 1)
                self.enterprise_memberships.append(
                    MembershipPlan(
                        association=key,
                        enterprise=index,
                        level=MembershipLevel.MEMBER_UNIT,
                        joined_on=random_day(rng, earliest, self.today - datetime.timedelta(days=7)),
                        dues_status=rng.choices(
                            [DuesStatus.PAID, DuesStatus.DUE, DuesStatus.OVERDUE], weights=[78, 14, 8]
                        )[0],
                    )
                )
            candidates = sorted(
                i
                for (k, i) in self.person_memberships
                if k == keys[0] and i not in representatives and 28 <= self.people[i].age <= 70
            )
            if not candidates:
                candidates = [i for i in range(len(self.people)) if i not in representatives]
            if candidates:
                representative = rng.choice(candidates)
                representatives.add(representative)
                self.enterprises[-1].representative = representative
        self._enterprise_levels()

    def _enterprise_levels(self) -> None:
        rng = self.rng
        kinds = {row[0]: row[4] for row in data.ASSOCIATIONS}
        by_key: dict[str, list[MembershipPlan]] = {}
        for membership in self.enterprise_memberships:
            by_key.setdefault(membership.association, []).append(membership)
        for key, memberships in by_key.items():
            rng.shuffle(memberships)
            if kinds[key] == AssociationKind.BUSINESS:
                vice = max(1, len(memberships) * 8 // 100)
                director = len(memberships) * 25 // 100
                start = 0
                if key != "business" and key in self.presidents:
                    # The president's enterprise is the president unit; the seed's president gets none.
                    memberships[0].level = MembershipLevel.PRESIDENT_UNIT
                    memberships[0].dues_status = DuesStatus.PAID
                    self.enterprises[memberships[0].enterprise].representative = self.presidents[key]
                    start = 1
                for m in memberships[start : start + vice]:
                    m.level = MembershipLevel.VICE_PRESIDENT_UNIT
                for m in memberships[start + vice : start + vice + director]:
                    m.level = MembershipLevel.DIRECTOR_UNIT
            else:
                for m in memberships[: len(memberships) * 20 // 100]:
                    m.level = MembershipLevel.DIRECTOR_UNIT

    def member_user_person(self) -> int | None:
        officers = {t.person for t in self.terms}
        members = sorted(i for (k, i) in self.person_memberships if k == "business")
        for i in members:
            person = self.people[i]
            if i not in officers and person.country == "CN" and person.id_number and person.phone:
                return i
        return members[0] if members else None

    def build(self) -> World:
        self.build_associations()
        self.build_people()
        self.build_person_memberships()
        ending_soon, business_term = self.build_terms()
        self.build_branches()
        self.build_enterprises()
        memberships = sorted(self.person_memberships.values(), key=lambda m: (m.person, m.association))
        return World(
            associations=self.associations,
            people=self.people,
            enterprises=self.enterprises,
            memberships=memberships + self.enterprise_memberships,
            terms=self.terms,
            branches=self.branches,
            terms_ending_soon=ending_soon,
            member_user_person=self.member_user_person(),
            business_term=business_term,
        )


def build_world(
    *, people: int = 2000, enterprises: int = 300, seed: int = 2025, today: datetime.date | None = None
) -> World:
    return _Builder(people=people, enterprises=enterprises, seed=seed, today=today or datetime.date.today()).build()
