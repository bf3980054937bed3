import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conftest import make_credit_code, make_id_number
from qiaojia.accounts.models import Role
from qiaojia.core.models import AuditEntry
from qiaojia.imports import checking, services
from qiaojia.imports.fields import guess_mapping
from qiaojia.imports.models import ColumnMapping, ImportStatus
from qiaojia.imports.report import Report
from qiaojia.imports.stash import stash_path
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job, JobStatus
from qiaojia.members import services as member_services
from qiaojia.members.models import Enterprise, Membership, MembershipLevel, Person

from .conftest import csv_upload, read_upload, xlsx_upload

HEADERS = ["姓名", "性别", "出生日期", "手机", "身份证号", "级别", "入会日期"]


def _import(owner, association, rows, *, headers=HEADERS, consent=True, upload=csv_upload, check=True):
    """Upload, read, map and (with `check`) run the check job, as the worker would."""
    imp = read_upload(owner, association, upload([headers, *rows]))
    imp = services.import_map(imp=imp, mapping=imp.mapping, consent=consent)
    if check:
        jobs.run_pending()
        imp.refresh_from_db()
    return imp


def _codes(imp):
    return {row: [code for code, _params in found] for row, found in imp.problems}


def test_guess_mapping_reads_simplified_traditional_and_english_headers():
    assert guess_mapping(["姓名", "性別", "出生日期", "手機號碼", "身份證號碼", "會員級別", "入會日期", "備註"]) == {
        "0": "name",
        "1": "gender",
        "2": "birth_date",
        "3": "phone",
        "4": "id_number",
        "5": "level",
        "6": "joined_on",
    }
    assert guess_mapping(
        [
            "Full name",
            "E-mail",
            "Date of birth",
            "Mobile",
            "ID number",
            "Company",
            "Unified social credit code",
            "Association",
        ]
    ) == {
        "0": "name",
        "1": "email",
        "2": "birth_date",
        "3": "phone",
        "4": "id_number",
        "5": "enterprise_name",
        "6": "credit_code",
        "7": "association",
    }


def test_mapping_is_remembered_per_user_association_and_headers(officer_of, business_association):
    headers = ["成员", "电话号码"]
    imp = read_upload(officer_of, business_association, csv_upload([headers, ["柴莉", "13812341234"]]))
    assert imp.mapping == {"1": "phone"}  # 成员 is not a known header
    services.import_map(imp=imp, mapping={"0": "name", "1": "phone"}, consent=False)
    assert ColumnMapping.objects.count() == 1
    again = read_upload(officer_of, business_association, csv_upload([headers, ["王芳", "13812341235"]]))
    assert again.mapping == {"0": "name", "1": "phone"}


