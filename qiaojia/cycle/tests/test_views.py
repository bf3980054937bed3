import datetime

from django.urls import reverse
from django.utils.translation import gettext

from conftest import verified_client
from qiaojia.accounts.models import Role
from qiaojia.core.chinese import to_simplified
from qiaojia.cycle import services
from qiaojia.cycle.models import AnnualReport, PlanItem, ReportStatus
from qiaojia.cycle.tests.world import image_upload, make_report, pdf_upload, report_year
from qiaojia.notifications.models import Notification
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationKind
from qiaojia.orgs.tests.helpers import query_count


def _text(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def test_officer_starts_writes_and_submits(client, officer_of, business_association, priorities):
    verified_client(client, officer_of)
    year = report_year()
    page = _text(client.get(reverse("cycle:report-list")))
    assert reverse("cycle:report-start", args=[business_association.pk, year]) in page
    response = client.post(reverse("cycle:report-start", args=[business_association.pk, year]))
    report = AnnualReport.objects.get(association=business_association, year=year)
    assert response["Location"] == reverse("cycle:report-edit", args=[report.pk])
    form = {name: getattr(report, name) for name in services.REPORT_FIELDS}
    form.update(version=report.version, work_summary="2024年搭建經貿合作交流平臺", party_activities="黨支部學習")
    assert client.post(reverse("cycle:report-edit", args=[report.pk]), form).status_code == 302
    response = client.post(
        reverse("cycle:plan-item-create", args=[report.pk]),
        {
            "form_token": "6f1f6f77-1d7a-4c38-9d84-6b1c1a4f0001",
            "title": "企業出海",
            "owner": "秘書處",
            "target": "三家企業",
            "due_on": f"{report.plan_year}-06-30",
            "priorities": [priorities.items.get(number=2).pk],
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    refused = client.post(reverse("cycle:report-submit", args=[report.pk]), {"version": report.version}, follow=True)
    assert gettext("The financial statements are not attached.") in _text(refused)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    attach = reverse("cycle:report-attach", args=[report.pk, "financial"])
    assert client.post(attach, {"version": report.version, "file": pdf_upload()}).status_code == 302
    report.refresh_from_db()
    client.post(reverse("cycle:report-submit", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.plan_items.get().priorities.get().number == 2


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, officer_of, report):
    verified_client(client, officer_of)
    form = {name: getattr(report, name) for name in services.REPORT_FIELDS}
    form.update(version=report.version, work_summary="新的總結", unit_members="-3")
    response = client.post(reverse("cycle:report-edit", args=[report.pk]), form)
    assert response.status_code == 400
    assert "新的總結" in _text(response)
    report.refresh_from_db()
    assert report.work_summary != "新的總結"


def test_autosave_saves_and_detects_a_conflict(client, officer_of, make_user, business_association, report):
    second = make_user("officer_a2", Role.OFFICER, associations=[business_association])
    form = {name: getattr(report, name) for name in services.REPORT_FIELDS}
    loaded = report.version
    verified_client(client, officer_of)
    response = client.post(
        reverse("cycle:report-autosave", args=[report.pk]),
        {**form, "version": loaded, "work_summary": "甲的修改"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'id="autosaved"' in _text(response)
    assert f'value="{loaded + 1}"' in _text(response)  # the new version, swapped into the form
    verified_client(client, second)
    response = client.post(
        reverse("cycle:report-autosave", args=[report.pk]),
        {**form, "version": loaded, "work_summary": "乙的修改"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409 and 'id="autosave-conflict"' in _text(response)
    report.refresh_from_db()
    assert report.work_summary == "甲的修改"
    response = client.post(
        reverse("cycle:report-edit", args=[report.pk]), {**form, "version": loaded, "work_summary": "乙的修改"}
    )
    assert response.status_code == 409 and "乙的修改" in _text(response)


def test_staff_return_with_reason_and_accept(client, staff_user, officer_of, report):
    report = services.report_submit(report=report, expected_version=report.version)
    verified_client(client, staff_user)
    response = client.post(reverse("cycle:report-return", args=[report.pk]), {"version": report.version, "reason": ""})
    assert response.status_code == 400
    client.post(
        reverse("cycle:report-return", args=[report.pk]), {"version": report.version, "reason": "請補充黨建工作"}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert Notification.objects.filter(recipient=officer_of, kind="cycle.returned").exists()
    verified_client(client, officer_of)
    assert to_simplified("請補充黨建工作") in _text(client.get(reverse("cycle:report-detail", args=[report.pk])))
    client.post(reverse("cycle:report-submit", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    verified_client(client, staff_user)
    client.post(reverse("cycle:report-accept", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    stale = client.post(reverse("cycle:report-file", args=[report.pk]), {"version": report.version - 1}, follow=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and "conflict" not in _text(stale).lower()


def test_officer_never_sees_another_associations_draft_or_returned_report(
    client, officer_of, officer_of_other, report, other_report, staff_user
):
    other_report = services.report_submit(report=other_report, expected_version=other_report.version)
    other_report = services.report_return(
        report=other_report, expected_version=other_report.version, reason="秘密退回理由"
    )
    other_report = services.report_attach(
        report=other_report, expected_version=other_report.version, kind="financial", uploaded=pdf_upload()
    )
    verified_client(client, officer_of)
    for report_obj in (other_report,):
        for name in ("cycle:report-detail", "cycle:report-edit", "cycle:report-declaration", "cycle:plan-item-create"):
            assert client.get(reverse(name, args=[report_obj.pk])).status_code == 404, name
    assert client.get(reverse("cycle:file-download", args=[other_report.financial_file_id])).status_code == 404
    item = other_report.plan_items.first()
    assert client.get(reverse("cycle:plan-item-detail", args=[item.pk])).status_code == 404
    for name in ("cycle:report-list", "cycle:plan-list"):
        text = _text(client.get(reverse(name)))
        assert other_report.association.name not in text and "秘密退回理由" not in text
    verified_client(client, officer_of_other)
    assert client.get(reverse("cycle:file-download", args=[other_report.financial_file_id])).status_code == 200


def test_progress_on_a_phone_sized_form_with_a_photo(client, officer_of, report):
    item = report.plan_items.first()
    verified_client(client, officer_of)
    page = _text(client.get(reverse("cycle:progress-create", args=[item.pk])))
    assert 'name="note"' in page and 'name="percent"' in page and 'accept="image/*,application/pdf"' in page
    response = client.post(
        reverse("cycle:progress-create", args=[item.pk]),
        {"note": "與越南商會簽約", "status": "in_progress", "percent": "60", "file": image_upload()},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.percent == 60
    update = item.updates.get()
    assert client.get(reverse("cycle:file-download", args=[update.attachment_id])).status_code == 200
    response = client.post(
        reverse("cycle:progress-create", args=[item.pk]),
        {"note": "x", "status": "in_progress", "percent": "70", "file": pdf_upload("bad.jpg", b"GIF89a not really")},
    )
    assert response.status_code == 400
    assert item.updates.count() == 1


def test_next_years_report_shows_last_years_outcomes(client, officer_of, business_association, priorities):
    last = make_report(business_association, report_year() - 1)
    item = last.plan_items.first()
    services.progress_record(item=item, note="舉辦對接會兩場", status="done", percent=100)
    this = make_report(business_association)
    verified_client(client, officer_of)
    page = _text(client.get(reverse("cycle:report-detail", args=[this.pk])))
    assert 'id="previous-plan"' in page and to_simplified("舉辦對接會兩場") in page  # shown in the reader's script


def test_declaration_page_prints_the_reports_facts(client, officer_of, report):
    verified_client(client, officer_of)
    page = _text(client.get(reverse("cycle:report-declaration", args=[report.pk])))
    assert (
        to_simplified(report.association.name) in page and "data-print" in page
    )  # the print button (static/js/qiaojia.js)


def test_signed_declaration_upload(client, officer_of, report):
    report = services.report_submit(report=report, expected_version=report.version)
    verified_client(client, officer_of)
    response = client.post(
        reverse("cycle:report-attach", args=[report.pk, "declaration"]),
        {"version": report.version, "file": pdf_upload("簽章頁.pdf")},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.signed_declaration.original_name == "簽章頁.pdf"


def test_dashboard_shows_submitted_late_and_missing_and_reminds(
    client,
    staff_user,
    federation,
    liaison_department,
    business_association,
    other_association,
    officer_of_other,
    priorities,
    settings,
):
    settings.QIAOJIA_REPORT_DEADLINE = "01-01"  # the deadline has passed
    report = make_report(business_association)
    services.report_submit(report=report, expected_version=report.version)
    verified_client(client, staff_user)
    year = report_year()
    page = _text(client.get(reverse("cycle:dashboard") + f"?year={year}&state=missing"))
    assert to_simplified(other_association.name) in page and to_simplified(business_association.name) not in page
    page = _text(client.get(reverse("cycle:dashboard") + f"?year={year}&state=submitted"))
    assert to_simplified(business_association.name) in page and to_simplified(other_association.name) not in page
    page = _text(client.get(reverse("cycle:dashboard") + f"?year={year}&state=late"))
    assert to_simplified(other_association.name) in page
    response = client.post(reverse("cycle:report-remind", args=[other_association.pk, year]))
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=officer_of_other, kind="cycle.deadline").count() == 1


def _many_associations(federation, department, n, start):
    from conftest import make_credit_code

    for i in range(start, start + n):
        association = org_services.association_create(
            federation=federation,
            data={
                "name": f"測試社團{i}",
                "kind": AssociationKind.HOMETOWN,
                "supervising_department": department,
                "credit_code": make_credit_code(5000 + i),
            },
        )
        make_report(association)


def test_list_pages_do_a_bounded_number_of_queries(client, staff_user, federation, liaison_department, priorities):
    verified_client(client, staff_user)
    _many_associations(federation, liaison_department, 2, 0)
    urls = [
        reverse("cycle:dashboard"),
        reverse("cycle:report-list"),
        reverse("cycle:plan-list") + f"?year={report_year() + 1}",
        reverse("cycle:priorities-list"),
    ]
    few = [query_count(client, url) for url in urls]
    _many_associations(federation, liaison_department, 12, 10)
    assert [query_count(client, url) for url in urls] == few
    assert max(few) <= 15


def test_report_pages_in_traditional_and_english(client, officer_of, report):
    verified_client(client, officer_of)
    expected = {"zh-hans": "党建工作报告", "zh-hant": "黨建工作報告", "en": "Party-building report"}
    for language, heading in expected.items():
        client.cookies["django_language"] = language
        page = _text(client.get(reverse("cycle:report-detail", args=[report.pk])))
        assert heading in page, language


def test_plan_item_delete_only_while_editable(client, officer_of, report):
    item = report.plan_items.first()
    verified_client(client, officer_of)
    client.post(reverse("cycle:plan-item-delete", args=[item.pk]), {"version": item.version})
    assert not PlanItem.objects.filter(pk=item.pk).exists()
    other = services.plan_item_create(
        report=report, data={"title": "x", "owner": "y", "target": "z", "due_on": datetime.date(report.plan_year, 5, 1)}
    )
    report.refresh_from_db()
    services.report_submit(report=report, expected_version=report.version)
    client.post(reverse("cycle:plan-item-delete", args=[other.pk]), {"version": other.version})
    assert PlanItem.objects.filter(pk=other.pk).exists()


def test_the_plan_page_steps_from_year_to_year(client, officer_of, federation):
    verified_client(client, officer_of)
    page = _text(client.get(reverse("cycle:plan-list") + "?year=2025"))
    assert "?year=2024" in page and "?year=2026" in page
    assert "2024年工作计划" in page and "2026年工作计划" in page
