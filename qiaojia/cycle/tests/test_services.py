import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from qiaojia.accounts.models import Role
from qiaojia.core.services import ConflictError
from qiaojia.cycle import rules, services
from qiaojia.cycle.models import PlanItemStatus, ReportEventKind, ReportStatus
from qiaojia.cycle.tests.world import make_report, pdf_upload, report_year
from qiaojia.jobs import services as jobs
from qiaojia.members import services as member_services
from qiaojia.members.models import MembershipLevel
from qiaojia.notifications.models import Notification
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationTitle


def test_priorities_parse_numbered_and_unnumbered_lines():
    items = services.priorities_parse_items("1. 搭建經貿合作交流平臺\n\n2、服務企業出海\n推進數智化管理\n")
    assert items == [(1, "搭建經貿合作交流平臺"), (2, "服務企業出海"), (3, "推進數智化管理")]
    with pytest.raises(ValidationError):
        services.priorities_parse_items("1. a\n1. b")
    with pytest.raises(ValidationError):
        services.priorities_parse_items("   \n")


def test_priorities_edit_keeps_items_tied_to_plan_items(report, priorities):
    item = report.plan_items.first()
    first = priorities.items.get(number=1)
    services.plan_item_update(item=item, expected_version=item.version, data={}, priorities=[first])
    with pytest.raises(ValidationError):
        services.priorities_update(
            priorities=priorities, expected_version=priorities.version, data={}, items_text="2. 服務企業出海"
        )
    updated = services.priorities_update(
        priorities=priorities,
        expected_version=priorities.version,
        data={},
        items_text="1. 搭建經貿合作交流大平臺\n2. 服務企業出海",
    )
    first.refresh_from_db()
    assert first.title == "搭建經貿合作交流大平臺" and updated.items.count() == 2


def test_report_start_prefills_counts_by_the_counting_rules(business_association, make_person, priorities):
    year = report_year()
    for n in range(3):
        make_person(f"會員{n}", association=business_association)
    enterprise = member_services.enterprise_create(data={"name": "河南僑商實業有限公司"})
    member_services.membership_create(
        association=business_association,
        enterprise=enterprise,
        data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": datetime.date(2021, 1, 1)},
    )
    start = datetime.date(year - 1, 1, 1)
    for name, title in (
        ("鄭定輝", AssociationTitle.PRESIDENT),
        ("柴莉", AssociationTitle.SECRETARY_GENERAL),
        ("王副", AssociationTitle.VICE_PRESIDENT),
        ("李理", AssociationTitle.DIRECTOR),
        ("趙顧", AssociationTitle.ADVISER),
        ("錢名", AssociationTitle.HONORARY_PRESIDENT),
        ("孫副秘", AssociationTitle.DEPUTY_SECRETARY_GENERAL),
    ):
        org_services.term_create(
            association=business_association,
            data={"person": make_person(name), "title": title, "starts_on": start, "ends_on": None},
        )
    report = services.report_start(association=business_association, year=year)
    assert (report.unit_members, report.individual_members, report.total_members) == (1, 3, 4)
    assert report.leader_count == 3  # 會長, 副會長, 秘書長 only
    assert report.events.get().kind == ReportEventKind.CREATED
    assert services.report_start(association=business_association, year=year) == report