def test_clean_file_is_checked_then_committed_with_derived_fields(officer_of, business_association):
    number = make_id_number(11, "19800101")
    imp = _import(
        officer_of,
        business_association,
        [
            ["鄭定輝", "男", "1980-01-01", "138 1234 1234", number, "理事", "2024-03-05"],
            ["王芳", "女", "", "13812341235", "", "", ""],
        ],
    )
    assert imp.status == ImportStatus.CHECKED and imp.error_rows == 0 and imp.problems == []
    services.import_commit_start(imp=imp)
    assert imp.status == ImportStatus.COMMITTED and imp.created_count == 2
    person = Person.objects.get(name="鄭定輝")
    assert person.phone == "+8613812341234" and person.name_key == "郑定辉" and person.name_initials == "zdh"
    assert person.id_number_masked == number[:3] + "*" * 11 + number[-4:]
    assert person.birth_date == datetime.date(1980, 1, 1) and person.consent_at is not None
    membership = Membership.objects.get(person=person)
    assert membership.level == MembershipLevel.DIRECTOR and membership.joined_on == datetime.date(2024, 3, 5)
    # One audit row per record, plus the import's summary row.
    assert AuditEntry.objects.filter(object_type="members.person", action="create").count() == 2
    assert AuditEntry.objects.filter(object_type="members.membership", action="create").count() == 2
    assert AuditEntry.objects.filter(object_type="imports.memberimport").count() == 1
    phone_entry = AuditEntry.objects.get(object_type="members.person", object_id=str(person.pk))
    assert phone_entry.changes["phone"] == [None, "138****1234"]
    assert imp.upload.name == ""  # the upload is deleted after the commit


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_preview_lists_every_kind_of_problem_in_the_readers_language(
    officer_of, business_association, make_person, language
):
    make_person("李明", association=business_association, phone="+8613900001111")
    good = make_id_number(21, "19800101")
    bad_check = good[:-1] + next(c for c in "0123456789X" if c != good[-1])
    rows = [
        ["张三", "男", "", "13812340001", bad_check, "", ""],  # 2: ID check character
        ["张四", "男", "1981-01-01", "13812340002", make_id_number(22, "19800101"), "", ""],  # 3: birth date
        ["张五", "男", "", "12345", "", "", ""],  # 4: phone
        ["张六", "男", "", "13812340004", "", "顾问单位", ""],  # 5: unknown level
        ["张七", "男", "", "13812340005", good, "", ""],  # 6: first of a duplicate
        ["张八", "男", "", "13812340006", good, "", ""],  # 7: duplicate ID in the file
        ["李明", "男", "", "139 0000 1111", "", "", ""],  # 8: likely match (same name, same phone)
        ["张七", "男", "", "13812340005", "", "", ""],  # 9: same name and phone as row 6
    ]
    imp = _import(officer_of, business_association, rows)
    codes = _codes(imp)
    assert codes[2] == ["id_check"]
    assert codes[3] == ["birth_mismatch"]
    assert codes[4] == ["phone_parse"] or codes[4] == ["phone_invalid"]
    assert codes[5] == ["unknown_level"]
    assert 6 not in codes
    assert codes[7] == ["duplicate_id"]
    assert codes[8] == ["likely_match"]
    assert codes[9] == ["duplicate_name_phone"]
    assert imp.error_rows == 6 and imp.warning_rows == 1 and not imp.can_commit
    with translation.override(language):
        texts = {code: checking.problem_text(code, params) for row, found in imp.problems for code, params in found}
    expected = {"zh-hans": "身份证", "en": "ID number"}[language]
    assert expected in texts["id_check"]
    if language == "zh-hans":
        assert all(not text.isascii() for text in texts.values()), texts
    assert "7" in texts["duplicate_id"] or "6" in texts["duplicate_id"]


def test_unknown_association_and_values_are_problems(officer_of, business_association, other_association):
    headers = ["姓名", "所属社团", "国家", "侨界身份"]
    imp = _import(
        officer_of,
        business_association,
        [
            ["王一", "不存在的社团", "中国", "归侨"],
            ["王二", other_association.name, "火星", "外星人"],  # not an association the officer may import into
            ["王三", business_association.name, "馬來西亞", "華僑"],
        ],
        headers=headers,
    )
    codes = _codes(imp)
    assert codes[2] == ["unknown_association"]
    assert codes[3] == ["unknown_association", "unknown_value", "unknown_value"]
    assert 4 not in codes


def test_id_number_without_consent_is_a_problem(officer_of, business_association):
    imp = _import(officer_of, business_association, [["王一", "", "", "", make_id_number(5), "", ""]], consent=False)
    assert _codes(imp) == {2: ["consent"]}


def test_existing_person_is_linked_by_id_number_not_copied(
    make_user, business_association, other_association, make_person
):
    # The importer serves both associations, so sees the person registered in the other one.
    officer = make_user("officer_ab", Role.OFFICER, associations=[business_association, other_association])
    number = make_id_number(31, "19700101")
    existing = make_person("陳大文", association=other_association, id_number=number)
    imp = _import(officer, business_association, [["陈大文", "", "", "", number, "", ""]])
    assert _codes(imp) == {2: ["linked_person"]} and imp.can_commit
    services.import_commit_start(imp=imp)
    assert Person.objects.count() == 1
    assert Membership.objects.filter(person=existing, association=business_association).count() == 1
    assert imp.linked_count == 1 and imp.created_count == 0
    # Imported again: already a member, skipped (a warning, not a second membership).
    again = _import(officer, business_association, [["陈大文", "", "", "", number, "", ""]])
    assert _codes(again) == {2: ["linked_person", "already_member"]}
    services.import_commit_start(imp=again)
    assert again.skipped_count == 1
    assert Membership.objects.filter(person=existing, association=business_association).count() == 1


