"""Writes the demo world (`qiaojia.demo.generate`) to the database in one transaction.

The named records (the federation, its departments and officials, the associations, terms, party
branches, partners and accounts) go through the services, so they carry audit rows. The thousands
of people, enterprises and memberships are bulk-inserted for speed, with exactly the derived fields
the services would compute (search keys, E.164 phone, encrypted / hashed / masked ID number,
consent), and one summary audit row records the bulk load.
"""

import datetime
import time
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qiaojia.accounts import services as account_services
from qiaojia.accounts.models import Role
from qiaojia.activities.demo import load_activities_demo, load_co_organised_demo
from qiaojia.core import context
from qiaojia.core.chinese import initials_key, pinyin_key, search_key
from qiaojia.core.crypto import encrypt, lookup_hash
from qiaojia.core.masking import mask_id_number
from qiaojia.core.models import AuditAction
from qiaojia.core.services import audit_log, create_audited
from qiaojia.core.validators import normalize_credit_code, normalize_phone
from qiaojia.cycle.demo import load_cycle_demo
from qiaojia.events.demo import load_events_demo
from qiaojia.meetings.demo import load_joint_meetings_demo, load_meetings_demo
from qiaojia.members import services as member_services
from qiaojia.members.models import Enterprise, IdKind, Membership, Person
from qiaojia.news.demo import load_news_demo
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import Association, Federation, FederationOfficial
from qiaojia.search import services as search_services
from qiaojia.trade.demo import load_trade_demo
from qiaojia.voice.demo import load_voice_demo
from qiaojia.volunteering.demo import load_volunteering_demo

from . import data
from .accounts import DEMO_PASSWORD
from .generate import PersonPlan, World, build_world

BATCH = 500


@dataclass
class LoadResult:
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    terms_ending_soon: list[str] = field(default_factory=list)


def person_row(plan: PersonPlan, *, now: datetime.datetime) -> Person:
    """A Person with every field `members.services.person_create` would derive."""
    name = plan.name.strip()
    person = Person(
        name=name,
        name_en=plan.name_en,
        gender=plan.gender,
        birth_date=plan.birth_date,
        overseas_status=plan.overseas_status,
        country=plan.country,
        is_deputy=plan.is_deputy,
        is_cppcc_member=plan.is_cppcc_member,
        public_title=plan.public_title,
        email=plan.email,
        phone=normalize_phone(plan.phone, plan.country or "CN") if plan.phone else "",
        name_key=search_key(name),
        name_pinyin=pinyin_key(name, as_name=True),
        name_initials=initials_key(name, as_name=True),
    )
    if plan.id_number:
        person.id_kind = IdKind.RESIDENT_ID
        person.id_number_encrypted = encrypt(plan.id_number)
        person.id_number_hash = lookup_hash(plan.id_number)
        person.id_number_masked = mask_id_number(plan.id_number)
        person.consent_version = settings.QIAOJIA_CONSENT_VERSION
        person.consent_at = now - datetime.timedelta(days=plan.consent_days_ago, hours=plan.consent_days_ago % 9)
    return person


def _federation():
    federation = create_audited(Federation(**data.FEDERATION))
    departments = {}
    for order, (name, name_en, supervises) in enumerate(data.DEPARTMENTS, start=1):
        departments[name] = org_services.department_create(
            federation=federation,
            data={"name": name, "name_en": name_en, "supervises_associations": supervises, "order": order},
        )
    for order, (name, public_title, title, department) in enumerate(data.FEDERATION_OFFICIALS, start=1):
        # Only the name and the public title the seed gives: nothing else is known, nothing is invented.
        person = member_services.person_create(data={"name": name, "public_title": public_title})
        create_audited(
            FederationOfficial(
                federation=federation, person=person, title=title, department=departments.get(department), order=order
            )
        )
    return federation, departments


def _associations(world: World, federation, department) -> dict[str, Association]:
    associations = {}
    for plan in world.associations:
        associations[plan.key] = org_services.association_create(
            federation=federation,
            data={
                "name": plan.name,
                "name_en": plan.name_en,
                "short_name": plan.short_name,
                "kind": plan.kind,
                "credit_code": plan.credit_code,
                "founded_on": plan.founded_on,
                "supervising_department": department,
                "address": plan.address,
                "description": plan.description,
            },
        )
    return associations


def _people(world: World) -> list[Person]:
    now = timezone.now()
    return Person.objects.bulk_create([person_row(p, now=now) for p in world.people], batch_size=BATCH)


def _enterprises(world: World, people: list[Person]) -> list[Enterprise]:
    rows = []
    for plan in world.enterprises:
        rows.append(
            Enterprise(
                name=plan.name,
                name_en=plan.name_en,
                credit_code=normalize_credit_code(plan.credit_code) or None,
                industry=plan.industry,
                trade_countries=plan.trade_countries,
                address=plan.address,
                representative=people[plan.representative] if plan.representative is not None else None,
                name_key=search_key(plan.name),
                name_pinyin=pinyin_key(plan.name),
                name_initials=initials_key(plan.name),
            )
        )
    return Enterprise.objects.bulk_create(rows, batch_size=BATCH)


