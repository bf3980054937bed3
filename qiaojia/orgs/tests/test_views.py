"""The registry's pages: concurrent edits, repeated create forms, bad input in every language,
officers' limits on the profile, the term-change warning, and the audit trail a page leaves."""

import datetime
import uuid

import pytest
from django.core.validators import URLValidator
from django.forms import DateField
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_credit_code, verified_client
from qiaojia.core.chinese import to_simplified
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.core.services import ConflictError
from qiaojia.core.validators import validate_credit_code
from qiaojia.orgs import services
from qiaojia.orgs.models import Association, AssociationKind, AssociationStatus, AssociationTitle, Department
from qiaojia.orgs.tests.helpers import (
    LANGUAGES,
    field_block,
    field_errors,
    input_value,
    is_disabled,
    message_in,
    text_of,
    validator_message,
)

pytestmark = pytest.mark.django_db

REGISTRATION_FIELDS = ("name", "credit_code", "status", "supervising_department", "kind")


def edit_data(association, **changes):
    """The edit form as the browser would post it, for the record as `association` holds it."""
    data = {
        "name": association.name,
        "name_en": association.name_en,
        "short_name": association.short_name,
        "kind": association.kind,
        "credit_code": association.credit_code or "",
        "founded_on": association.founded_on.isoformat() if association.founded_on else "",
        "supervising_department": association.supervising_department_id,
        "status": association.status,
        "address": association.address,
        "website": association.website,
        "description": association.description,
        "version": association.version,
    }
    data.update(changes)
    return data