def test_enterprise_rows_create_the_enterprise_and_its_membership(officer_of, business_association):
    headers = ["企业名称", "统一社会信用代码", "姓名", "手机", "级别"]
    code = make_credit_code(4321)
    imp = _import(
        officer_of,
        business_association,
        [
            ["中原實業有限公司", code, "鄭定輝", "13812341234", "副会长单位"],
            ["坏代码公司", code[:-1] + ("0" if code[-1] != "0" else "1"), "", "", ""],
        ],
        headers=headers,
    )
    assert _codes(imp) == {3: ["credit_check"]}
    imp = _import(
        officer_of,
        business_association,
        [["中原實業有限公司", code, "鄭定輝", "13812341234", "副会长单位"]],
        headers=headers,
    )
    services.import_commit_start(imp=imp)
    enterprise = Enterprise.objects.get()
    assert enterprise.credit_code == code and enterprise.representative.name == "鄭定輝"
    assert enterprise.name_key == "中原实业有限公司"
    membership = Membership.objects.get()
    assert membership.enterprise == enterprise and membership.level == MembershipLevel.VICE_PRESIDENT_UNIT


def test_a_failure_in_the_middle_leaves_nothing_behind(officer_of, business_association, monkeypatch):
    rows = [[f"王{n:04d}", "男", "", f"1381234{n:04d}", "", "", ""] for n in range(3500)]
    imp = _import(officer_of, business_association, rows, check=False)
    assert imp.status == ImportStatus.CHECKING  # checked in the background
    jobs.run_pending()
    imp.refresh_from_db()
    assert imp.status == ImportStatus.CHECKED and imp.can_commit
    audit_before = AuditEntry.objects.count()
    real = services._commit_chunk
    calls = []

    def failing(ctx, chunk):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full while writing 13812340001")
        return real(ctx, chunk)

    monkeypatch.setattr(services, "_commit_chunk", failing)
    services.import_commit_start(imp=imp)
    assert imp.status == ImportStatus.COMMITTING
    jobs.run_pending()
    assert len(calls) == 3
    assert Person.objects.count() == 0 and Membership.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before
    imp.refresh_from_db()
    job = Job.objects.get(pk=imp.job_id)
    assert imp.status == ImportStatus.FAILED and job.status == JobStatus.FAILED
    assert "13812340001" not in job.error and "138****0001" in job.error  # masked


def test_inline_failure_also_leaves_nothing_behind(officer_of, business_association, monkeypatch):
    imp = _import(officer_of, business_association, [["王一", "", "", "13812341234", "", "", ""]])

    def broken(people):
        raise RuntimeError("index down")

    monkeypatch.setattr(member_services, "_people_added", broken)
    services.import_commit_start(imp=imp)
    assert imp.status == ImportStatus.FAILED
    assert Person.objects.count() == 0 and AuditEntry.objects.filter(object_type="members.person").count() == 0