def test_submit_refuses_an_incomplete_report(business_association, priorities):
    report = make_report(business_association, with_item=False, complete=False)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, expected_version=report.version)
    # The heading, then the summary, the financial statements, the party-building report and the plan's items.
    assert len(exc.value.messages) == 5
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_review_workflow_with_return_and_resubmission(report, make_user, officer_of, staff_user):
    officer_of.language, officer_of.email = "zh-hant", "officer@example.org"
    officer_of.save()
    staff_user.language = "zh-hans"
    staff_user.save()
    report = services.report_submit(report=report, expected_version=report.version)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at
    assert Notification.objects.filter(recipient=staff_user, kind="cycle.submitted").count() == 1
    with pytest.raises(ValidationError):
        services.report_update(report=report, expected_version=report.version, data={"work_summary": "late edit"})
    with pytest.raises(ValidationError):
        services.report_return(report=report, expected_version=report.version, reason="  ")
    report = services.report_return(report=report, expected_version=report.version, reason="財務報告缺少附件")
    assert report.status == ReportStatus.RETURNED
    assert report.resubmit_by == rules.add_working_days(timezone.localdate(), 5)
    notice = Notification.objects.get(recipient=officer_of, kind="cycle.returned")
    assert "財務報告缺少附件" in notice.body
    with translation.override("zh-hant"):
        assert notice.subject == str(
            translation.gettext("Your %(year)s annual report was returned for revision") % {"year": report.year}
        )
    jobs.run_pending()
    assert any("財務報告缺少附件" in m.body for m in mail.outbox)
    report = services.report_update(report=report, expected_version=report.version, data={"financial_notes": "已補"})
    report = services.report_submit(report=report, expected_version=report.version)
    report = services.report_accept(report=report, expected_version=report.version)
    assert report.status == ReportStatus.ACCEPTED and report.resubmit_by is None
    assert Notification.objects.filter(recipient=officer_of, kind="cycle.accepted").count() == 1
    report = services.report_attach(
        report=report, expected_version=report.version, kind="declaration", uploaded=pdf_upload("declaration.pdf")
    )
    report = services.report_mark_filed(report=report, expected_version=report.version)
    assert report.status == ReportStatus.FILED
    assert [e.kind for e in report.events.all()] == [
        "created",
        "submitted",
        "returned",
        "submitted",
        "accepted",
        "filed",
    ]


def test_transitions_outside_the_table_are_refused(report):
    with pytest.raises(ValidationError):
        services.report_accept(report=report, expected_version=report.version)
    with pytest.raises(ValidationError):
        services.report_mark_filed(report=report, expected_version=report.version)
    with pytest.raises(ValidationError):
        services.report_return(report=report, expected_version=report.version, reason="x")


def test_two_officers_editing_get_a_conflict_not_a_lost_update(report):
    loaded = report.version
    services.report_update(report=report, expected_version=loaded, data={"work_summary": "第一位幹事的版本"})
    with pytest.raises(ConflictError):
        services.report_update(report=report, expected_version=loaded, data={"work_summary": "第二位幹事的版本"})
    report.refresh_from_db()
    assert report.work_summary == "第一位幹事的版本"


def test_working_days_skip_weekends():
    friday = datetime.date(2025, 3, 7)
    assert rules.add_working_days(friday, 5) == datetime.date(2025, 3, 14)
    assert rules.report_deadline(2024) == datetime.date(2025, 3, 31)


def test_deadline_is_a_setting(settings):
    settings.QIAOJIA_REPORT_DEADLINE = "04-15"
    assert rules.report_deadline(2024) == datetime.date(2025, 4, 15)


def test_plan_item_must_tie_to_priorities_of_the_plan_year(report, priorities, federation):
    from qiaojia.cycle.tests.world import make_priorities

    old = make_priorities(report.year, publish=True)
    with pytest.raises(ValidationError):
        services.plan_item_create(
            report=report,
            priorities=[old.items.first()],
            data={"title": "x", "owner": "y", "target": "z", "due_on": datetime.date(report.plan_year, 6, 1)},
        )
    with pytest.raises(ValidationError):
        services.plan_item_create(
            report=report, data={"title": "x", "owner": "y", "target": "z", "due_on": datetime.date(2001, 6, 1)}
        )
    item = services.plan_item_create(
        report=report,
        priorities=list(priorities.items.all()[:2]),
        data={
            "title": "企業出海服務",
            "owner": "秘書處",
            "target": "三家企業",
            "due_on": datetime.date(report.plan_year, 6, 1),
        },
    )
    assert item.number == 2 and item.priorities.count() == 2


