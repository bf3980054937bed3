"""Registry lists run a fixed number of queries, however many rows they show."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_credit_code
from qiaojia.members import services as member_services
from qiaojia.members.models import MembershipLevel
from qiaojia.orgs import services
from qiaojia.orgs.models import AssociationKind, AssociationTitle, PartnerKind
from qiaojia.orgs.tests.helpers import query_count

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def _add_associations(federation, department, start, stop, today):
    for n in range(start, stop):
        association = services.association_create(
            federation=federation,
            data={
                "name": f"河南省第{n}僑團",
                "kind": AssociationKind.HOMETOWN,
                "supervising_department": department,
                "credit_code": make_credit_code(7000 + n),
                "founded_on": datetime.date(2012, 1, 1),
            },
        )
        membership = member_services.member_add(
            association=association,
            person_data={"name": f"會員{n}", "phone": f"+86139{n:08d}"},
            membership_data={"level": MembershipLevel.MEMBER, "joined_on": datetime.date(2020, 1, 1)},
        )
        services.term_create(
            association=association,
            data={
                "person": membership.person,
                "title": AssociationTitle.PRESIDENT,
                "starts_on": today - datetime.timedelta(days=365),
                "ends_on": today + datetime.timedelta(days=30),
            },
        )
        services.partner_create(association=association, data={"name": f"合作單位{n}", "kind": PartnerKind.CHAMBER})


def _add_partners(association, start, stop):
    for n in range(start, stop):
        partner = services.partner_create(
            association=association, data={"name": f"夥伴{n:03d}", "kind": PartnerKind.UNIVERSITY, "country": "SG"}
        )
        services.liaison_create(partner=partner, data={"happened_on": datetime.date(2024, 5, 1), "summary": "拜訪"})


def test_association_list_queries_do_not_grow_with_rows(login, staff_user, federation, liaison_department, today):
    client = login(staff_user)
    url = reverse("orgs:association-list")
    _add_associations(federation, liaison_department, 0, 5, today)
    few = query_count(client, url)
    _add_associations(federation, liaison_department, 5, 60, today)
    many = query_count(client, url)
    assert few == many
    assert many <= MAX_QUERIES


def test_association_list_filtered_queries_do_not_grow_with_rows(
    login, staff_user, federation, liaison_department, today
):
    client = login(staff_user)
    url = reverse("orgs:association-list") + f"?q=henan&kind=hometown&department={liaison_department.pk}"
    _add_associations(federation, liaison_department, 0, 5, today)
    few = query_count(client, url)
    _add_associations(federation, liaison_department, 5, 60, today)
    assert few == query_count(client, url) <= MAX_QUERIES


@pytest.mark.parametrize("viewer", ["staff_user", "officer_of"])
def test_partner_list_queries_do_not_grow_with_rows(login, request, business_association, viewer):
    client = login(request.getfixturevalue(viewer))
    url = reverse("orgs:partner-list")
    _add_partners(business_association, 0, 5)
    few = query_count(client, url)
    _add_partners(business_association, 5, 60)
    many = query_count(client, url)
    assert few == many
    assert many <= MAX_QUERIES


def test_association_detail_queries_do_not_grow_with_officers(
    login, staff_user, business_association, make_person, today
):
    client = login(staff_user)
    url = reverse("orgs:association-detail", args=[business_association.pk])

    def add_terms(start, stop):
        for n in range(start, stop):
            person = make_person(f"理事{n}", association=business_association)
            services.term_create(
                association=business_association,
                data={
                    "person": person,
                    "title": AssociationTitle.DIRECTOR,
                    "starts_on": today - datetime.timedelta(days=10),
                    "ends_on": today + datetime.timedelta(days=n),
                },
            )

    add_terms(0, 5)
    _add_partners(business_association, 0, 5)
    few = query_count(client, url)
    add_terms(5, 60)
    _add_partners(business_association, 5, 60)
    assert few == query_count(client, url) <= MAX_QUERIES