def test_large_file_commits_in_the_background_with_progress_and_a_masked_report(
    officer_of, business_association, settings
):
    settings.QIAOJIA_IMPORT_BACKGROUND_ROWS = 10
    rows = [
        [f"李{n:03d}", "女", "", f"1391234{n:04d}", make_id_number(n, "19900101") if n < 5 else "", "", ""]
        for n in range(30)
    ]
    imp = _import(officer_of, business_association, rows, upload=xlsx_upload, check=False)
    assert imp.status == ImportStatus.CHECKING
    assert jobs.run_pending() == 1
    imp.refresh_from_db()
    services.import_commit_start(imp=imp)
    job = Job.objects.get(pk=imp.job_id)
    assert job.kind == "imports.commit" and job.status == JobStatus.QUEUED and job.total == 30
    seen = []
    real_progress = jobs.Progress.__call__

    def spy(self, done, total=None, message=""):
        seen.append(done)
        return real_progress(self, done, total, message)

    jobs.Progress.__call__ = spy
    try:
        claimed = jobs.job_claim()
        assert claimed.pk == job.pk and jobs.job_claim() is None  # compare-and-set: claimed once
        jobs.job_run(claimed)
    finally:
        jobs.Progress.__call__ = real_progress
    job.refresh_from_db()
    imp.refresh_from_db()
    assert seen and seen[-1] == 30
    assert job.status == JobStatus.SUCCEEDED and job.done == 30 and job.result_path == imp.report.name
    assert imp.status == ImportStatus.COMMITTED and imp.created_count == 30
    report = services.report_file(imp).read_text(encoding="utf-8-sig")
    assert report.count("\n") == 31
    for n in range(30):
        assert f"1391234{n:04d}" not in report
    for n in range(5):
        assert make_id_number(n, "19900101") not in report