def _memberships(world: World, associations, people, enterprises) -> int:
    rows = [
        Membership(
            association=associations[m.association],
            person=people[m.person] if m.person is not None else None,
            enterprise=enterprises[m.enterprise] if m.enterprise is not None else None,
            level=m.level,
            joined_on=m.joined_on,
            dues_status=m.dues_status,
        )
        for m in world.memberships
    ]
    Membership.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _terms(world: World, associations, people) -> int:
    business = associations["business"]
    starts_on, ends_on = world.business_term
    for name, public_title, title in data.BUSINESS_OFFICERS:
        person = member_services.person_create(data={"name": name, "public_title": public_title})
        org_services.term_create(
            association=business, data={"person": person, "title": title, "starts_on": starts_on, "ends_on": ends_on}
        )
    for term in world.terms:
        org_services.term_create(
            association=associations[term.association],
            data={
                "person": people[term.person],
                "title": term.title,
                "starts_on": term.starts_on,
                "ends_on": term.ends_on,
            },
        )
    return len(world.terms) + len(data.BUSINESS_OFFICERS)


def _branches_and_partners(world: World, associations, people, today: datetime.date) -> tuple[int, int, int]:
    for branch in world.branches:
        org_services.party_branch_create(
            association=associations[branch.association],
            data={
                "name": branch.name,
                "founded_on": branch.founded_on,
                "party_member_count": branch.party_member_count,
                "secretary": people[branch.secretary] if branch.secretary is not None else None,
            },
        )
    liaisons = 0
    for key, name, kind, country, contact, notes, records in data.PARTNERS:
        partner = org_services.partner_create(
            association=associations[key],
            data={"name": name, "kind": kind, "country": country, "contact": contact, "notes": notes},
        )
        for days_ago, summary in records:
            org_services.liaison_create(
                partner=partner, data={"happened_on": today - datetime.timedelta(days=days_ago), "summary": summary}
            )
            liaisons += 1
    return len(world.branches), len(data.PARTNERS), liaisons


def _accounts(world: World, associations, departments, people) -> int:
    member = people[world.member_user_person] if world.member_user_person is not None else None
    officer2 = next(a for a in associations.values() if a.name == data.OFFICER2_ASSOCIATION)
    setups = [
        ("admin", {"role": Role.ADMIN, "first_name": "省僑聯管理員"}),
        (
            "staff",
            {
                "role": Role.STAFF,
                "first_name": "文化經濟聯絡部",
                "department": departments[data.SUPERVISING_DEPARTMENT],
            },
        ),
        ("officer", {"role": Role.OFFICER, "first_name": "省僑商會負責人", "associations": [associations["business"]]}),
        ("officer2", {"role": Role.OFFICER, "first_name": "省歸僑聯誼會負責人", "associations": [officer2]}),
        ("member", {"role": Role.MEMBER, "first_name": member.name if member else "", "person": member}),
    ]
    for username, extra in setups:
        account_services.user_create(username=username, password=DEMO_PASSWORD, **extra)
    return len(setups)


def load(
    *, people: int = 2000, enterprises: int = 300, seed: int = 2025, today: datetime.date | None = None
) -> LoadResult:
    """Load the demo world. The caller checks that the database holds no federation yet. `today` (default:
    the real date) is the date the demo lives in: the seed's world stays as the seed tells it, and the
    current year's work cycle is laid out relative to `today`."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    world = build_world(people=people, enterprises=enterprises, seed=seed, today=today)
    result = LoadResult(
        seed=seed, terms_ending_soon=[a.name for a in world.associations if a.key in world.terms_ending_soon]
    )
    token = context.set_current(context.ActorContext(None, "demo_load", None, "cli-demo-" + uuid.uuid4().hex[:12]))
    try:
        with transaction.atomic():
            federation, departments = _federation()
            associations = _associations(world, federation, departments[data.SUPERVISING_DEPARTMENT])
            person_rows = _people(world)
            enterprise_rows = _enterprises(world, person_rows)
            membership_count = _memberships(world, associations, person_rows, enterprise_rows)
            term_count = _terms(world, associations, person_rows)
            branches, partners, liaisons = _branches_and_partners(world, associations, person_rows, today)
            accounts = _accounts(world, associations, departments, person_rows)
            load_volunteering_demo(federation=federation)  # before the reports it prefills
            # Before the meeting, whose agenda links the reports; with the cycle of `today`'s year.
            load_cycle_demo(federation=federation, today=today)
            load_meetings_demo(federation=federation)  # the seed's meeting of 5 March 2025
            load_activities_demo(federation=federation)  # after the plans its activities advance
            load_events_demo(federation=federation)  # the seed's flagship events
            load_news_demo(federation=federation)  # the seed article, linked to the seed's meeting
            load_co_organised_demo(federation=federation)  # the exchange: activities organised together
            load_joint_meetings_demo(federation=federation)  # and a joint meeting with a rotating host
            load_trade_demo(federation=federation)  # invented enterprises' offers and needs, matched
            load_voice_demo(federation=federation)  # invented senders' opinions in every state
            # The bulk-inserted people and enterprises reach the search index the way a bulk load should.
            search_services.reindex()
            result.counts = {
                "departments": len(departments),
                "associations": len(associations),
                "people": len(person_rows) + len(data.SEED_PEOPLE),
                "enterprises": len(enterprise_rows),
                "memberships": membership_count,
                "terms": term_count,
                "party_branches": branches,
                "partners": partners,
                "liaisons": liaisons,
                "accounts": accounts,
            }
            audit_log(
                action=AuditAction.CREATE,
                instance=federation,
                changes={
                    "demo_load": {
                        "seed": seed,
                        "bulk": {
                            "people": len(person_rows),
                            "enterprises": len(enterprise_rows),
                            "memberships": membership_count,
                        },
                    }
                },
            )
    finally:
        context.reset(token)
    result.seconds = time.perf_counter() - started
    return result
