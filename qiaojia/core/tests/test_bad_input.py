"""Server errors the fuzz (test_fuzz.py) found, each kept as the input that caused it: now a clear
refusal in the user's language that changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import verified_client
from qiaojia.accounts.models import Role
from qiaojia.core.forms import ModelChoiceField, ModelMultipleChoiceField
from qiaojia.orgs.models import Association

pytestmark = pytest.mark.django_db

HUGE = [str(2**63), str(2**64), "9" * 400, str(-(2**63) - 1)]


@pytest.mark.parametrize("value", HUGE)
def test_an_id_beyond_64_bits_is_an_invalid_choice(business_association, value):
    """SQLite cannot bind such a number: `pk__in` raised OverflowError (a server error)."""
    many = ModelMultipleChoiceField(queryset=Association.objects.all())
    with pytest.raises(ValidationError) as refused:
        many.clean([str(business_association.pk), value])
    assert refused.value.code == "invalid_choice"
    with pytest.raises(ValidationError):
        ModelChoiceField(queryset=Association.objects.all()).clean(value)
    assert list(many.clean([str(business_association.pk)])) == [business_association]


def test_an_account_edit_with_a_huge_association_id_is_refused_and_changes_nothing(
    client, admin_user, officer_of, business_association
):
    verified_client(client, admin_user)
    response = client.post(
        reverse("accounts:user-edit", args=[officer_of.pk]),
        {
            "first_name": "王",
            "email": "",
            "role": Role.OFFICER,
            "department": "",
            "is_active": "on",
            "version": officer_of.version,
            "associations": [business_association.pk, 2**64],
        },
    )
    assert response.status_code == 400
    assert 'id="id_associations_error"' in response.content.decode()
    officer_of.refresh_from_db()
    assert officer_of.first_name == "" and list(officer_of.associations.all()) == [business_association]


def test_second_factor_page_ignores_a_next_that_is_not_a_path(client, member_user, officer_of):
    """`redirect` took a bare word for the name of a URL to reverse (NoReverseMatch, a server error)."""
    for target in ("9223372036854775808", "members:person-list", "javascript:alert(1)"):
        client.force_login(member_user)  # needs no second factor: sent on at once
        response = client.get(reverse("accounts:otp-verify"), {"next": target})
        assert response.status_code == 302 and response["Location"] == "/"
        client.force_login(officer_of)  # asked for the code, with where to go next
        page = client.get(reverse("accounts:otp-verify"), {"next": target})
        assert page.status_code == 200 and f'value="{target}"' not in page.content.decode()


def test_a_news_address_with_a_year_no_date_can_hold_is_not_found(client):
    for year in (99999, 2**31, 2**64):
        assert client.get(f"/news/{year}/03/05/any-article/").status_code == 404


def test_a_reminder_for_a_year_out_of_range_is_not_found(client, staff_user, business_association):
    verified_client(client, staff_user)
    for year in (1999, 99999, 2**64):
        url = reverse("cycle:report-remind", kwargs={"pk": business_association.pk, "year": year})
        assert client.post(url).status_code == 404
