"""No page or export shows a full mobile number or ID number: every page an officer, staff, a member
and an administrator can open is rendered with people who have both, and searched for them."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_credit_code, make_id_number
from qiaojia.accounts.models import Role
from qiaojia.members import services
from qiaojia.members.models import Membership, MembershipLevel, Person
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationTitle, PartnerKind
from qiaojia.orgs.tests.helpers import CLEAR_ID_RE, CLEAR_PHONE_RE, text_of

pytestmark = pytest.mark.django_db

PEOPLE = [  # name, phone as typed, ID number
    ("柴莉", "138 1234 1234", make_id_number(7, "19850312")),
    ("曾志偉", "+86 139 8765 4321", make_id_number(8, "19700101")),
    ("單雄信", "15012345678", make_id_number(9, "19621231")),
]


def _clear_forms(phone, id_number):
    digits = "".join(c for c in phone if c.isdigit())
    national = digits[-11:]
    return {national, "+86" + national, f"{national[:3]} {national[3:7]} {national[7:]}", id_number}


@pytest.fixture
def world(business_association, make_user, staff_user, officer_of, admin_user, today):
    people = []
    for name, phone, id_number in PEOPLE:
        membership = services.member_add(
            association=business_association,
            person_data={"name": name, "phone": phone, "email": "a@example.com"},
            membership_data={"level": MembershipLevel.DIRECTOR, "joined_on": datetime.date(2019, 5, 1)},
            id_number=id_number,
            consent=True,
        )
        people.append(membership.person)
    chai = people[0]
    # A change of phone and a reveal, so the audit trail has something personal to show.
    services.person_update(person=chai, expected_version=chai.version, data={"phone": "13812349999"})
    services.person_update(
        person=Person.objects.get(pk=chai.pk), expected_version=chai.version + 1, data={"phone": "138 1234 1234"}
    )
    services.personal_data_reveal(person=chai, field="id_number")
    term = org_services.term_create(
        association=business_association,
        data={
            "person": people[1],
            "title": AssociationTitle.PRESIDENT,
            "starts_on": today - datetime.timedelta(days=300),
            "ends_on": today + datetime.timedelta(days=30),
        },
    )
    org_services.party_branch_create(
        association=business_association, data={"name": "僑商會黨支部", "secretary": people[2], "party_member_count": 5}
    )
    partner = org_services.partner_create(
        association=business_association, data={"name": "鄭州大學", "kind": PartnerKind.UNIVERSITY, "contact": "外事處"}
    )
    enterprise = services.enterprise_add(
        association=business_association,
        data={
            "name": "中原貿易有限公司",
            "credit_code": make_credit_code(9101),
            "representative": people[1],
            "trade_countries": ["SG", "MY"],
        },
        membership_data={"level": MembershipLevel.VICE_PRESIDENT_UNIT, "joined_on": datetime.date(2021, 1, 1)},
    )
    member = make_user("member", Role.MEMBER, person=chai)
    return {
        "association": business_association,
        "people": people,
        "term": term,
        "partner": partner,
        "enterprise": enterprise,
        "member": member,
        "staff": staff_user,
        "officer": officer_of,
        "admin": admin_user,
        "membership": Membership.objects.get(person=chai),
    }


def _pages(w, role):
    a = w["association"].pk
    own = w["people"][0].pk
    common = [
        reverse("home:index"),
        reverse("members:person-list"),
        reverse("members:person-export"),
        reverse("members:enterprise-list"),
        reverse("members:person-detail", args=[own]),
        reverse("members:person-edit", args=[own]),
        reverse("orgs-public", args=[a]),
    ]
    if role == "member":
        return common
    pages = common + [
        reverse("orgs:association-list"),
        reverse("orgs:association-detail", args=[a]),
        reverse("orgs:association-edit", args=[a]),
        reverse("orgs:term-create", args=[a]),
        reverse("orgs:term-edit", args=[w["term"].pk]),
        reverse("orgs:party-branch-edit", args=[a]),
        reverse("orgs:partner-list"),
        reverse("orgs:partner-detail", args=[w["partner"].pk]),
        reverse("members:person-create"),
        reverse("members:person-list") + f"?association={a}",
        reverse("members:person-list") + "?q=zeng",
        reverse("members:person-export") + f"?association={a}",
        reverse("members:enterprise-detail", args=[w["enterprise"].pk]),
        reverse("members:enterprise-edit", args=[w["enterprise"].pk]),
        reverse("members:membership-edit", args=[w["membership"].pk]),
    ]
    for person in w["people"]:
        pages += [reverse("members:person-detail", args=[person.pk]), reverse("members:person-edit", args=[person.pk])]
    if role == "admin":
        pages += [
            reverse("home:audit-list"),
            reverse("home:audit-list") + "?object_type=members.person",
            reverse("orgs:department-list"),
        ]
    return pages


def _assert_nothing_in_clear(text, where):
    assert not CLEAR_PHONE_RE.search(text), f"{where} shows a mobile number: {CLEAR_PHONE_RE.search(text)[0]}"
    assert not CLEAR_ID_RE.search(text), f"{where} shows an ID number: {CLEAR_ID_RE.search(text)[0]}"
    for _name, phone, id_number in PEOPLE:
        for clear in _clear_forms(phone, id_number) | {"13812349999"}:
            assert clear not in text, f"{where} shows {clear}"


@pytest.mark.parametrize("role", ["officer", "staff", "member", "admin"])
def test_no_page_shows_a_full_phone_or_id_number(login, world, role):
    client = login(world[role])
    for url in _pages(world, role):
        response = client.get(url)
        assert response.status_code == 200, f"{role} {url} -> {response.status_code}"
        _assert_nothing_in_clear(text_of(response), f"{role} {url}")


@pytest.mark.parametrize("role", ["officer", "staff", "member"])
def test_pages_show_the_masked_forms(login, world, role):
    client = login(world[role])
    chai = world["people"][0]
    detail = text_of(client.get(reverse("members:person-detail", args=[chai.pk])))
    assert "138****1234" in detail
    assert PEOPLE[0][2][:3] + "*" * 11 + PEOPLE[0][2][-4:] in detail
    listing = text_of(client.get(reverse("members:person-list")))
    assert "138****1234" in listing


@pytest.mark.parametrize("role", ["officer", "staff"])
def test_export_csv_lists_everyone_masked(login, world, role):
    response = login(world[role]).get(reverse("members:person-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    csv_text = text_of(response)
    _assert_nothing_in_clear(csv_text, "export")
    for name, _phone, id_number in PEOPLE:
        assert name in csv_text
        assert id_number[:3] + "*" * 11 + id_number[-4:] in csv_text
    assert "138****1234" in csv_text and "139****4321" in csv_text and "150****5678" in csv_text


def test_audit_list_shows_personal_changes_masked(login, world):
    page = text_of(login(world["admin"]).get(reverse("home:audit-list") + "?object_type=members.person"))
    assert "138****1234" in page and "138****9999" in page
    assert "***" in page
    _assert_nothing_in_clear(page, "audit list")


def test_every_audit_row_is_free_of_clear_personal_data(world):
    from qiaojia.core.models import AuditEntry

    for entry in AuditEntry.objects.all():
        _assert_nothing_in_clear(f"{entry.object_repr} {entry.changes}", f"audit row {entry.pk}")


def test_error_page_after_a_failed_edit_does_not_reveal_the_stored_number(login, world):
    chai = world["people"][0]
    client = login(world["staff"])
    url = reverse("members:person-edit", args=[chai.pk])
    page = text_of(client.get(url))
    response = client.post(
        url,
        {
            "name": chai.name,
            "overseas_status": chai.overseas_status,
            "phone": "138****1234",
            "email": "not-an-email",
            "version": chai.version,
            "birth_date": "1985-03-12",
        },
    )
    assert response.status_code == 400
    _assert_nothing_in_clear(text_of(response), "edit error page")
    assert "138****1234" in page
