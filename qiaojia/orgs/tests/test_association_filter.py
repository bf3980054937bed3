"""The one scoped parser of `?association=` that every list and export uses (F3 of issue 11)."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse

from qiaojia.members import services as member_services
from qiaojia.members.models import MembershipLevel
from qiaojia.orgs.selectors import association_filter
from qiaojia.orgs.tests.helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", [None, "", "  ", "abc", "1e3", "-1", "１２", "²", "1.0", "12abc"])
def test_association_filter_ignores_what_is_not_a_number(officer_of, raw):
    assert association_filter(viewer=officer_of, raw=raw) is None


def test_association_filter_gives_the_viewers_own_association(officer_of, business_association):
    assert association_filter(viewer=officer_of, raw=f" {business_association.pk} ") == business_association


@pytest.mark.parametrize("raw", ["0", "987654321", str(2**63 - 1), str(2**63), "99999999999999999999999", "9" * 5000])
def test_association_filter_refuses_missing_and_impossible_ids_as_not_found(officer_of, staff_user, raw):
    for viewer in (officer_of, staff_user):
        with pytest.raises(Http404):
            association_filter(viewer=viewer, raw=raw)


def test_association_filter_refuses_another_association_like_a_missing_one(officer_of, other_association, staff_user):
    with pytest.raises(Http404):
        association_filter(viewer=officer_of, raw=str(other_association.pk))
    assert association_filter(viewer=staff_user, raw=str(other_association.pk)) == other_association


@pytest.mark.parametrize("name", ["members:person-export", "members:enterprise-export"])
def test_export_filtered_by_another_association_reveals_nothing_of_who_belongs_to_it(
    login, officer_of, business_association, other_association, name
):
    """The attack: officer A exports A's people filtered by B, and so learns which of them are also in B."""
    joined = {"level": MembershipLevel.MEMBER, "joined_on": datetime.date(2022, 1, 1)}
    both = member_services.member_add(
        association=business_association, person_data={"name": "雙會員"}, membership_data=joined
    ).person
    member_services.membership_create(association=other_association, person=both, data=joined)
    unit = member_services.enterprise_add(
        association=business_association,
        data={"name": "雙屬公司"},
        membership_data={"joined_on": datetime.date(2022, 1, 1)},
    )
    member_services.membership_create(
        association=other_association, enterprise=unit, data={"joined_on": datetime.date(2022, 1, 1)}
    )
    client = login(officer_of)
    response = client.get(reverse(name) + f"?association={other_association.pk}")
    assert response.status_code == 404
    assert client.get(reverse(name) + "?association=99999999999999999999999").status_code == 404
    own = client.get(reverse(name) + f"?association={business_association.pk}")
    body = text_of(own)
    assert own.status_code == 200 and ("雙會員" in body or "雙屬公司" in body)