def test_renamed_text_file_is_refused(officer_of, business_association, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.import_upload(
            owner=officer_of,
            association=business_association,
            uploaded=SimpleUploadedFile("members.xlsx", b"name,phone\n\xe7\x8e\x8b,1\n"),
        )
    with pytest.raises(ValidationError):
        services.import_upload(
            owner=officer_of, association=business_association, uploaded=SimpleUploadedFile("members.txt", b"name\n")
        )
    with pytest.raises(ValidationError):
        services.import_upload(
            owner=officer_of,
            association=business_association,
            uploaded=SimpleUploadedFile("members.csv", b"\x00\x01\xff\xfe\x00binary"),
        )
    assert not any((media_root / "imports").glob("*.*"))


def test_gb18030_csv_is_read(officer_of, business_association):
    imp = read_upload(
        officer_of, business_association, csv_upload([["姓名", "手机"], ["鄭定輝", "13812341234"]], encoding="gb18030")
    )
    assert imp.headers == ["姓名", "手机"] and imp.row_count == 1


def test_too_large_file_is_refused(officer_of, business_association, settings):
    settings.QIAOJIA_IMPORT_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        services.import_upload(
            owner=officer_of, association=business_association, uploaded=csv_upload([["姓名"], ["鄭定輝"]])
        )


def test_uploads_are_stored_privately_and_purged_after_a_time(officer_of, business_association, media_root):
    import os
    import stat

    from qiaojia.imports.models import MemberImport
    from qiaojia.imports.reading import stored_path

    imp = read_upload(officer_of, business_association, csv_upload([["姓名"], ["王芳"]], name="../../etc/passwd.csv"))
    path = stored_path(imp.upload.name)
    assert path.parent == media_root / "imports" and "passwd" not in path.name
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    MemberImport.objects.filter(pk=imp.pk).update(created_at=imp.created_at - datetime.timedelta(days=2))
    assert services.import_purge_expired() == 1
    assert not path.exists() and MemberImport.objects.get(pk=imp.pk).upload.name == ""


def _clean_import(officer_of, association, count=3):
    rows = [
        [f"赵{n:03d}", "男", "1980-01-01", f"1381234{n:04d}", make_id_number(40 + n, "19800101"), "", ""]
        for n in range(count)
    ]
    return _import(officer_of, association, rows)


def test_commit_uses_what_the_check_derived_and_removes_it(officer_of, business_association, monkeypatch):
    import os
    import stat

    imp = _clean_import(officer_of, business_association)
    stash = stash_path(imp.upload.name)
    assert stash.is_file() and stat.S_IMODE(os.stat(stash).st_mode) == 0o600

    def not_again(*args):
        raise AssertionError("the commit checked the file again")

    monkeypatch.setattr(checking, "check_row", not_again)
    services.import_commit_start(imp=imp)
    assert imp.status == ImportStatus.COMMITTED and imp.created_count == 3
    assert not stash.exists()
    person = Person.objects.get(name="赵000")
    assert person.phone == "+8613812340000" and person.name_initials == "z"
    assert person.consent_at is not None and person.consent_at >= imp.created_at
    assert len({p.id_number_hash for p in Person.objects.all()}) == 3


def test_commit_checks_the_file_again_when_the_mapping_changed(officer_of, business_association, monkeypatch):
    from qiaojia.imports.models import MemberImport

    imp = _clean_import(officer_of, business_association)
    mapping = {k: v for k, v in imp.mapping.items() if v != "phone"}
    MemberImport.objects.filter(pk=imp.pk).update(mapping=mapping)  # as if changed without a new check
    imp.refresh_from_db()
    calls = []
    real = checking.check_row
    monkeypatch.setattr(checking, "check_row", lambda *args: calls.append(1) or real(*args))
    services.import_commit_start(imp=imp)
    assert imp.status == ImportStatus.COMMITTING  # the file is read again: in the background
    jobs.run_pending()
    imp.refresh_from_db()
    assert imp.status == ImportStatus.COMMITTED and len(calls) == 3
    assert set(Person.objects.values_list("phone", flat=True)) == {""}


def test_a_damaged_stash_fails_the_commit_and_leaves_nothing(officer_of, business_association):
    imp = _clean_import(officer_of, business_association)
    stash = stash_path(imp.upload.name)
    data = bytearray(stash.read_bytes())
    data[-3] ^= 0x01  # inside the last frame's rows
    stash.write_bytes(bytes(data))
    services.import_commit_start(imp=imp)
    assert imp.status == ImportStatus.FAILED
    assert Person.objects.count() == 0 and AuditEntry.objects.filter(object_type="members.person").count() == 0


def test_commit_still_sees_people_registered_after_the_check(
    officer_of, business_association, make_person, monkeypatch
):
    imp = _clean_import(officer_of, business_association)
    assert imp.warning_rows == 0
    make_person("赵001", association=business_association, phone="+8613812340001")
    seen = []
    real = Report.rows

    def spy(self, rows, *, only_problems):
        seen.extend(rows)
        return real(self, rows, only_problems=only_problems)

    monkeypatch.setattr(Report, "rows", spy)
    services.import_commit_start(imp=imp)
    assert imp.status == ImportStatus.COMMITTED
    assert {r.number: [c for c, _p in r.problems] for r in seen} == {2: [], 3: ["likely_match"], 4: []}


def test_bulk_audit_rows_are_the_snapshot_create_audited_writes(officer_of, business_association):
    from qiaojia.core.services import audited_fields, snapshot

    headers = ["姓名", "性别", "出生日期", "手机", "身份证号", "级别", "入会日期", "国家", "电子邮件", "英文名"]
    imp = _import(
        officer_of,
        business_association,
        [
            [
                "鄭定輝",
                "男",
                "1980-01-01",
                "",
                make_id_number(11, "19800101"),
                "理事",
                "2024-03-05",
                "马来西亚",
                "zdh@example.com",
                "Ding Hui",
            ],
            ["王芳", "", "", "138 1234 1234", "", "", "", "", "", ""],
        ],
        headers=headers,
    )
    assert imp.problems == []
    services.import_commit_start(imp=imp)
    assert imp.status == ImportStatus.COMMITTED
    for model in (Person, Membership):
        for obj in model.objects.all():
            entry = AuditEntry.objects.get(object_type=model._meta.label_lower, object_id=str(obj.pk))
            after = snapshot(obj, audited_fields(obj))
            assert entry.changes == {k: [None, v] for k, v in after.items() if v not in (None, "", [])}
            assert entry.action == "create"


def test_no_stash_is_kept_for_a_file_with_errors_and_expiry_removes_it(officer_of, business_association):
    from qiaojia.imports.models import MemberImport

    bad = _import(officer_of, business_association, [["张五", "男", "", "12345", "", "", ""]])
    assert bad.error_rows == 1 and not stash_path(bad.upload.name).exists()
    imp = _clean_import(officer_of, business_association)
    stash = stash_path(imp.upload.name)
    assert stash.exists()
    MemberImport.objects.update(created_at=imp.created_at - datetime.timedelta(days=2))
    services.import_purge_expired()
    assert not stash.exists() and not list(stash.parent.glob("*.partial"))