def test_progress_sets_the_item_state_and_done_means_100(report, officer_of):
    item = report.plan_items.first()
    services.progress_record(
        item=item, note="已舉辦第一場對接會", status=PlanItemStatus.IN_PROGRESS, percent=50, user=officer_of
    )
    item.refresh_from_db()
    assert (item.status, item.percent) == (PlanItemStatus.IN_PROGRESS, 50)
    services.progress_record(item=item, note="完成", status=PlanItemStatus.DONE, percent=80)
    item.refresh_from_db()
    assert item.percent == 100
    for bad in (
        {"note": "", "status": "done", "percent": 1},
        {"note": "x", "status": "bogus", "percent": 1},
        {"note": "x", "status": "done", "percent": 101},
    ):
        with pytest.raises(ValidationError):
            services.progress_record(item=item, **bad)
    assert item.updates.count() == 2


def test_carry_over_copies_unfinished_items_once(business_association, priorities):
    last = make_report(business_association, report_year() - 1)
    done = services.plan_item_create(
        report=last,
        data={"title": "已完成", "owner": "a", "target": "b", "due_on": datetime.date(last.plan_year, 5, 1)},
    )
    services.progress_record(item=done, note="完成", status="done", percent=100)
    this = make_report(business_association, with_item=False)
    carried = services.plan_carry_over(report=this)
    assert [c.title for c in carried] == ["搭建經貿合作交流平臺"]
    carried[0].carried_from.refresh_from_db()
    assert carried[0].carried_from.status == PlanItemStatus.CARRIED_OVER
    assert services.plan_carry_over(report=this) == []


def test_reminders_go_to_associations_without_a_submitted_report(
    business_association, other_association, officer_of, officer_of_other, priorities
):
    year = report_year()
    report = make_report(business_association, year)
    services.report_submit(report=report, expected_version=report.version)
    deadline = rules.report_deadline(year)
    Notification.objects.all().delete()
    assert services.reminders_send(today=deadline - datetime.timedelta(days=3)) == 0
    sent = services.reminders_send(today=deadline - datetime.timedelta(days=7))
    assert sent == 1
    assert Notification.objects.get().recipient == officer_of_other
    # Overdue: the day after the deadline, then weekly, not every day.
    assert [services.reminders_send(today=deadline + datetime.timedelta(days=d)) for d in (1, 2, 7, 8, 15)] == [
        1,
        0,
        0,
        1,
        1,
    ]


def test_the_daily_command_sends_the_days_reminders(
    business_association, other_association, officer_of, officer_of_other, priorities
):
    from io import StringIO

    from django.core.management import call_command

    deadline = rules.report_deadline(report_year())
    Notification.objects.all().delete()
    out = StringIO()
    call_command("cycle_reminders", today=deadline - datetime.timedelta(days=7), stdout=out)
    assert out.getvalue().strip() == "2 reminder(s) sent"
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["officer_a", "officer_b"]
    call_command("cycle_reminders", today=deadline - datetime.timedelta(days=3), stdout=out)
    assert Notification.objects.count() == 2


def test_remind_reaches_only_the_associations_officers(business_association, officer_of, officer_of_other, make_user):
    make_user("staff2", Role.STAFF)
    assert services.report_remind(association=business_association, year=report_year()) == 1
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["officer_a"]


def test_report_start_takes_the_donations_recorded_in_the_year(federation, business_association, priorities):
    from decimal import Decimal

    from qiaojia.volunteering import services as volunteering_services
    from qiaojia.volunteering.models import DonationKind

    year = report_year()
    for n, (amount, country, day) in enumerate(
        (
            (Decimal("20000"), "CN", (year, 5, 1)),
            (Decimal("8000"), "MY", (year, 9, 9)),
            (Decimal("99999"), "CN", (year + 1, 1, 2)),
        )
    ):  # next year's
        volunteering_services.donation_create(
            federation=federation,
            association=business_association,
            data={
                "kind": DonationKind.MONEY,
                "donor_name": f"捐贈人{n}",
                "amount": amount,
                "donor_country": country,
                "receipt_number": f"R-{n}",
                "received_on": datetime.date(*day),
            },
        )
    report = services.report_start(association=business_association, year=year)
    assert (report.donations_domestic, report.donations_foreign) == (Decimal("20000"), Decimal("8000"))
