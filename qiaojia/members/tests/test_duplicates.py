"""Likely duplicate people: detection by each rule, the staff-only review pages, merge and dismissal."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_credit_code, make_id_number
from qiaojia.accounts.models import Role, User
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.core.services import ConflictError
from qiaojia.members import services
from qiaojia.members.duplicates import DuplicateRule, duplicate_candidates, duplicate_rules_for
from qiaojia.members.models import (
    DuplicateDismissal,
    Enterprise,
    Membership,
    MembershipLevel,
    Person,
    PersonMerge,
)
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationTitle, FederationOfficial, FederationTitle, PartyBranch, Term
from qiaojia.orgs.tests.helpers import CLEAR_ID_RE, CLEAR_PHONE_RE, acting_as, text_of

pytestmark = pytest.mark.django_db


def pairs():
    return {(c.low_id, c.high_id): c.rules for c in duplicate_candidates()}


def key(a, b):
    return tuple(sorted((a.pk, b.pk)))


def test_same_name_in_either_script_and_same_phone(make_person, business_association, other_association):
    a = make_person("鄭定輝", association=business_association, phone="13812341234")
    b = make_person("郑定辉", association=other_association, phone="+86 138 1234 1234")
    assert pairs() == {key(a, b): [DuplicateRule.NAME_PHONE]}


def test_same_name_and_birth_date(make_person, business_association, other_association):
    a = make_person("鄭定輝", association=business_association, id_number=make_id_number(31, "19800101"))
    b = make_person("郑定辉", association=other_association, birth_date=datetime.date(1980, 1, 1), phone="13912345678")
    assert pairs() == {key(a, b): [DuplicateRule.NAME_BIRTH_DATE]}


def test_both_rules_are_listed_as_evidence(make_person, business_association, other_association):
    a = make_person(
        "鄭定輝", association=business_association, phone="13812341234", birth_date=datetime.date(1980, 1, 1)
    )
    b = make_person("郑定辉", association=other_association, phone="13812341234", birth_date=datetime.date(1980, 1, 1))
    assert pairs() == {key(a, b): [DuplicateRule.NAME_PHONE, DuplicateRule.NAME_BIRTH_DATE]}


def test_same_name_alone_or_same_phone_alone_is_not_a_duplicate(make_person, business_association):
    make_person("鄭定輝", phone="13812341234", birth_date=datetime.date(1980, 1, 1))
    make_person("郑定辉", phone="13900001111", birth_date=datetime.date(1981, 1, 1))
    make_person("王小明", phone="13812341234")
    make_person("李四")
    make_person("李四")
    assert pairs() == {}


def test_same_id_number_rule():
    # The database refuses a second person with one ID number, so the rule is checked on the pair itself.
    a = Person(pk=1, name="甲", id_number_hash="f" * 64)
    b = Person(pk=2, name="乙", id_number_hash="f" * 64)
    assert duplicate_rules_for(a, b) == [DuplicateRule.ID_NUMBER]


def test_detection_is_a_fixed_number_of_queries(make_person):
    for i in range(12):
        make_person("張偉", phone=f"138000000{i % 3:02d}")
    with CaptureQueriesContext(connection) as ctx:
        found = duplicate_candidates()
    assert len(found) == 3 * 6  # three groups of four people, six pairs each
    assert len(ctx.captured_queries) <= 4


@pytest.fixture
def pair(make_person, business_association, other_association, federation, make_user, today):
    survivor = make_person("鄭定輝", association=business_association, phone="13812341234")
    duplicate = make_person(
        "郑定辉",
        association=other_association,
        phone="13812341234",
        id_number=make_id_number(41, "19800101"),
        name_en="Zheng Dinghui",
    )
    term = org_services.term_create(
        association=other_association,
        data={
            "person": duplicate,
            "title": AssociationTitle.PRESIDENT,
            "starts_on": datetime.date(2024, 1, 1),
            "ends_on": datetime.date(2028, 12, 31),
        },
    )
    branch = org_services.party_branch_create(
        association=other_association,
        data={"name": "歸僑聯誼會黨支部", "secretary": duplicate, "party_member_count": 3},
    )
    enterprise = services.enterprise_create(
        data={"name": "中原實業", "credit_code": make_credit_code(7201), "representative": duplicate}
    )
    official = FederationOfficial.objects.create(
        federation=federation, person=duplicate, title=FederationTitle.VICE_CHAIR
    )
    user = make_user("zheng", Role.MEMBER, person=duplicate)
    return {
        "survivor": survivor,
        "duplicate": duplicate,
        "term": term,
        "branch": branch,
        "enterprise": enterprise,
        "official": official,
        "user": user,
    }


def test_merge_moves_every_reference_to_the_survivor(pair, staff_user, business_association, other_association):
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    with acting_as(staff_user):
        merge = services.person_merge(survivor=survivor, duplicate=duplicate, keep={})
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert set(Membership.objects.filter(person=survivor).values_list("association_id", flat=True)) == {
        business_association.pk,
        other_association.pk,
    }
    assert Term.objects.get(pk=pair["term"].pk).person_id == survivor.pk
    assert PartyBranch.objects.get(pk=pair["branch"].pk).secretary_id == survivor.pk
    assert Enterprise.objects.get(pk=pair["enterprise"].pk).representative_id == survivor.pk
    assert FederationOfficial.objects.get(pk=pair["official"].pk).person_id == survivor.pk
    assert User.objects.get(pk=pair["user"].pk).person_id == survivor.pk
    survivor.refresh_from_db()
    # Fields the survivor lacked are filled from the merged record, the ID number included.
    assert survivor.name == "鄭定輝" and survivor.name_en == "Zheng Dinghui"
    assert survivor.id_number_masked == duplicate.id_number_masked and survivor.consent_at is not None
    assert merge.merged_person_id == duplicate.pk and merge.merged_by_username == "staff"
    assert merge.merged_snapshot["id_number_masked"] == duplicate.id_number_masked
    assert "id_number_hash" not in merge.merged_snapshot and "id_number_encrypted" not in merge.merged_snapshot
    assert merge.merged_snapshot["phone"] == "138****1234"
    assert set(merge.kept_from_merged) >= {"name_en", "id_number"}
    assert merge.moved["orgs.term"] == [pair["term"].pk]
    update = AuditEntry.objects.filter(
        object_type="members.person", object_id=str(survivor.pk), action=AuditAction.UPDATE
    ).latest("id")
    assert update.changes["merged_person"][0].startswith(f"#{duplicate.pk}")
    assert update.actor_username == "staff"
    assert AuditEntry.objects.filter(
        object_type="members.person", object_id=str(duplicate.pk), action=AuditAction.DELETE
    ).exists()
    for entry in AuditEntry.objects.all():
        text = f"{entry.changes}"
        assert not CLEAR_PHONE_RE.search(text) and not CLEAR_ID_RE.search(text)


def test_every_relation_to_person_is_handled():
    from qiaojia.members.services import _MERGE_SPECIAL, person_references

    labels = {rel.related_model._meta.label_lower for rel in person_references()}
    assert {
        "orgs.term",
        "orgs.partybranch",
        "members.enterprise",
        "accounts.user",
        "orgs.federationofficial",
        "members.personmerge",
    } <= labels
    assert Membership in _MERGE_SPECIAL


def test_memberships_of_both_in_one_association_collapse(make_person, business_association):
    survivor = make_person("鄭定輝", phone="13812341234")
    duplicate = make_person("郑定辉", phone="13812341234")
    services.membership_create(
        association=business_association,
        person=survivor,
        data={"level": MembershipLevel.MEMBER, "joined_on": datetime.date(2020, 5, 1)},
    )
    services.membership_create(
        association=business_association,
        person=duplicate,
        data={
            "level": MembershipLevel.STANDING_DIRECTOR,
            "joined_on": datetime.date(2015, 3, 1),
            "left_on": datetime.date(2019, 1, 1),
        },
    )
    services.person_merge(survivor=survivor, duplicate=duplicate, keep={})
    membership = Membership.objects.get(person=survivor)
    assert membership.joined_on == datetime.date(2015, 3, 1)
    assert membership.left_on is None
    assert membership.level == MembershipLevel.STANDING_DIRECTOR
    assert Membership.objects.filter(association=business_association).count() == 1


def test_keep_chooses_the_duplicates_values(make_person):
    survivor = make_person("鄭定輝", phone="13812341234", id_number=make_id_number(51, "19800101"))
    duplicate = make_person("郑定辉", phone="13900001111", birth_date=datetime.date(1980, 1, 1))
    services.person_merge(survivor=survivor, duplicate=duplicate, keep={"name": "duplicate", "phone": "duplicate"})
    survivor.refresh_from_db()
    assert survivor.name == "郑定辉" and survivor.name_key == "郑定辉" and survivor.phone == "+8613900001111"
    assert survivor.id_number_masked  # kept: the duplicate had none


def test_birth_date_against_the_kept_id_number_is_refused(make_person):
    survivor = make_person("鄭定輝", id_number=make_id_number(52, "19800101"))
    duplicate = make_person("郑定辉", birth_date=datetime.date(1981, 2, 2))
    with pytest.raises(ValidationError):
        services.person_merge(survivor=survivor, duplicate=duplicate, keep={"birth_date": "duplicate"})
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_merge_refuses_when_either_changed_since_the_page_opened(make_person):
    survivor = make_person("鄭定輝", phone="13812341234")
    duplicate = make_person("郑定辉", phone="13812341234")
    seen = duplicate.version
    services.person_update(person=duplicate, expected_version=seen, data={"name_en": "Changed"})
    with pytest.raises(ConflictError):
        services.person_merge(survivor=survivor, duplicate=duplicate, keep={}, duplicate_version=seen)
    assert Person.objects.filter(pk=duplicate.pk).exists()
    assert not PersonMerge.objects.exists()


def test_merge_refuses_two_user_accounts(make_person, make_user):
    survivor = make_person("鄭定輝", phone="13812341234")
    duplicate = make_person("郑定辉", phone="13812341234")
    make_user("one", Role.MEMBER, person=survivor)
    make_user("two", Role.MEMBER, person=duplicate)
    with pytest.raises(ValidationError):
        services.person_merge(survivor=survivor, duplicate=duplicate, keep={})
    assert User.objects.get(username="two").person_id == duplicate.pk


def test_dismissed_pair_is_no_longer_proposed(make_person, staff_user):
    a = make_person("鄭定輝", phone="13812341234")
    b = make_person("郑定辉", phone="13812341234")
    c = make_person("鄭定輝", phone="13812341234")
    assert len(pairs()) == 3
    with acting_as(staff_user):
        services.duplicate_dismiss(a=b, b=a)
        services.duplicate_dismiss(a=a, b=b)
    assert DuplicateDismissal.objects.count() == 1
    assert set(pairs()) == {key(a, c), key(b, c)}
    assert AuditEntry.objects.filter(object_type="members.duplicatedismissal").count() == 1


@pytest.mark.parametrize("role", ["officer_of", "member_user"])
def test_review_pages_are_for_federation_staff_only(login, request, make_person, role, business_association):
    a = make_person("鄭定輝", association=business_association, phone="13812341234")
    b = make_person("郑定辉", association=business_association, phone="13812341234")
    client = login(request.getfixturevalue(role))
    assert client.get(reverse("members:duplicate-list")).status_code == 404
    assert client.get(reverse("members:duplicate-compare", args=[a.pk, b.pk])).status_code == 404
    assert client.post(reverse("members:duplicate-dismiss", args=[a.pk, b.pk])).status_code == 404
    assert (
        client.post(
            reverse("members:duplicate-compare", args=[a.pk, b.pk]),
            {"survivor": "a", "version_a": a.version, "version_b": b.version},
        ).status_code
        == 404
    )
    assert Person.objects.filter(pk=b.pk).exists()


def test_staff_review_and_merge_through_the_pages(login, staff_user, pair):
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    client = login(staff_user)
    listing = text_of(client.get(reverse("members:duplicate-list")))
    assert "鄭定輝" in listing and "郑定辉" in listing and "138****1234" in listing
    url = reverse("members:duplicate-compare", args=[survivor.pk, duplicate.pk])
    page = text_of(client.get(url))
    for text in (page, listing):
        assert not CLEAR_PHONE_RE.search(text) and not CLEAR_ID_RE.search(text)
    assert duplicate.id_number_masked in page
    response = client.post(
        url,
        {
            "survivor": "a",
            "version_a": survivor.version,
            "version_b": duplicate.version,
            "keep_name": "a",
            "keep_id_number": "b",
            "keep_name_en": "b",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("members:person-detail", args=[survivor.pk])
    detail = text_of(client.get(response["Location"]))
    assert "郑定辉" in detail and f"#{duplicate.pk}" in detail
    assert not CLEAR_PHONE_RE.search(detail) and not CLEAR_ID_RE.search(detail)
    assert "郑定辉" not in text_of(client.get(reverse("members:duplicate-list")))


def test_a_stale_compare_page_is_answered_with_a_conflict(login, staff_user, make_person):
    a = make_person("鄭定輝", phone="13812341234")
    b = make_person("郑定辉", phone="13812341234")
    client = login(staff_user)
    url = reverse("members:duplicate-compare", args=[a.pk, b.pk])
    stale = {"survivor": "b", "version_a": a.version, "version_b": b.version}
    services.person_update(person=a, expected_version=a.version, data={"name_en": "Changed"})
    response = client.post(url, stale)
    assert response.status_code == 409
    assert Person.objects.filter(pk=a.pk).exists() and Person.objects.filter(pk=b.pk).exists()


def test_dismiss_through_the_page(login, staff_user, make_person):
    a = make_person("鄭定輝", phone="13812341234")
    b = make_person("郑定辉", phone="13812341234")
    response = login(staff_user).post(reverse("members:duplicate-dismiss", args=[b.pk, a.pk]))
    assert response.status_code == 302
    assert DuplicateDismissal.objects.filter(person_low=a, person_high=b).exists()
    assert pairs() == {}
