"""The member picker: suggestions from the search index's query (script-insensitive, pinyin-aware), within
the viewer's scope and, when asked, one association's people; and the form field that accepts only its
queryset."""

import datetime

import pytest
from django.urls import reverse

from conftest import verified_client
from qiaojia.members.picker import OnePersonPickerField, PersonPickerField
from qiaojia.members.selectors import association_people
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationTitle

pytestmark = pytest.mark.django_db


@pytest.fixture
def president(make_person, business_association):
    """鄭定輝, a member of the association and its president."""
    person = make_person("鄭定輝", association=business_association, public_title="河南省僑商聯合會會長")
    org_services.term_create(
        association=business_association,
        data={"person": person, "title": AssociationTitle.PRESIDENT, "starts_on": datetime.date(2024, 12, 18)},
    )
    return person


def _pick(client, q, **params):
    response = client.get(reverse("members:person-pick"), {"q": q, "field": "people", **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("typed", ["郑定辉", "鄭定輝", "zheng dinghui", "zhengdinghui", "zdh", "ZDH"])
def test_the_officer_finds_his_president_however_the_name_is_typed(
    client, officer_of, business_association, president, typed, django_assert_max_num_queries
):
    verified_client(client, officer_of)
    with django_assert_max_num_queries(16):
        page = _pick(client, typed, within=business_association.pk)
    assert f'name="people" value="{president.pk}"' in page
    assert "鄭定輝" in page.replace("<mark>", "").replace("</mark>", "")  # the name as registered


def test_another_associations_officer_finds_nobody_of_it(
    client, officer_of_other, business_association, president, make_person
):
    verified_client(client, officer_of_other)
    assert 'value="' not in _pick(client, "zdh")
    assert 'value="' not in _pick(client, "zdh", within=business_association.pk)


def test_within_narrows_even_federation_staff_to_the_associations_people(
    client, staff_user, business_association, other_association, make_person
):
    ours = make_person("柴莉", association=business_association)
    theirs = make_person("柴莉", association=other_association)
    verified_client(client, staff_user)
    everyone = _pick(client, "柴莉")
    assert f'value="{ours.pk}"' in everyone and f'value="{theirs.pk}"' in everyone
    narrowed = _pick(client, "chai li", within=business_association.pk)
    assert f'value="{ours.pk}"' in narrowed and f'value="{theirs.pk}"' not in narrowed


@pytest.mark.parametrize(
    "params",
    [
        {"field": "<script>", "q": "zdh"},
        {"within": "9" * 30, "q": "zdh"},
        {"within": "-1", "q": "\x00"},
        {"q": "x" * 5000},
        {},
    ],
)
def test_bad_input_answers_an_empty_or_plain_list(client, staff_user, params):
    verified_client(client, staff_user)
    response = client.get(reverse("members:person-pick"), params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_the_field_draws_the_chosen_and_accepts_only_its_queryset(business_association, make_person, president):
    member = make_person("柴莉", association=business_association)
    outsider = make_person("王秘密")
    officer_only = make_person("楊海強")
    org_services.term_create(
        association=business_association,
        data={"person": officer_only, "title": AssociationTitle.DIRECTOR, "starts_on": datetime.date(2024, 12, 18)},
    )
    field = PersonPickerField(queryset=association_people(business_association.pk))
    field.limit_to(business_association.pk)
    html = field.widget.render("people", [str(member.pk)], attrs={"id": "id_people"})
    assert f'name="people" value="{member.pk}" checked' in html and "柴莉" in html
    assert f"within={business_association.pk}" in html and 'form=""' in html
    # The association's people: its members and its officers, with or without a membership row.
    chosen = field.clean([str(member.pk), str(president.pk), str(officer_only.pk)])
    assert set(chosen) == {member, president, officer_only}
    with pytest.raises(Exception) as exc:
        field.clean([str(outsider.pk)])
    assert exc.value.code == "invalid_choice"


def test_the_one_person_picker_offers_radio_buttons_and_accepts_one_of_its_queryset(
    client, officer_of, business_association, make_person, president
):
    member = make_person("柴莉", association=business_association)
    outsider = make_person("王秘密")
    field = OnePersonPickerField(queryset=association_people(business_association.pk))
    field.limit_to(business_association.pk)
    html = field.widget.render("person", member.pk, attrs={"id": "id_person"})
    assert f'type="radio" name="person" value="{member.pk}" checked' in html and "one=1" in html
    assert field.clean(str(president.pk)) == president
    with pytest.raises(Exception) as exc:
        field.clean(str(outsider.pk))
    assert exc.value.code == "invalid_choice"
    verified_client(client, officer_of)
    page = _pick(client, "chai", within=business_association.pk, one=1)
    assert f'type="radio" name="people" value="{member.pk}"' in page


def test_a_terms_holder_is_chosen_with_the_picker(client, officer_of, business_association, president):
    verified_client(client, officer_of)
    page = client.get(reverse("orgs:term-create", args=[business_association.pk])).content.decode()
    assert "data-picker" in page and f"within={business_association.pk}" in page
    assert '<select name="person"' not in page
