"""The registry's write path: one audit row per change, in the change's transaction; search keys;
stale edits refused; repeated create forms; and an audit trail nobody can rewrite."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from conftest import make_credit_code
from qiaojia.core import services as core_services
from qiaojia.core.models import AuditAction, AuditEntry, FormSubmission
from qiaojia.core.services import AlreadySubmitted, ConflictError
from qiaojia.orgs import services
from qiaojia.orgs.models import Association, AssociationKind, AssociationStatus, AssociationTitle, Term
from qiaojia.orgs.tests.helpers import acting_as

pytestmark = pytest.mark.django_db


def _data(department, **extra):
    return {
        "name": "河南省僑青會",
        "kind": AssociationKind.YOUTH,
        "supervising_department": department,
        "credit_code": make_credit_code(4001),
        "founded_on": datetime.date(2015, 6, 1),
        **extra,
    }


def _entries(instance):
    return AuditEntry.objects.filter(object_type=instance._meta.label_lower, object_id=str(instance.pk))


# --- create -------------------------------------------------------------------------------------


def test_association_create_writes_exactly_one_create_audit_row(federation, liaison_department, staff_user):
    before = AuditEntry.objects.count()
    with acting_as(staff_user, ip="10.9.8.7", request_id="req-create-0001"):
        association = services.association_create(federation=federation, data=_data(liaison_department))
    assert AuditEntry.objects.count() == before + 1
    entry = _entries(association).get()
    assert entry.action == AuditAction.CREATE
    assert entry.actor_id == staff_user.pk and entry.actor_username == "staff"
    assert entry.ip_address == "10.9.8.7"
    assert entry.request_id == "req-create-0001"
    assert timezone.is_aware(entry.at)
    assert abs((timezone.now() - entry.at).total_seconds()) < 60
    assert entry.association_id == association.pk
    assert entry.changes["name"] == [None, "河南省僑青會"]
    assert entry.changes["credit_code"] == [None, make_credit_code(4001)]
    assert entry.changes["supervising_department"] == [None, liaison_department.pk]


def test_association_create_audit_leaves_out_empty_fields_and_search_keys(federation, liaison_department):
    association = services.association_create(federation=federation, data=_data(liaison_department))
    changes = _entries(association).get().changes
    assert "website" not in changes and "address" not in changes
    assert not {"name_key", "name_pinyin", "name_initials", "version", "created_at"} & set(changes)


def test_association_create_normalises_the_credit_code(federation, liaison_department):
    code = make_credit_code(4002)
    association = services.association_create(
        federation=federation, data=_data(liaison_department, credit_code=f"  {code.lower()} ")
    )
    assert association.credit_code == code


def test_association_create_stores_an_empty_credit_code_as_null(federation, liaison_department):
    first = services.association_create(federation=federation, data=_data(liaison_department, credit_code=""))
    second = services.association_create(
        federation=federation, data=_data(liaison_department, name="河南省僑界婦女聯誼會", credit_code="")
    )
    assert first.credit_code is None and second.credit_code is None


def test_association_create_refuses_a_bad_credit_code_and_writes_nothing(federation, liaison_department):
    bad = make_credit_code(4003)[:-1] + ("0" if make_credit_code(4003)[-1] != "0" else "1")
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.association_create(federation=federation, data=_data(liaison_department, credit_code=bad))
    assert "credit_code" in exc.value.message_dict
    assert not Association.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_association_create_refuses_a_duplicate_name(federation, liaison_department, business_association):
    with pytest.raises(ValidationError) as exc:
        services.association_create(
            federation=federation, data=_data(liaison_department, name=business_association.name)
        )
    assert "name" in exc.value.message_dict


def test_association_create_failing_after_the_insert_leaves_neither_record_nor_audit_row(
    federation, liaison_department, monkeypatch
):
    def broken_audit(**kwargs):
        assert Association.objects.filter(name="河南省僑青會").exists()  # the insert did happen
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(core_services, "audit_log", broken_audit)
    with pytest.raises(RuntimeError):
        services.association_create(federation=federation, data=_data(liaison_department))
    assert not Association.objects.filter(name="河南省僑青會").exists()
    assert not AuditEntry.objects.filter(object_type="orgs.association").exists()


def test_association_create_rolled_back_by_the_caller_leaves_neither_record_nor_audit_row(
    federation, liaison_department
):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.association_create(federation=federation, data=_data(liaison_department))
        raise RuntimeError("the caller fails after the service")
    assert not Association.objects.exists()
    assert not AuditEntry.objects.exists()


# --- update -------------------------------------------------------------------------------------


def test_association_update_audits_only_the_changed_fields(business_association, staff_user):
    v = business_association.version
    with acting_as(staff_user, ip="10.0.0.5", request_id="req-update-0001"):
        updated = services.association_update(
            association=business_association,
            expected_version=v,
            data={"name": business_association.name, "address": "鄭州市金水路1號", "status": AssociationStatus.ACTIVE},
        )
    assert updated.version == v + 1
    entry = _entries(business_association).filter(action=AuditAction.UPDATE).get()
    assert entry.changes == {"address": ["", "鄭州市金水路1號"]}
    assert entry.actor_id == staff_user.pk and entry.actor_username == staff_user.username
    assert entry.ip_address == "10.0.0.5" and entry.request_id == "req-update-0001"
    assert timezone.is_aware(entry.at)


def test_association_update_writes_one_row_for_several_changed_fields(business_association):
    before = AuditEntry.objects.count()
    services.association_update(
        association=business_association,
        expected_version=business_association.version,
        data={"address": "鄭州市", "website": "https://example.org", "status": AssociationStatus.IRREGULAR},
    )
    assert AuditEntry.objects.count() == before + 1
    entry = _entries(business_association).filter(action=AuditAction.UPDATE).get()
    assert set(entry.changes) == {"address", "website", "status"}
    assert entry.changes["status"] == [AssociationStatus.ACTIVE, AssociationStatus.IRREGULAR]


def test_association_update_without_a_change_writes_no_audit_row(business_association):
    before = AuditEntry.objects.count()
    services.association_update(
        association=business_association,
        expected_version=business_association.version,
        data={"name": business_association.name, "address": ""},
    )
    assert AuditEntry.objects.count() == before


def test_association_update_failing_after_the_write_leaves_the_record_unchanged(business_association, monkeypatch):
    v = business_association.version

    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(core_services, "audit_log", broken_audit)
    with pytest.raises(RuntimeError):
        services.association_update(association=business_association, expected_version=v, data={"address": "鄭州市"})
    stored = Association.objects.get(pk=business_association.pk)
    assert stored.address == "" and stored.version == v
    assert not _entries(business_association).filter(action=AuditAction.UPDATE).exists()


def test_association_update_refused_by_full_clean_changes_nothing(business_association, other_association):
    v = business_association.version
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.association_update(
            association=business_association,
            expected_version=v,
            data={"name": other_association.name, "address": "鄭州市"},
        )
    assert "name" in exc.value.message_dict
    stored = Association.objects.get(pk=business_association.pk)
    assert stored.name == "河南省僑商聯合會" and stored.address == "" and stored.version == v
    assert AuditEntry.objects.count() == before


def test_association_update_refuses_a_bad_website(business_association):
    with pytest.raises(ValidationError) as exc:
        services.association_update(
            association=business_association,
            expected_version=business_association.version,
            data={"website": "not a url"},
        )
    assert "website" in exc.value.message_dict


# --- search keys --------------------------------------------------------------------------------


def test_association_create_sets_the_search_keys_from_the_simplified_name(federation, liaison_department):
    association = services.association_create(
        federation=federation, data=_data(liaison_department, name="河南省僑商聯合會")
    )
    assert association.name == "河南省僑商聯合會"  # the registered name is never converted
    assert association.name_key == "河南省侨商联合会"
    assert association.name_pinyin == "henanshengqiaoshanglianhehui"
    assert association.name_initials == "hnsqslhh"


def test_association_update_recomputes_the_search_keys_when_the_name_changes(business_association):
    updated = services.association_update(
        association=business_association,
        expected_version=business_association.version,
        data={"name": "鄭州市僑界聯誼會"},
    )
    stored = Association.objects.get(pk=updated.pk)
    assert stored.name_key == "郑州市侨界联谊会"
    assert stored.name_pinyin == "zhengzhoushiqiaojielianyihui"
    assert stored.name_initials == "zzsqjlyh"


def test_association_update_of_other_fields_keeps_the_search_keys(business_association):
    keys = (business_association.name_key, business_association.name_pinyin, business_association.name_initials)
    services.association_update(
        association=business_association, expected_version=business_association.version, data={"address": "鄭州市"}
    )
    stored = Association.objects.get(pk=business_association.pk)
    assert (stored.name_key, stored.name_pinyin, stored.name_initials) == keys


# --- concurrent edits ---------------------------------------------------------------------------


def test_association_update_second_editor_with_a_stale_version_gets_a_conflict(business_association):
    first = Association.objects.get(pk=business_association.pk)
    second = Association.objects.get(pk=business_association.pk)
    v = first.version
    services.association_update(association=first, expected_version=v, data={"address": "第一位的地址"})
    with pytest.raises(ConflictError):
        services.association_update(association=second, expected_version=v, data={"address": "第二位的地址"})
    stored = Association.objects.get(pk=business_association.pk)
    assert stored.address == "第一位的地址" and stored.version == v + 1
    assert _entries(business_association).filter(action=AuditAction.UPDATE).count() == 1


def test_association_update_with_the_new_version_after_a_conflict_succeeds(business_association):
    v = business_association.version
    services.association_update(association=business_association, expected_version=v, data={"address": "甲"})
    services.association_update(association=business_association, expected_version=v + 1, data={"address": "乙"})
    assert Association.objects.get(pk=business_association.pk).address == "乙"


def test_association_update_of_a_deleted_record_is_a_conflict(business_association):
    stale = Association(pk=10**9, version=1)
    with pytest.raises(ConflictError):
        services.association_update(association=stale, expected_version=1, data={"address": "甲"})


def test_conflict_error_message_is_translatable():
    with translation.override("en"):
        assert "changed this record" in str(ConflictError.message)


# --- repeated create forms ----------------------------------------------------------------------


def test_association_create_with_a_used_form_token_makes_one_record(federation, liaison_department):
    token = uuid.uuid4()
    association = services.association_create(federation=federation, data=_data(liaison_department), form_token=token)
    with pytest.raises(AlreadySubmitted) as exc:
        services.association_create(federation=federation, data=_data(liaison_department), form_token=token)
    assert exc.value.object_id == str(association.pk)
    assert Association.objects.count() == 1
    assert FormSubmission.objects.get(token=token).object_id == str(association.pk)


def test_association_create_rolled_back_releases_its_form_token(federation, liaison_department):
    token = uuid.uuid4()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.association_create(federation=federation, data=_data(liaison_department), form_token=token)
        raise RuntimeError
    association = services.association_create(federation=federation, data=_data(liaison_department), form_token=token)
    assert Association.objects.get() == association


# --- other registry services --------------------------------------------------------------------


def test_term_create_and_end_each_write_one_audit_row_for_the_association(business_association, make_person):
    person = make_person("曾小明", association=business_association)
    term = services.term_create(
        association=business_association,
        data={
            "person": person,
            "title": AssociationTitle.PRESIDENT,
            "starts_on": datetime.date(2023, 1, 1),
            "ends_on": datetime.date(2027, 12, 31),
        },
    )
    services.term_end(term=term, expected_version=term.version, ends_on=datetime.date(2025, 1, 1))
    rows = _entries(term)
    assert [r.action for r in rows.order_by("id")] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert {r.association_id for r in rows} == {business_association.pk}
    assert rows.get(action=AuditAction.UPDATE).changes == {"ends_on": ["2027-12-31", "2025-01-01"]}


def test_term_create_refuses_an_end_before_the_start(business_association, make_person):
    person = make_person("曾小明", association=business_association)
    with pytest.raises(ValidationError):
        services.term_create(
            association=business_association,
            data={
                "person": person,
                "title": AssociationTitle.PRESIDENT,
                "starts_on": datetime.date(2025, 1, 1),
                "ends_on": datetime.date(2024, 1, 1),
            },
        )
    assert not Term.objects.exists()


def test_term_delete_writes_a_delete_audit_row(business_association, make_person):
    person = make_person("曾小明", association=business_association)
    term = services.term_create(
        association=business_association,
        data={"person": person, "title": AssociationTitle.DIRECTOR, "starts_on": datetime.date(2023, 1, 1)},
    )
    pk = term.pk
    services.term_delete(term=term, expected_version=term.version)
    assert not Term.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(object_type="orgs.term", object_id=str(pk), action=AuditAction.DELETE).count() == 1


def test_term_delete_with_a_stale_version_is_a_conflict(business_association, make_person):
    person = make_person("曾小明", association=business_association)
    term = services.term_create(
        association=business_association,
        data={"person": person, "title": AssociationTitle.DIRECTOR, "starts_on": datetime.date(2023, 1, 1)},
    )
    with pytest.raises(ConflictError):
        services.term_delete(term=term, expected_version=term.version + 1)
    assert Term.objects.filter(pk=term.pk).exists()


# --- the audit trail cannot be changed ----------------------------------------------------------


@pytest.fixture
def audit_entry(business_association):
    return _entries(business_association).get()


def test_audit_entry_cannot_be_saved_again(audit_entry):
    audit_entry.actor_username = "someone-else"
    with pytest.raises(PermissionError):
        audit_entry.save()
    assert AuditEntry.objects.get(pk=audit_entry.pk).actor_username != "someone-else"


def test_audit_entry_cannot_be_deleted(audit_entry):
    with pytest.raises(PermissionError):
        audit_entry.delete()
    assert AuditEntry.objects.filter(pk=audit_entry.pk).exists()


def test_audit_queryset_cannot_be_updated(audit_entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=audit_entry.pk).update(actor_username="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(changes={})
    assert AuditEntry.objects.get(pk=audit_entry.pk).actor_username == audit_entry.actor_username


def test_audit_queryset_cannot_be_deleted(audit_entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=audit_entry.pk).delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=audit_entry.pk).exists()


def test_audit_entries_cannot_be_bulk_updated(audit_entry):
    audit_entry.actor_username = "x"
    with pytest.raises(PermissionError):
        AuditEntry.objects.bulk_update([audit_entry], ["actor_username"])
