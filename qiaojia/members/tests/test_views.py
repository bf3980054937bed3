"""Member pages: bad input refused next to its field in the reader's language, the exact-ID
filter, concurrent edits of a person, repeated create forms, and the audited reveal."""

import datetime
import uuid

import pytest
from django.core.validators import EmailValidator
from django.forms import DateField
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy

from conftest import make_credit_code, make_id_number, verified_client
from qiaojia.accounts.models import Role
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.core.services import ConflictError
from qiaojia.core.validators import id_number_check_character, normalize_phone, validate_credit_code, validate_id_number
from qiaojia.members.models import Enterprise, IdKind, Membership, MembershipLevel, Person
from qiaojia.orgs.tests.helpers import (
    LANGUAGES,
    field_block,
    field_errors,
    input_value,
    message_in,
    text_of,
    validator_message,
)

pytestmark = pytest.mark.django_db

ID = make_id_number(321, "19850312")
FEB_30 = "41010219850230001" + id_number_check_character("41010219850230001")
WRONG_CHECK = ID[:-1] + next(c for c in "0123456789X" if c != ID[-1])
BIRTH_MISMATCH = gettext_lazy("The birth date does not match the one in the ID number.")
NO_CONSENT = gettext_lazy("An ID number can be kept only with the person's recorded consent.")