def create_data(department, **changes):
    data = {
        "name": "河南省僑界青年聯合會",
        "name_en": "",
        "short_name": "",
        "kind": AssociationKind.YOUTH,
        "credit_code": make_credit_code(5001),
        "founded_on": "2016-08-08",
        "supervising_department": department.pk,
        "status": AssociationStatus.ACTIVE,
        "address": "",
        "website": "",
        "description": "",
        "form_token": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def second_client(user):
    return verified_client(Client(), user)


# --- concurrent edits ---------------------------------------------------------------------------


def test_association_edit_second_save_on_a_stale_version_is_a_conflict_that_keeps_the_typed_input(
    login, staff_user, officer_of, business_association
):
    url = reverse("orgs:association-edit", args=[business_association.pk])
    first = login(staff_user)
    second = second_client(officer_of)
    v = business_association.version
    assert input_value(text_of(first.get(url)), "version") == str(v)
    assert input_value(text_of(second.get(url)), "version") == str(v)

    response = first.post(url, edit_data(business_association, address="第一位寫的地址"))
    assert response.status_code == 302

    response = second.post(url, edit_data(business_association, address="第二位寫的地址", description="第二位的介紹"))
    assert response.status_code == 409
    page = text_of(response)
    assert 'id="conflict"' in page
    assert message_in("zh-hans", ConflictError.message) in page
    assert input_value(page, "address") == "第二位寫的地址"
    assert "第二位的介紹" in page
    assert input_value(page, "version") == str(v + 1)  # the re-submit carries the new version
    stored = Association.objects.get(pk=business_association.pk)
    assert stored.address == "第一位寫的地址" and stored.description == "" and stored.version == v + 1
    assert AuditEntry.objects.filter(object_type="orgs.association", action=AuditAction.UPDATE).count() == 1


def test_association_edit_resubmitted_from_the_conflict_page_saves(login, staff_user, officer_of, business_association):
    url = reverse("orgs:association-edit", args=[business_association.pk])
    first = login(staff_user)
    second = second_client(officer_of)
    first.post(url, edit_data(business_association, address="第一位寫的地址"))
    conflict = second.post(url, edit_data(business_association, address="第二位寫的地址"))
    assert conflict.status_code == 409
    new_version = input_value(text_of(conflict), "version")

    response = second.post(url, edit_data(business_association, address="第二位寫的地址", version=new_version))
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:association-detail", args=[business_association.pk])
    stored = Association.objects.get(pk=business_association.pk)
    assert stored.address == "第二位寫的地址" and stored.version == business_association.version + 2


def test_association_edit_conflict_page_is_shown_in_the_readers_language(login, staff_user, business_association):
    url = reverse("orgs:association-edit", args=[business_association.pk])
    client = login(staff_user)
    client.post(url, edit_data(business_association, address="甲"))
    for language in LANGUAGES:
        client.cookies["django_language"] = language
        response = client.post(url, edit_data(business_association, address="乙"))
        assert response.status_code == 409
        assert message_in(language, ConflictError.message) in text_of(response)


# --- repeated create forms ----------------------------------------------------------------------


def test_association_create_posted_twice_with_one_token_makes_one_record_and_redirects_to_it(
    login, staff_user, liaison_department, federation
):
    client = login(staff_user)
    url = reverse("orgs:association-create")
    data = create_data(liaison_department)
    first = client.post(url, data)
    assert first.status_code == 302
    association = Association.objects.get(name="河南省僑界青年聯合會")
    assert first["Location"] == reverse("orgs:association-detail", args=[association.pk])

    second = client.post(url, data)
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Association.objects.filter(name="河南省僑界青年聯合會").count() == 1
    assert AuditEntry.objects.filter(object_type="orgs.association", object_id=str(association.pk)).count() == 1


def test_association_create_page_hands_out_a_fresh_token_each_time(login, staff_user, federation):
    client = login(staff_user)
    url = reverse("orgs:association-create")
    first = input_value(text_of(client.get(url)), "form_token")
    second = input_value(text_of(client.get(url)), "form_token")
    assert first and second and first != second
    uuid.UUID(first)


# --- bad input, in every language ---------------------------------------------------------------


def _bad_credit_code():
    good = make_credit_code(5002)
    return good[:-1] + next(c for c in "0123456789" if c != good[-1])


BAD_CREATE_INPUT = {
    "credit_code_check": (
        "credit_code",
        _bad_credit_code(),
        lambda lang: validator_message(lang, validate_credit_code, _bad_credit_code()),
    ),
    "credit_code_length": (
        "credit_code",
        "51410000MJ00",
        lambda lang: validator_message(lang, validate_credit_code, "51410000MJ00"),
    ),
    "credit_code_alphabet": (
        "credit_code",
        "51410000MJ000000I0",
        lambda lang: validator_message(lang, validate_credit_code, "51410000MJ000000I0"),
    ),
    "founding_date": (
        "founded_on",
        "2016-02-30",
        lambda lang: message_in(lang, DateField.default_error_messages["invalid"]),
    ),
    "website": ("website", "not a web address", lambda lang: message_in(lang, URLValidator.message)),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", sorted(BAD_CREATE_INPUT))
def test_association_create_refuses_bad_input_next_to_the_field_in_the_readers_language(
    login, staff_user, liaison_department, federation, language, case
):
    field, value, expected = BAD_CREATE_INPUT[case]
    client = login(staff_user)
    client.cookies["django_language"] = language
    audit_before = AuditEntry.objects.count()
    response = client.post(reverse("orgs:association-create"), create_data(liaison_department, **{field: value}))
    assert response.status_code == 400
    page = text_of(response)
    assert expected(language) in field_errors(page, field)
    assert value in field_block(page, field)  # what was typed is kept
    others = [name for name in ("name", "kind", "supervising_department", "status") if field_errors(page, name)]
    assert not others
    assert not Association.objects.exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("language", LANGUAGES)
def test_association_edit_refuses_a_bad_credit_code_and_keeps_the_record(
    login, staff_user, business_association, language
):
    client = login(staff_user)
    client.cookies["django_language"] = language
    audit_before = AuditEntry.objects.count()
    url = reverse("orgs:association-edit", args=[business_association.pk])
    response = client.post(url, edit_data(business_association, credit_code=_bad_credit_code(), address="鄭州"))
    assert response.status_code == 400
    assert validator_message(language, validate_credit_code, _bad_credit_code()) in field_errors(
        text_of(response), "credit_code"
    )
    stored = Association.objects.get(pk=business_association.pk)
    assert stored.credit_code == business_association.credit_code and stored.address == ""
    assert stored.version == business_association.version
    assert AuditEntry.objects.count() == audit_before


def test_association_create_with_a_taken_name_shows_the_error_at_the_name(
    login, staff_user, liaison_department, business_association
):
    client = login(staff_user)
    response = client.post(
        reverse("orgs:association-create"), create_data(liaison_department, name=business_association.name)
    )
    assert response.status_code == 400
    assert field_errors(text_of(response), "name")
    assert Association.objects.filter(name=business_association.name).count() == 1


def test_association_create_accepts_a_lower_case_credit_code(login, staff_user, liaison_department, federation):
    code = make_credit_code(5003)
    response = login(staff_user).post(
        reverse("orgs:association-create"), create_data(liaison_department, credit_code=code.lower())
    )
    assert response.status_code == 302
    assert Association.objects.get().credit_code == code


# --- who may change what ------------------------------------------------------------------------


def test_officer_sees_the_registration_fields_disabled(login, officer_of, business_association):
    page = text_of(login(officer_of).get(reverse("orgs:association-edit", args=[business_association.pk])))
    for name in REGISTRATION_FIELDS:
        assert is_disabled(page, name), name
    for name in ("name_en", "short_name", "address", "website", "description"):
        assert not is_disabled(page, name), name


def test_staff_sees_the_registration_fields_enabled(login, staff_user, business_association):
    page = text_of(login(staff_user).get(reverse("orgs:association-edit", args=[business_association.pk])))
    for name in REGISTRATION_FIELDS:
        assert not is_disabled(page, name), name


def test_officer_cannot_change_registration_fields_but_saves_the_profile(
    login, officer_of, business_association, federation
):
    other_department = Department.objects.create(federation=federation, name="辦公室")
    client = login(officer_of)
    response = client.post(
        reverse("orgs:association-edit", args=[business_association.pk]),
        edit_data(
            business_association,
            name="被改的名稱",
            credit_code=make_credit_code(5004),
            status=AssociationStatus.DEREGISTERED,
            supervising_department=other_department.pk,
            kind=AssociationKind.WOMEN,
            address="鄭州市金水區",
            name_en="Henan Overseas Chinese Business Association",
        ),
    )
    assert response.status_code == 302
    stored = Association.objects.get(pk=business_association.pk)
    assert stored.name == "河南省僑商聯合會"
    assert stored.credit_code == business_association.credit_code
    assert stored.status == AssociationStatus.ACTIVE
    assert stored.supervising_department_id == business_association.supervising_department_id
    assert stored.kind == AssociationKind.BUSINESS
    assert stored.address == "鄭州市金水區"
    assert stored.name_en == "Henan Overseas Chinese Business Association"
    entry = AuditEntry.objects.get(object_type="orgs.association", action=AuditAction.UPDATE)
    assert set(entry.changes) == {"address", "name_en"}
    assert entry.actor_id == officer_of.pk


def test_staff_can_change_registration_fields(login, staff_user, business_association, federation):
    other_department = Department.objects.create(federation=federation, name="辦公室")
    code = make_credit_code(5005)
    response = login(staff_user).post(
        reverse("orgs:association-edit", args=[business_association.pk]),
        edit_data(
            business_association,
            name="河南省華僑商會",
            credit_code=code,
            status=AssociationStatus.IRREGULAR,
            supervising_department=other_department.pk,
            kind=AssociationKind.PROFESSIONAL,
        ),
    )
    assert response.status_code == 302
    stored = Association.objects.get(pk=business_association.pk)
    assert (stored.name, stored.credit_code, stored.status, stored.supervising_department_id, stored.kind) == (
        "河南省華僑商會",
        code,
        AssociationStatus.IRREGULAR,
        other_department.pk,
        AssociationKind.PROFESSIONAL,
    )
    assert stored.name_pinyin == "henanshenghuaqiaoshanghui"


@pytest.mark.parametrize("method", ["get", "post"])
def test_officer_cannot_open_another_associations_edit_page(login, officer_of, other_association, method):
    client = login(officer_of)
    url = reverse("orgs:association-edit", args=[other_association.pk])
    response = getattr(client, method)(url, edit_data(other_association, address="越權") if method == "post" else None)
    assert response.status_code == 404
    assert Association.objects.get(pk=other_association.pk).address == ""


def test_officer_cannot_create_an_association(login, officer_of, liaison_department):
    response = login(officer_of).post(reverse("orgs:association-create"), create_data(liaison_department))
    assert response.status_code == 404
    assert not Association.objects.filter(name="河南省僑界青年聯合會").exists()


# --- the term-change warning --------------------------------------------------------------------


@pytest.fixture
def terms(business_association, make_person, today):
    soon = make_person("曾志偉", association=business_association)
    later = make_person("單雄信", association=business_association)
    year_ago = today - datetime.timedelta(days=365)
    ending_soon = services.term_create(
        association=business_association,
        data={
            "person": soon,
            "title": AssociationTitle.PRESIDENT,
            "starts_on": year_ago,
            "ends_on": today + datetime.timedelta(days=60),
        },
    )
    ending_later = services.term_create(
        association=business_association,
        data={
            "person": later,
            "title": AssociationTitle.SECRETARY_GENERAL,
            "starts_on": year_ago,
            "ends_on": today + datetime.timedelta(days=200),
        },
    )
    return ending_soon, ending_later


def _warnings(page):
    return page.count('class="alert alert-warning"')


def test_association_detail_warns_of_a_term_ending_within_90_days_only(login, staff_user, business_association, terms):
    page = text_of(login(staff_user).get(reverse("orgs:association-detail", args=[business_association.pk])))
    assert _warnings(page) == 1
    warning = page[page.index('class="alert alert-warning"') :]
    warning = warning[: warning.index("</div>")]
    assert "曾志偉" in warning and "單雄信" not in warning


def test_home_lists_a_term_ending_within_90_days_only(login, officer_of, terms):
    page = text_of(login(officer_of).get(reverse("home:index")))
    assert "曾志偉" in page
    assert "單雄信" not in page


def test_association_list_tags_an_association_whose_term_ends_soon(
    login, staff_user, business_association, other_association, terms
):
    page = text_of(login(staff_user).get(reverse("orgs:association-list")))
    row_a = page[page.index(to_simplified(business_association.name)) :]
    row_a = row_a[: row_a.index("</tr>")]
    row_b = page[page.index(to_simplified(other_association.name)) :]
    row_b = row_b[: row_b.index("</tr>")]
    assert "tag-orange" in row_a and "tag-orange" not in row_b


def test_no_warning_when_the_only_term_ends_in_200_days(login, staff_user, business_association, make_person, today):
    person = make_person("單雄信", association=business_association)
    services.term_create(
        association=business_association,
        data={
            "person": person,
            "title": AssociationTitle.PRESIDENT,
            "starts_on": today - datetime.timedelta(days=30),
            "ends_on": today + datetime.timedelta(days=200),
        },
    )
    client = login(staff_user)
    assert _warnings(text_of(client.get(reverse("orgs:association-detail", args=[business_association.pk])))) == 0
    assert "單雄信" not in text_of(client.get(reverse("home:index")))


def test_a_term_that_already_ended_raises_no_warning(login, staff_user, business_association, make_person, today):
    person = make_person("曾志偉", association=business_association)
    services.term_create(
        association=business_association,
        data={
            "person": person,
            "title": AssociationTitle.PRESIDENT,
            "starts_on": today - datetime.timedelta(days=900),
            "ends_on": today - datetime.timedelta(days=1),
        },
    )
    client = login(staff_user)
    assert _warnings(text_of(client.get(reverse("orgs:association-detail", args=[business_association.pk])))) == 0
    assert "曾志偉" not in text_of(client.get(reverse("home:index")))


# --- the audit trail of a page ------------------------------------------------------------------


def test_a_saved_edit_page_leaves_an_audit_row_naming_the_user_address_and_request(
    login, staff_user, business_association
):
    client = login(staff_user)
    response = client.post(
        reverse("orgs:association-edit", args=[business_association.pk]),
        edit_data(business_association, address="鄭州"),
        HTTP_X_REQUEST_ID="browser-req-0001",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "browser-req-0001"
    entry = AuditEntry.objects.get(object_type="orgs.association", action=AuditAction.UPDATE)
    assert (entry.actor_id, entry.actor_username) == (staff_user.pk, staff_user.username)
    assert entry.ip_address == "203.0.113.9"
    assert entry.request_id == "browser-req-0001"
    assert timezone.is_aware(entry.at)
    assert entry.association_id == business_association.pk
    assert entry.changes == {"address": ["", "鄭州"]}


def test_audit_list_shows_the_change_to_an_administrator(login, admin_user, staff_user, business_association):
    staff = second_client(staff_user)
    staff.post(
        reverse("orgs:association-edit", args=[business_association.pk]),
        edit_data(business_association, address="鄭州市金水路"),
    )
    page = text_of(login(admin_user).get(reverse("home:audit-list") + "?action=update"))
    assert "郑州市金水路" in page and staff_user.username in page  # the address in the reader's script
