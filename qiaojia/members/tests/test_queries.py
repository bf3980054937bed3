"""Member lists and the person page run a fixed number of queries, however many rows they show."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_credit_code, make_id_number
from qiaojia.members import services
from qiaojia.members.models import MembershipLevel
from qiaojia.orgs.tests.helpers import query_count

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def _add_people(association, other, start, stop):
    for n in range(start, stop):
        membership = services.member_add(
            association=association,
            person_data={"name": f"會員{n:03d}", "phone": f"+86139{n:08d}", "country": "CN"},
            membership_data={"level": MembershipLevel.MEMBER, "joined_on": datetime.date(2020, 1, 1)},
            id_number=make_id_number(n, "19800101"),
            consent=True,
        )
        # Half of them belong to a second association too: more memberships per row.
        if n % 2:
            services.membership_create(
                association=other, person=membership.person, data={"joined_on": datetime.date(2021, 1, 1)}
            )


def _add_enterprises(association, start, stop):
    for n in range(start, stop):
        services.enterprise_add(
            association=association,
            data={
                "name": f"企業{n:03d}有限公司",
                "credit_code": make_credit_code(20000 + n),
                "industry": "C",
                "trade_countries": ["SG", "US"],
            },
            membership_data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": datetime.date(2020, 1, 1)},
        )


@pytest.mark.parametrize("viewer", ["staff_user", "officer_of"])
@pytest.mark.parametrize("query", ["", "?association={a}", "?q=hui&overseas_status=none&country=CN"])
def test_person_list_queries_do_not_grow_with_rows(
    login, request, business_association, other_association, viewer, query
):
    client = login(request.getfixturevalue(viewer))
    url = reverse("members:person-list") + query.format(a=business_association.pk)
    _add_people(business_association, other_association, 0, 5)
    few = query_count(client, url)
    _add_people(business_association, other_association, 5, 60)
    many = query_count(client, url)
    assert few == many
    assert many <= MAX_QUERIES


@pytest.mark.parametrize("viewer", ["staff_user", "officer_of"])
def test_person_export_queries_do_not_grow_with_rows(login, request, business_association, other_association, viewer):
    client = login(request.getfixturevalue(viewer))
    url = reverse("members:person-export")
    _add_people(business_association, other_association, 0, 5)
    few = query_count(client, url)
    _add_people(business_association, other_association, 5, 60)
    assert few == query_count(client, url) <= MAX_QUERIES


@pytest.mark.parametrize("viewer", ["staff_user", "officer_of"])
def test_enterprise_list_queries_do_not_grow_with_rows(login, request, business_association, viewer):
    client = login(request.getfixturevalue(viewer))
    url = reverse("members:enterprise-list")
    _add_enterprises(business_association, 0, 5)
    few = query_count(client, url)
    _add_enterprises(business_association, 5, 60)
    many = query_count(client, url)
    assert few == many
    assert many <= MAX_QUERIES


@pytest.mark.parametrize("viewer", ["staff_user", "officer_of", "member_user"])
def test_person_detail_queries_do_not_grow_with_memberships(
    login, request, member_person, business_association, viewer
):
    client = login(request.getfixturevalue(viewer))
    url = reverse("members:person-detail", args=[member_person.pk])

    def add_past_memberships(start, stop):
        for n in range(start, stop):
            joined = datetime.date(1990, 1, 1) + datetime.timedelta(days=30 * n)
            services.membership_create(
                association=business_association,
                person=member_person,
                data={"joined_on": joined, "left_on": joined + datetime.timedelta(days=20)},
            )

    add_past_memberships(0, 5)
    few = query_count(client, url)
    add_past_memberships(5, 60)
    many = query_count(client, url)
    assert few == many
    assert many <= MAX_QUERIES


def test_enterprise_detail_queries_do_not_grow_with_memberships(login, staff_user, business_association):
    _add_enterprises(business_association, 0, 1)
    from qiaojia.members.models import Enterprise

    enterprise = Enterprise.objects.get()
    client = login(staff_user)
    url = reverse("members:enterprise-detail", args=[enterprise.pk])

    def add_past(start, stop):
        for n in range(start, stop):
            joined = datetime.date(1990, 1, 1) + datetime.timedelta(days=30 * n)
            services.membership_create(
                association=business_association,
                enterprise=enterprise,
                data={"joined_on": joined, "left_on": joined + datetime.timedelta(days=20)},
            )

    add_past(0, 5)
    few = query_count(client, url)
    add_past(5, 60)
    assert few == query_count(client, url) <= MAX_QUERIES
