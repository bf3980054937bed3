"""The demo loader: the seed's world, valid identifiers, the services' derived fields, determinism."""

import datetime
import io
from collections import Counter

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest

from qiaojia.accounts.models import Role, User
from qiaojia.core.chinese import initials_key, pinyin_key, search_key
from qiaojia.core.crypto import decrypt, lookup_hash
from qiaojia.core.masking import mask_id_number
from qiaojia.core.models import AuditEntry
from qiaojia.core.validators import (
    id_number_birth_date,
    normalize_phone,
    validate_credit_code,
    validate_id_number,
)
from qiaojia.demo import data
from qiaojia.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, accounts_table
from qiaojia.demo.generate import build_world
from qiaojia.members import services as member_services
from qiaojia.members.models import Enterprise, Membership, MembershipLevel, Person
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import (
    Association,
    AssociationKind,
    AssociationTitle,
    Department,
    Federation,
    FederationOfficial,
    FederationTitle,
    PartyBranch,
    Term,
)

PEOPLE, ENTERPRISES = 200, 30


def _load(**options):
    out = io.StringIO()
    call_command("demo_load", people=PEOPLE, enterprises=ENTERPRISES, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def loaded(db):
    return _load()


def _seed_people():
    return Person.objects.filter(name__in=data.SEED_PEOPLE)


def _invented_people():
    return Person.objects.exclude(name__in=data.SEED_PEOPLE)


def test_federation_and_departments(loaded):
    federation = Federation.objects.get()
    assert (federation.name, federation.short_name) == ("河南省僑聯", "省僑聯")
    assert federation.name_en == "Henan Provincial Federation of Returned Overseas Chinese"
    liaison = Department.objects.get(name="文化經濟聯絡部")
    assert liaison.supervises_associations and liaison.name_en == "Culture and Economy Liaison Department"
    assert set(Department.objects.values_list("name", flat=True)) >= {"辦公室", "組織聯絡部", "權益保障部", "宣傳部"}
    assert all(d.name_en for d in Department.objects.all())
    assert Department.objects.filter(supervises_associations=True).count() == 1
    assert not Association.objects.exclude(supervising_department=liaison).exists()


def test_named_officials_have_only_name_and_public_title(loaded):
    expected = {
        "楊海強": FederationTitle.PARTY_SECRETARY_CHAIR,
        "呂劍": FederationTitle.PARTY_MEMBER_VICE_CHAIR,
        "潘冬": FederationTitle.SECRETARY_GENERAL,
        "邱建鋒": FederationTitle.DEPARTMENT_HEAD,
    }
    officials = {o.person.name: o for o in FederationOfficial.objects.select_related("person", "department")}
    assert {name: o.title for name, o in officials.items()} == expected
    assert officials["邱建鋒"].department.name == "文化經濟聯絡部"
    assert officials["楊海強"].person.public_title == "河南省僑聯黨組書記、主席"
    seed_people = list(_seed_people())
    assert sorted(p.name for p in seed_people) == sorted(data.SEED_PEOPLE)
    for person in seed_people:
        assert person.public_title
        assert (person.phone, person.email, person.name_en, person.gender, str(person.country)) == ("",) * 5
        assert person.birth_date is None
        assert (person.id_number_encrypted, person.id_number_hash, person.id_number_masked, person.id_kind) == ("",) * 4
        assert person.consent_at is None and person.consent_version == ""
        assert not person.is_deputy and not person.is_cppcc_member
        # No invented person shares a real name, in either script.
        assert Person.objects.filter(name_key=search_key(person.name)).count() == 1
        # Nothing else is attached to a real name: no membership, enterprise or party branch.
        assert not Membership.objects.filter(person=person).exists()
        assert not Enterprise.objects.filter(representative=person).exists()
        assert not PartyBranch.objects.filter(secretary=person).exists()


def test_business_association_and_its_officers(loaded):
    business = Association.objects.get(name="河南省僑商聯合會")
    assert business.kind == AssociationKind.BUSINESS
    assert business.name_en == "Henan Association of Overseas Chinese Businessmen"
    assert business.short_name == "省僑商會"
    current = Term.objects.filter(association=business).current()
    president = current.get(title=AssociationTitle.PRESIDENT)
    secretary = current.get(title=AssociationTitle.SECRETARY_GENERAL)
    assert president.person.name == "鄭定輝" and president.person.public_title == "河南省僑商聯合會會長"
    assert secretary.person.name == "柴莉" and secretary.person.public_title == "河南省僑商聯合會秘書長"
    for term in (president, secretary):
        assert term.starts_on.year == 2024 and term.starts_on.month >= 10
        assert term.ends_on == term.starts_on.replace(year=term.starts_on.year + 5) - datetime.timedelta(days=1)
    # The seed's officers hold no other post.
    assert Term.objects.filter(person__name__in=data.SEED_PEOPLE).count() == 2
    assert current.filter(title=AssociationTitle.VICE_PRESIDENT).count() >= 2
    assert business.memberships.filter(enterprise__isnull=False).exists()


def test_associations(loaded):
    associations = list(Association.objects.all())
    assert len(associations) == len(data.ASSOCIATIONS) >= 31
    assert len({a.kind for a in associations}) >= 6
    assert sum(bool(a.name_en) for a in associations) >= len(associations) // 2
    for association in associations:
        validate_credit_code(association.credit_code)
        assert association.credit_code.startswith("51")
        assert association.description
        assert (association.name_key, association.name_pinyin, association.name_initials) == (
            search_key(association.name),
            pinyin_key(association.name),
            initials_key(association.name),
        )
        derived = org_services._association_values({"name": association.name, "credit_code": association.credit_code})
        assert all(getattr(association, k) == v for k, v in derived.items())
        titles = set(association.terms.current().values_list("title", flat=True))
        assert {AssociationTitle.PRESIDENT, AssociationTitle.SECRETARY_GENERAL} <= titles
    assert 10 <= PartyBranch.objects.count() <= 25
    assert AuditEntry.objects.filter(object_type="orgs.association", action="create").count() == len(associations)


def test_terms_ending_soon_raise_the_term_change_warning(loaded):
    ending = Term.objects.ending_soon().values_list("association", flat=True).distinct()
    assert 2 <= len(set(ending)) <= 3


def test_enterprises(loaded):
    enterprises = list(Enterprise.objects.all())
    assert len(enterprises) == ENTERPRISES
    assert len({e.credit_code for e in enterprises}) == ENTERPRISES
    for enterprise in enterprises:
        validate_credit_code(enterprise.credit_code)
        assert enterprise.industry and enterprise.representative_id
        assert (enterprise.name_key, enterprise.name_pinyin, enterprise.name_initials) == (
            search_key(enterprise.name),
            pinyin_key(enterprise.name),
            initials_key(enterprise.name),
        )
        derived = member_services.enterprise_values({"name": enterprise.name, "credit_code": enterprise.credit_code})
        assert all(getattr(enterprise, k) == v for k, v in derived.items())
        enterprise.full_clean()
    levels = set(Membership.objects.filter(enterprise__isnull=False).values_list("level", flat=True))
    assert levels <= {
        MembershipLevel.PRESIDENT_UNIT,
        MembershipLevel.VICE_PRESIDENT_UNIT,
        MembershipLevel.DIRECTOR_UNIT,
        MembershipLevel.MEMBER_UNIT,
    }
    assert not Enterprise.objects.filter(memberships__isnull=True).exists()
    by_kind = Counter(Membership.objects.filter(enterprise__isnull=False).values_list("association__kind", flat=True))
    assert by_kind[AssociationKind.BUSINESS] > sum(by_kind.values()) / 2


def test_people_carry_the_fields_the_services_derive(loaded):
    people = list(_invented_people())
    assert len(people) == PEOPLE
    for person in people:
        assert person.name_key == search_key(person.name)
        assert person.name_pinyin == pinyin_key(person.name, as_name=True)
        assert person.name_initials == initials_key(person.name, as_name=True)
        number = decrypt(person.id_number_encrypted) if person.id_number_encrypted else None
        derived = member_services._person_values(
            {"name": person.name, "phone": person.phone, "country": person.country, "birth_date": person.birth_date},
            id_number=number,
            consent=bool(number),
            existing=person,
        )
        for name, value in derived.items():
            if name not in ("id_number_encrypted", "country"):  # Fernet tokens differ on every call
                assert getattr(person, name) == value, name
        if person.phone:
            assert person.phone == normalize_phone(person.phone, str(person.country or "CN"))
            if person.country == "CN":
                assert person.phone.startswith("+861")
        assert person.gender and person.birth_date and person.country
        if str(person.country) != "CN":
            assert person.name_en
        person.full_clean()
    scripts = Counter(p.name == p.name_key for p in people)  # Simplified names equal their key
    assert scripts[True] and scripts[False], "both Simplified and Traditional names"
    countries = Counter(str(p.country) for p in people)
    assert countries["CN"] > PEOPLE / 2 and len(countries) >= 5
    assert any(p.is_deputy or p.is_cppcc_member for p in _invented_people()) or PEOPLE < 500


def test_id_numbers_decrypt_to_valid_numbers_matching_the_birth_date(loaded):
    with_id = list(_invented_people().exclude(id_number_hash=""))
    assert PEOPLE * 0.3 <= len(with_id) <= PEOPLE * 0.7
    for person in with_id:
        number = decrypt(person.id_number_encrypted)
        validate_id_number(number)
        assert id_number_birth_date(number) == person.birth_date
        assert person.id_number_hash == lookup_hash(number)
        assert person.id_number_masked == mask_id_number(number)
        assert person.id_kind == "resident_id"
        assert person.consent_version == settings.QIAOJIA_CONSENT_VERSION and person.consent_at is not None
        assert int(number[16]) % 2 == (1 if person.gender == "m" else 0)
    assert len({p.id_number_hash for p in with_id}) == len(with_id)


def test_every_person_is_one_record_in_one_to_three_associations(loaded):
    current = Membership.objects.filter(person__isnull=False, left_on__isnull=True)
    pairs = list(current.values_list("association_id", "person_id"))
    assert len(pairs) == len(set(pairs))
    per_person = Counter(person for _association, person in pairs)
    invented = set(_invented_people().values_list("pk", flat=True))
    assert set(per_person) == invented
    assert max(per_person.values()) <= 3
    several = sum(1 for n in per_person.values() if n > 1)
    assert 0.05 * PEOPLE <= several <= 0.3 * PEOPLE
    duplicates = (
        Person.objects.exclude(id_number_hash="").values("id_number_hash").annotate(n=Count("id")).filter(n__gt=1)
    )
    assert not duplicates.exists()
    # Officers are members of their association.
    for term in Term.objects.current().exclude(person__name__in=data.SEED_PEOPLE):
        assert current.filter(association=term.association_id, person=term.person_id).exists()


def test_if_empty_is_a_no_op_the_second_time(loaded):
    counts = (Person.objects.count(), Association.objects.count(), AuditEntry.objects.count())
    out = _load(if_empty=True)
    assert "already" in out
    assert (Person.objects.count(), Association.objects.count(), AuditEntry.objects.count()) == counts
    with pytest.raises(CommandError):
        _load()


def test_the_bulk_load_writes_one_summary_audit_row(loaded):
    federation = Federation.objects.get()
    summary = AuditEntry.objects.filter(object_type="orgs.federation", changes__has_key="demo_load")
    assert summary.count() == 1
    assert summary.get().changes["demo_load"]["bulk"]["people"] == PEOPLE
    assert summary.get().object_id == str(federation.pk)
    assert summary.get().actor_username == "demo_load"


class _Rollback(Exception):
    pass


def _names_after_load(seed):
    try:
        with transaction.atomic():
            _load(seed=seed)
            names = list(Person.objects.order_by("pk").values_list("name", flat=True))
            enterprises = list(Enterprise.objects.order_by("pk").values_list("name", flat=True))
            raise _Rollback
    except _Rollback:
        pass
    assert not Federation.objects.exists()
    return names, enterprises


@pytest.mark.django_db(transaction=False)
def test_the_load_is_deterministic():
    first = _names_after_load(7)
    assert first == _names_after_load(7)
    assert first != _names_after_load(8)


def test_the_world_depends_on_the_seed_only():
    today = datetime.date(2026, 1, 15)
    assert build_world(people=50, enterprises=5, seed=3, today=today) == build_world(
        people=50, enterprises=5, seed=3, today=today
    )


def test_demo_accounts_log_in(loaded, client):
    validate_password(DEMO_PASSWORD)
    assert {a.username for a in DEMO_ACCOUNTS} == {"admin", "staff", "officer", "officer2", "member"}
    for account in DEMO_ACCOUNTS:
        assert client.login(request=HttpRequest(), username=account.username, password=account.password)
        client.logout()
    users = {u.username: u for u in User.objects.all()}
    assert users["admin"].role == Role.ADMIN
    assert users["staff"].role == Role.STAFF and users["staff"].department.name == "文化經濟聯絡部"
    assert [a.name for a in users["officer"].associations.all()] == ["河南省僑商聯合會"]
    assert [a.name for a in users["officer2"].associations.all()] == ["河南省歸國華僑聯誼會"]
    member = users["member"]
    assert member.role == Role.MEMBER and member.person.name not in data.SEED_PEOPLE
    assert member.person.memberships.filter(association__name="河南省僑商聯合會").exists()


def test_the_demo_accounts_command_prints_url_passwords_and_otp_note(db, monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123" in text
    assert "QIAOJIA_REQUIRE_OTP=1" in text
    for account in DEMO_ACCOUNTS:
        assert account.username in text and account.role_label.zh in text and account.description.en in text
    assert text.count(DEMO_PASSWORD) >= len(DEMO_ACCOUNTS)
    assert accounts_table() in text


def test_the_business_associations_2024_report_takes_the_recorded_donations_and_activities(loaded):
    from decimal import Decimal

    from qiaojia.cycle.models import AnnualReport
    from qiaojia.volunteering.selectors import donation_report_totals

    report = AnnualReport.objects.get(association__name="河南省僑商聯合會", year=2024)
    totals = donation_report_totals(association_id=report.association_id, year=2024)
    assert (report.donations_domestic, report.donations_foreign) == (
        totals["donations_domestic"],
        totals["donations_foreign"],
    )
    assert report.donations_domestic > Decimal(0) and report.donations_foreign > Decimal(0)
    assert report.association.activities.filter(starts_on__year=2024).exists()


def test_the_exchange_has_a_co_organised_activity_and_a_joint_meeting_series_with_hosts_in_turn(loaded):
    from qiaojia.activities.models import CoOrganiser, CoOrganiserStatus
    from qiaojia.activities.selectors import activity_report_counts
    from qiaojia.meetings.models import JointSeries, MeetingStatus
    from qiaojia.meetings.services_joint import next_host

    confirmed = CoOrganiser.objects.filter(status=CoOrganiserStatus.CONFIRMED).select_related("activity", "association")
    assert confirmed.filter(activity__association__name="河南省僑商聯合會", activity__is_public=True).exists()
    assert CoOrganiser.objects.filter(status=CoOrganiserStatus.INVITED).exists()
    row = confirmed.first()
    counts = activity_report_counts(association_id=row.association_id, year=row.activity.starts_on.year)
    assert row.activity.title in counts["activities"]

    series = JointSeries.objects.get(name="河南省僑界社團經貿聯席會議")
    members = [m.association for m in series.members.order_by("order")]
    meetings = list(series.meetings.order_by("number"))
    assert [m.host for m in meetings] == members[: len(meetings)]
    assert [m.status for m in meetings] == [MeetingStatus.HELD, MeetingStatus.HELD, MeetingStatus.PLANNED]
    assert next_host(series) == members[3]


def test_trade_offers_and_needs_match_across_scripts(loaded):
    from django.utils import translation

    from qiaojia.trade import matching
    from qiaojia.trade.models import Offer, OfferStatus, TradeProfile

    assert TradeProfile.objects.filter(listed=True).count() == 6
    assert Offer.objects.filter(status=OfferStatus.PUBLISHED).count() == 7
    need = Offer.objects.get(title="寻求马来西亚太阳能电池板供应商")
    with translation.override("en"):
        found = matching.suggestions(need)
    assert found[0].offer.title == "供應太陽能電池板及光伏組件"
    assert found[0].reasons[:2] == ["same division C38", "both Malaysia"]
    project = Offer.objects.get(title="许昌智能装备产业园二期招商项目")
    assert [s.offer.title for s in matching.suggestions(project)] == ["僑資基金尋求投資中原智能裝備項目"]


def test_trade_a_brokered_introduction_ended_in_a_project_signed_at_the_flagship_event(loaded):
    from qiaojia.trade.models_deals import Introduction, IntroductionStage, SignedProject

    project = SignedProject.objects.select_related("event", "introduction").get(title="許昌智能裝備產業園二期投資項目")
    assert "知名僑商中原行" in project.event.name and project.currency == "USD" and project.city == "許昌"
    assert project.introduction.origin == "brokered" and project.introduction.stage == IntroductionStage.SIGNED
    assert [n.stage for n in project.introduction.notes.order_by("id")] == [
        "proposed", "", "introduced", "met", "negotiating", "signed"
    ]  # fmt: skip
    assert set(Introduction.objects.values_list("stage", flat=True)) == {"signed", "introduced", "proposed"}


def test_the_qiaoshang_event_has_a_b2b_schedule_with_meetings_held_and_what_came_of_them(loaded):
    from qiaojia.trade.b2b.models import B2BSession, BusinessMeeting, MeetingStatus

    session = B2BSession.objects.get(event__slug="qiaoshang-zhongyuan-2025")
    assert session.slots.count() == 12 and session.tables.count() == 8
    assert session.participants.count() >= 6
    held = BusinessMeeting.objects.filter(session=session, status=MeetingStatus.HELD)
    assert held.exclude(outcome="").count() >= 2
    assert {m.status for m in BusinessMeeting.objects.filter(session=session)} >= {"held", "accepted", "requested"}
