"""The import takes over no one: a row naming a person (ID number) or an enterprise (credit code)
registered outside the importer's associations waits for the federation's confirmation, and the
check page says only that a match will be reviewed, never what matched."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_credit_code, make_id_number, verified_client
from qiaojia.core.models import AuditEntry
from qiaojia.imports import checking, services
from qiaojia.imports.models import ImportStatus
from qiaojia.jobs import services as jobs
from qiaojia.members import services as member_services
from qiaojia.members.models import Enterprise, Membership, MembershipLevel, PendingMembership, PendingStatus, Person
from qiaojia.notifications.models import Notification
from qiaojia.orgs.tests.helpers import text_of

from .conftest import csv_upload, read_upload

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "性别", "出生日期", "手机", "身份证号", "级别", "入会日期"]
ID = make_id_number(7, "19850312")  # member_person's: 柴莉, +8613812341234, of business_association
CODE = make_credit_code(7101)
ENTERPRISE_HEADERS = ["企业名称", "统一社会信用代码", "姓名", "手机", "身份证号"]


def _import(owner, association, rows, *, headers=HEADERS):
    """Upload, read, map and check, running the jobs as the worker would."""
    imp = read_upload(owner, association, csv_upload([headers, *rows]))
    imp = services.import_map(imp=imp, mapping=imp.mapping, consent=True)
    jobs.run_pending()
    imp.refresh_from_db()
    return imp


def _codes(imp):
    return {row: [code for code, _params in found] for row, found in imp.problems}


def _texts(imp) -> str:
    return " ".join(checking.problem_text(code, params) for _row, found in imp.problems for code, params in found)


@pytest.fixture
def a_enterprise(business_association, member_person):
    enterprise = member_services.enterprise_create(
        data={"name": "柴氏秘密實業有限公司", "credit_code": CODE, "representative": member_person}
    )
    member_services.membership_create(
        association=business_association,
        enterprise=enterprise,
        data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": datetime.date(2020, 1, 1)},
    )
    return enterprise


def test_import_row_with_another_associations_id_number_waits_for_confirmation(
    member_person, officer_of_other, other_association, staff_user
):
    imp = _import(officer_of_other, other_association, [["冒名", "女", "", "13900002222", ID, "", "2024-02-01"]])
    assert _codes(imp) == {2: ["pending_review"]} and imp.can_commit
    assert "柴莉" not in _texts(imp) and "ID" not in _texts(imp)
    services.import_commit_start(imp=imp)
    assert imp.status == ImportStatus.COMMITTED and imp.created_count == 0 and imp.linked_count == 0
    assert not Membership.objects.filter(person=member_person, association=other_association).exists()
    pending = PendingMembership.objects.get()
    assert pending.person == member_person and pending.association == other_association
    assert pending.source == f"import:{imp.pk}" and pending.requested_by == officer_of_other
    assert pending.submitted["name"] == "冒名" and pending.submitted["phone"] == "+8613900002222"
    assert pending.joined_on == datetime.date(2024, 2, 1) and pending.status == PendingStatus.PENDING
    assert Person.objects.count() == 1 and Person.objects.get().name == "柴莉"
    entry = AuditEntry.objects.get(object_type="members.pendingmembership", action="create")
    assert entry.changes["submitted"][1]["phone"] == "139****2222"
    assert Notification.objects.filter(recipient=staff_user).count() == 1
    client = verified_client(Client(), officer_of_other)
    assert client.get(reverse("members:person-detail", args=[member_person.pk])).status_code == 404
    page = text_of(client.get(reverse("imports:import-detail", args=[imp.pk])))
    assert 'id="pending-count">1<' in page and "柴莉" not in page
    # Staff confirm it in the duplicates flow: then the membership is the import's.
    member_services.pending_membership_confirm(pending=pending, actor=staff_user)
    assert Membership.objects.filter(person=member_person, association=other_association).exists()


def test_check_page_is_no_oracle_for_people_of_other_associations(
    member_person, officer_of_other, other_association, make_person
):
    make_person("王自家", association=other_association, phone="+8613900004444")
    rows = [
        ["柴莉", "女", "1985-03-12", "", "", "", ""],  # another association's name and birth date
        ["柴莉", "女", "", "13812341234", "", "", ""],  # another association's name and phone
        ["柴莉", "女", "", "", ID, "", ""],  # another association's ID number
        ["王自家", "男", "", "13900004444", "", "", ""],  # the importer's own member
    ]
    imp = _import(officer_of_other, other_association, rows)
    assert _codes(imp) == {4: ["pending_review"], 5: ["likely_match"]}
    assert "柴莉" not in _texts(imp)
    page = text_of(verified_client(Client(), officer_of_other).get(reverse("imports:import-detail", args=[imp.pk])))
    assert 'data-row="2"' not in page and 'data-row="3"' not in page and 'data-row="4"' in page
    report = services.report_file(imp).read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in report[1:]] == ["4", "5"]


def test_check_messages_for_foreign_matches_are_the_same_whoever_matched(
    member_person, make_person, officer_of_other, other_association, business_association
):
    other_id = make_id_number(9, "19700101")
    make_person("王五", association=business_association, id_number=other_id)
    imp = _import(
        officer_of_other, other_association, [["甲", "", "", "", ID, "", ""], ["乙", "", "", "", other_id, "", ""]]
    )
    assert imp.problems[0][1] == imp.problems[1][1] == [["pending_review", {}]]


def test_import_row_with_another_associations_credit_code_waits_for_confirmation(
    a_enterprise, officer_of_other, other_association
):
    imp = _import(
        officer_of_other,
        other_association,
        [["冒名貿易有限公司", CODE, "代表人", "13900005555", ""]],
        headers=ENTERPRISE_HEADERS,
    )
    assert _codes(imp) == {2: ["pending_review"]}
    assert a_enterprise.name not in _texts(imp)
    services.import_commit_start(imp=imp)
    assert imp.status == ImportStatus.COMMITTED
    assert not Membership.objects.filter(enterprise=a_enterprise, association=other_association).exists()
    enterprise = Enterprise.objects.get()
    assert enterprise.name == "柴氏秘密實業有限公司" and enterprise.representative.name == "柴莉"
    assert not Person.objects.filter(name="代表人").exists()  # no orphan representative is created
    pending = PendingMembership.objects.get()
    assert pending.enterprise == a_enterprise and pending.person is None
    assert pending.submitted == {"name": "冒名貿易有限公司", "credit_code": CODE, "representative_name": "代表人"}
    assert pending.level == MembershipLevel.MEMBER_UNIT


def test_enterprise_row_with_another_associations_representative_does_not_link_them(
    member_person, officer_of_other, other_association
):
    code = make_credit_code(7102)
    imp = _import(
        officer_of_other, other_association, [["新公司有限公司", code, "冒名", "", ID]], headers=ENTERPRISE_HEADERS
    )
    assert _codes(imp) == {2: ["representative_unlinked"]}
    services.import_commit_start(imp=imp)
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.representative is None
    assert Membership.objects.filter(enterprise=enterprise, association=other_association).exists()
    assert Person.objects.count() == 1 and not PendingMembership.objects.exists()


def test_import_row_already_awaiting_confirmation_is_skipped(member_person, officer_of_other, other_association):
    member_services.pending_membership_create(
        association=other_association,
        person=member_person,
        actor=None,
        submitted={"name": "冒名"},
        membership_data={"joined_on": datetime.date(2024, 1, 1)},
    )
    imp = _import(officer_of_other, other_association, [["冒名", "", "", "", ID, "", ""]])
    assert _codes(imp) == {2: ["pending_review", "already_pending"]}
    services.import_commit_start(imp=imp)
    assert imp.skipped_count == 1 and PendingMembership.objects.count() == 1


def test_federation_staff_import_links_a_registered_person_at_once(member_person, staff_user, other_association):
    imp = _import(staff_user, other_association, [["柴莉", "", "", "", ID, "", ""]])
    assert _codes(imp) == {2: ["linked_person"]}
    services.import_commit_start(imp=imp)
    assert Membership.objects.filter(person=member_person, association=other_association).exists()
    assert not PendingMembership.objects.exists()