def add_data(association, **changes):
    """The add-member form as the browser posts it: a valid new member unless changed."""
    data = {
        "form_token": str(uuid.uuid4()),
        "name": "鄭秀蘭",
        "name_en": "Zheng Xiulan",
        "gender": "f",
        "birth_date": "1985-03-12",
        "overseas_status": "returned",
        "country": "CN",
        "phone": "138 1234 1234",
        "email": "xiulan@example.com",
        "id_kind": IdKind.RESIDENT_ID,
        "id_number": ID,
        "consent": "on",
        "association": association.pk,
        "level": MembershipLevel.MEMBER,
        "joined_on": "2024-01-01",
        "dues_status": "due",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def edit_data(person, page, **changes):
    """The person edit form as loaded in `page`, posted back with `changes`."""
    data = {
        name: input_value(page, name) or "" for name in ("name", "name_en", "birth_date", "phone", "email", "version")
    }
    data.update(
        {
            "gender": person.gender,
            "overseas_status": person.overseas_status,
            "country": person.country.code if person.country else "",
            "id_kind": person.id_kind,
            "id_number": "",
        }
    )
    data.update(changes)
    return data


def enterprise_data(association, **changes):
    data = {
        "form_token": str(uuid.uuid4()),
        "name": "河南中原貿易有限公司",
        "name_en": "",
        "credit_code": make_credit_code(6001),
        "industry": "F",
        "address": "",
        "association": association.pk,
        "level": MembershipLevel.MEMBER_UNIT,
        "joined_on": "2024-01-01",
    }
    data.update(changes)
    return data


def second_client(user):
    return verified_client(Client(), user)


# --- bad input, in every language ---------------------------------------------------------------

BAD_MEMBER_INPUT = {
    "id_check_character": (
        "id_number",
        {"id_number": WRONG_CHECK, "birth_date": ""},
        lambda lang: validator_message(lang, validate_id_number, WRONG_CHECK),
    ),
    "id_impossible_birth_date": (
        "id_number",
        {"id_number": FEB_30, "birth_date": ""},
        lambda lang: validator_message(lang, validate_id_number, FEB_30),
    ),
    "birth_date_disagrees_with_id": (
        "birth_date",
        {"birth_date": "1985-03-13"},
        lambda lang: message_in(lang, BIRTH_MISMATCH),
    ),
    "phone": (
        "phone",
        {"phone": "12345"},
        lambda lang: validator_message(lang, lambda v: normalize_phone(v, "CN"), "12345"),
    ),
    "phone_text": (
        "phone",
        {"phone": "call me"},
        lambda lang: validator_message(lang, lambda v: normalize_phone(v, "CN"), "call me"),
    ),
    "email": ("email", {"email": "xiulan@"}, lambda lang: message_in(lang, EmailValidator.message)),
    "birth_date_format": (
        "birth_date",
        {"birth_date": "1985-02-30", "id_number": "", "consent": None},
        lambda lang: message_in(lang, DateField.default_error_messages["invalid"]),
    ),
    "joined_on_format": (
        "joined_on",
        {"joined_on": "2024-13-01"},
        lambda lang: message_in(lang, DateField.default_error_messages["invalid"]),
    ),
    "no_consent": ("consent", {"consent": None}, lambda lang: message_in(lang, NO_CONSENT)),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", sorted(BAD_MEMBER_INPUT))
def test_member_add_refuses_bad_input_next_to_the_field_in_the_readers_language(
    login, staff_user, business_association, language, case
):
    field, changes, expected = BAD_MEMBER_INPUT[case]
    client = login(staff_user)
    client.cookies["django_language"] = language
    audit_before = AuditEntry.objects.count()
    response = client.post(reverse("members:person-create"), add_data(business_association, **changes))
    assert response.status_code == 400
    page = text_of(response)
    assert f'lang="{language}"' in page
    assert expected(language) in field_errors(page, field)
    assert "has-error" in page[page.index(f'id="field-{field}"') - 40 : page.index(f'id="field-{field}"')]
    wrongly_blamed = [
        name for name in ("name", "association", "level", "overseas_status", "country") if field_errors(page, name)
    ]
    assert not wrongly_blamed
    assert input_value(page, "name") == "鄭秀蘭"  # what was typed is kept
    assert not Person.objects.exists() and not Membership.objects.exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize(
    "accept, language", [("zh-CN,zh;q=0.9", "zh-hans"), ("zh-TW,zh;q=0.9", "zh-hant"), ("en-GB,en;q=0.8", "en")]
)
def test_member_add_error_follows_the_browsers_language(login, staff_user, business_association, accept, language):
    response = login(staff_user).post(
        reverse("members:person-create"),
        add_data(business_association, id_number=WRONG_CHECK, birth_date=""),
        HTTP_ACCEPT_LANGUAGE=accept,
    )
    assert response.status_code == 400
    assert validator_message(language, validate_id_number, WRONG_CHECK) in field_errors(text_of(response), "id_number")
    assert not Person.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_person_edit_refuses_a_bad_phone_and_keeps_the_record(login, staff_user, member_person, language):
    client = login(staff_user)
    client.cookies["django_language"] = language
    url = reverse("members:person-edit", args=[member_person.pk])
    audit_before = AuditEntry.objects.count()
    response = client.post(url, edit_data(member_person, text_of(client.get(url)), phone="555", email="a@"))
    assert response.status_code == 400
    page = text_of(response)
    assert validator_message(language, lambda v: normalize_phone(v, "CN"), "555") in field_errors(page, "phone")
    assert message_in(language, EmailValidator.message) in field_errors(page, "email")
    stored = Person.objects.get(pk=member_person.pk)
    assert stored.phone == "+8613812341234" and stored.version == member_person.version
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("language", LANGUAGES)
def test_person_edit_refuses_a_birth_date_that_disagrees_with_the_id_on_record(
    login, staff_user, member_person, language
):
    client = login(staff_user)
    client.cookies["django_language"] = language
    url = reverse("members:person-edit", args=[member_person.pk])
    response = client.post(url, edit_data(member_person, text_of(client.get(url)), birth_date="1990-01-01"))
    assert response.status_code == 400
    assert message_in(language, BIRTH_MISMATCH) in field_errors(text_of(response), "birth_date")
    assert Person.objects.get(pk=member_person.pk).birth_date == datetime.date(1985, 3, 12)


@pytest.mark.parametrize("language", LANGUAGES)
def test_enterprise_create_refuses_a_bad_credit_code_in_the_readers_language(
    login, staff_user, business_association, language
):
    bad = make_credit_code(6002)[:-1] + next(c for c in "0123456789" if c != make_credit_code(6002)[-1])
    client = login(staff_user)
    client.cookies["django_language"] = language
    audit_before = AuditEntry.objects.count()
    response = client.post(reverse("members:enterprise-create"), enterprise_data(business_association, credit_code=bad))
    assert response.status_code == 400
    page = text_of(response)
    assert validator_message(language, validate_credit_code, bad) in field_errors(page, "credit_code")
    assert bad in field_block(page, "credit_code")
    assert not Enterprise.objects.exists()
    assert AuditEntry.objects.count() == audit_before


# --- adding members -----------------------------------------------------------------------------


def test_member_add_page_saves_the_person_encrypted_with_consent(login, officer_of, business_association):
    response = login(officer_of).post(reverse("members:person-create"), add_data(business_association))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:person-list") + f"?association={business_association.pk}"
    person = Person.objects.get()
    assert person.phone == "+8613812341234"
    assert ID not in person.id_number_encrypted and person.consent_at is not None
    assert person.memberships.get().association == business_association


def test_member_add_page_posted_twice_makes_one_member_and_redirects_to_the_same_place(
    login, officer_of, business_association
):
    client = login(officer_of)
    data = add_data(business_association)
    first = client.post(reverse("members:person-create"), data)
    second = client.post(reverse("members:person-create"), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Person.objects.count() == 1 and Membership.objects.count() == 1


def test_member_add_page_without_id_number_posted_twice_makes_one_person(login, officer_of, business_association):
    client = login(officer_of)
    data = add_data(business_association, id_number="", consent=None, birth_date="")
    client.post(reverse("members:person-create"), data)
    second = client.post(reverse("members:person-create"), data)
    assert second.status_code == 302
    assert Person.objects.count() == 1 and Membership.objects.count() == 1


def test_member_add_page_with_a_registered_id_number_reuses_the_person(
    login, officer_of, make_user, business_association, other_association
):
    # The second officer serves both associations, so sees the person already registered (for one they
    # cannot see, see test_pending.py).
    login(officer_of).post(reverse("members:person-create"), add_data(business_association))
    both = make_user("officer_ab", Role.OFFICER, associations=[business_association, other_association])
    other = second_client(both)
    response = other.post(reverse("members:person-create"), add_data(other_association, name="鄭秀兰"))
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.name == "鄭秀蘭"
    assert sorted(person.memberships.values_list("association_id", flat=True)) == sorted(
        [business_association.pk, other_association.pk]
    )


def test_member_add_page_refuses_someone_already_a_current_member(login, officer_of, business_association):
    client = login(officer_of)
    client.post(reverse("members:person-create"), add_data(business_association))
    response = client.post(reverse("members:person-create"), add_data(business_association))
    assert response.status_code == 400
    assert 'class="alert alert-error"' in text_of(response)
    assert Membership.objects.count() == 1


def test_officer_cannot_add_a_member_to_another_association(login, officer_of, other_association):
    response = login(officer_of).post(reverse("members:person-create"), add_data(other_association))
    assert response.status_code == 400
    assert field_errors(text_of(response), "association")
    assert not Person.objects.exists()


def test_enterprise_create_posted_twice_makes_one_enterprise_and_redirects_to_it(
    login, officer_of, business_association
):
    client = login(officer_of)
    data = enterprise_data(business_association)
    first = client.post(reverse("members:enterprise-create"), data)
    enterprise = Enterprise.objects.get()
    assert first["Location"] == reverse("members:enterprise-detail", args=[enterprise.pk])
    second = client.post(reverse("members:enterprise-create"), data)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Enterprise.objects.count() == 1 and Membership.objects.count() == 1


# --- the exact-ID filter ------------------------------------------------------------------------


def _listed(client, id_number):
    """The exact-ID lookup is posted; the list it redirects to carries only the keyed hash."""
    response = client.post(reverse("members:person-list"), {"id_number": id_number})
    assert response.status_code == 302
    assert id_number not in response["Location"]
    return text_of(client.get(response["Location"]))


def test_person_list_finds_a_person_by_the_exact_id_number(
    login, staff_user, member_person, make_person, business_association
):
    make_person("王五", association=business_association, id_number=make_id_number(55, "19700101"))
    page = _listed(login(staff_user), id_number=make_id_number(7, "19850312"))
    assert "柴莉" in page and "王五" not in page


def test_person_list_never_finds_a_person_by_part_of_the_id_number(login, staff_user, member_person):
    client = login(staff_user)
    full = make_id_number(7, "19850312")
    for part in (full[:-1], full[:6], full[6:14], full[-4:], full[1:]):
        assert "柴莉" not in _listed(client, id_number=part), part


def test_person_list_id_filter_stays_within_the_officers_associations(login, officer_of_other, member_person):
    page = _listed(login(officer_of_other), id_number=make_id_number(7, "19850312"))
    assert "柴莉" not in page


# --- concurrent edits of a person ---------------------------------------------------------------


def test_person_edit_second_save_on_a_stale_version_is_a_conflict_that_keeps_the_typed_input(
    login, staff_user, officer_of, member_person
):
    url = reverse("members:person-edit", args=[member_person.pk])
    first = login(staff_user)
    second = second_client(officer_of)
    first_page, second_page = text_of(first.get(url)), text_of(second.get(url))
    v = member_person.version

    assert first.post(url, edit_data(member_person, first_page, name_en="Chai Li")).status_code == 302
    response = second.post(url, edit_data(member_person, second_page, name_en="Li Chai", email="li@example.org"))
    assert response.status_code == 409
    page = text_of(response)
    assert message_in("zh-hans", ConflictError.message) in page
    assert input_value(page, "name_en") == "Li Chai" and input_value(page, "email") == "li@example.org"
    assert input_value(page, "version") == str(v + 1)
    stored = Person.objects.get(pk=member_person.pk)
    assert stored.name_en == "Chai Li" and stored.email == "" and stored.version == v + 1

    again = second.post(url, edit_data(member_person, page))
    assert again.status_code == 302
    stored = Person.objects.get(pk=member_person.pk)
    assert (stored.name_en, stored.email, stored.version) == ("Li Chai", "li@example.org", v + 2)
    assert stored.phone == "+8613812341234"


def test_person_edit_shows_the_phone_masked_and_keeps_it_when_sent_back_unchanged(login, staff_user, member_person):
    client = login(staff_user)
    url = reverse("members:person-edit", args=[member_person.pk])
    page = text_of(client.get(url))
    assert input_value(page, "phone") == "138****1234"
    assert client.post(url, edit_data(member_person, page, public_title="")).status_code == 302
    assert Person.objects.get(pk=member_person.pk).phone == "+8613812341234"


def test_person_edit_changes_the_phone_when_a_new_one_is_typed(login, staff_user, member_person):
    client = login(staff_user)
    url = reverse("members:person-edit", args=[member_person.pk])
    response = client.post(url, edit_data(member_person, text_of(client.get(url)), phone="139 0000 1111"))
    assert response.status_code == 302
    assert Person.objects.get(pk=member_person.pk).phone == "+8613900001111"


def test_person_edit_clears_the_phone_when_emptied(login, staff_user, member_person):
    client = login(staff_user)
    url = reverse("members:person-edit", args=[member_person.pk])
    client.post(url, edit_data(member_person, text_of(client.get(url)), phone=""))
    assert Person.objects.get(pk=member_person.pk).phone == ""


def test_member_edits_their_own_record(login, member_user, member_person):
    client = login(member_user)
    url = reverse("members:person-edit", args=[member_person.pk])
    response = client.post(url, edit_data(member_person, text_of(client.get(url)), name_en="Chai Li"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_type="members.person", action=AuditAction.UPDATE)
    assert entry.actor_id == member_user.pk and entry.changes == {"name_en": ["", "Chai Li"]}


# --- reveal -------------------------------------------------------------------------------------


def _reveal(client, person, field):
    return client.post(reverse("members:person-reveal", args=[person.pk, field]))


@pytest.mark.parametrize("viewer", ["staff_user", "officer_of", "member_user"])
def test_reveal_returns_the_clear_value_and_writes_a_reveal_row(login, request, member_person, viewer):
    user = request.getfixturevalue(viewer)
    client = login(user)
    response = _reveal(client, member_person, "id_number")
    assert response.status_code == 200
    assert make_id_number(7, "19850312") in text_of(response)
    assert response["Cache-Control"] == "no-store"
    phone = _reveal(client, member_person, "phone")
    assert "13812341234" in text_of(phone).replace(" ", "")
    rows = AuditEntry.objects.filter(action=AuditAction.REVEAL, object_id=str(member_person.pk)).order_by("id")
    assert [r.changes["field"] for r in rows] == ["id_number", "phone"]
    assert {r.actor_id for r in rows} == {user.pk}


def test_reveal_is_not_found_for_an_officer_of_another_association(login, officer_of_other, member_person):
    client = login(officer_of_other)
    for field in ("phone", "id_number"):
        response = _reveal(client, member_person, field)
        assert response.status_code == 404
        assert make_id_number(7, "19850312") not in text_of(response)
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_reveal_of_an_unknown_field_is_not_found(login, staff_user, member_person):
    assert _reveal(login(staff_user), member_person, "email").status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_reveal_only_answers_post(login, staff_user, member_person):
    response = login(staff_user).get(reverse("members:person-reveal", args=[member_person.pk, "phone"]))
    assert response.status_code == 405
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_reveal_escapes_a_passport_number(login, staff_user, make_person):
    person = make_person("Lim Wei", id_kind=IdKind.PASSPORT, id_number="<B>E123</B>")
    response = _reveal(login(staff_user), person, "id_number")
    assert "<B>" not in text_of(response) and "&lt;B&gt;E123&lt;/B&gt;" in text_of(response)


def test_a_member_corrects_only_their_own_details_and_the_change_is_versioned_and_audited(
    login, member_user, member_person
):
    client = login(member_user)
    url = reverse("members:person-edit", args=[member_person.pk])
    page = text_of(client.get(url))
    assert 'name="phone"' in page and 'name="id_number"' not in page and 'name="name"' not in page
    response = client.post(
        url,
        {
            "version": member_person.version,
            "name": "改名",
            "is_deputy": "on",
            "name_en": "",
            "phone": "+8613900001111",
            "email": "chai@example.com",
            "country": "CN",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("home:mine")
    member_person.refresh_from_db()
    assert member_person.name == "柴莉" and not member_person.is_deputy
    assert member_person.phone == "+8613900001111" and member_person.email == "chai@example.com"
    entry = AuditEntry.objects.get(object_type="members.person", action=AuditAction.UPDATE)
    assert entry.actor_id == member_user.pk and {"phone", "email"} <= set(entry.changes)
    assert not {"name", "is_deputy", "id_number_hash"} & set(entry.changes)
    # A second form opened on the old version cannot quietly undo it.
    stale = client.post(url, {"version": member_person.version - 1, "phone": "+8613900002222", "country": "CN"})
    assert stale.status_code in (400, 409)
    member_person.refresh_from_db()
    assert member_person.phone == "+8613900001111"


def test_a_member_sees_no_edit_link_on_their_membership_and_cannot_open_it(login, member_user, member_person):
    client = login(member_user)
    page = text_of(client.get(reverse("members:person-detail", args=[member_person.pk])))
    membership = member_person.memberships.get()
    assert reverse("members:membership-edit", args=[membership.pk]) not in page
    assert client.get(reverse("members:membership-edit", args=[membership.pk])).status_code == 404
