"""The demo lives in the date it is loaded on: the seed's world (the 2025 priorities, the reports on 2024, the
2025 plans) stays as the seed tells it, and the current year's cycle is laid out relative to `today`, so that
the report dashboard and "this year's plan" show a believable state on any date."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from conftest import make_credit_code, verified_client
from qiaojia.accounts.models import User
from qiaojia.cycle import demo as cycle_demo
from qiaojia.cycle import rules, selectors
from qiaojia.cycle.models import AnnualReport, PlanItem, ProgressUpdate, ReportEvent, ReportStatus, WorkPriorities
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import Association, AssociationKind

PEOPLE, ENTERPRISES = 120, 20
# Before the deadline (reports on 2026 being written), just after it (reports on 2025), late in the year.
TODAYS = [datetime.date(2027, 2, 10), datetime.date(2026, 4, 12), datetime.date(2028, 11, 20)]


def _load(today: datetime.date) -> str:
    out = io.StringIO()
    call_command("demo_load", people=PEOPLE, enterprises=ENTERPRISES, today=today.isoformat(), stdout=out)
    return out.getvalue()


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def _count(page: str, element_id: str) -> int:
    return int(re.search(rf'id="{element_id}">(\d+)<', page).group(1))


@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_the_dashboard_shows_a_believable_mix_on_the_day_the_demo_is_loaded(db, client, today):
    _load(today)
    year, report_year = today.year, today.year - 1
    deadline = rules.report_deadline(report_year)

    # This year's priorities are published, before today.
    priorities = WorkPriorities.objects.get(year=year)
    assert priorities.published_at is not None and priorities.published_at <= _end_of(today)
    assert priorities.items.count() >= 5

    staff = User.objects.get(username="staff")
    officer = User.objects.get(username="officer")
    for user in (staff, officer):  # the second factor the tests' settings require
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    with freeze_time(timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 30)))):
        verified_client(client, staff)
        page = client.get(reverse("cycle:dashboard")).content.decode()
        assert f"{report_year}" in page  # the dashboard opens on the reports being collected now
        missing, submitted, accepted = (_count(page, i) for i in ("count-missing", "count-submitted", "count-accepted"))
        counts = selectors.dashboard_counts(year=report_year)
        assert (missing, submitted, accepted) == (counts["missing"], counts["submitted"], counts["accepted"])
        late = selectors.dashboard_rows(viewer=staff, year=report_year, state="late").count()
        total = Association.objects.count()
        # A mix: some accepted, some awaiting review, one returned, drafts, and someone with nothing handed in,
        # never all of them.
        assert accepted >= 1 and submitted >= 1 and counts["returned"] == 1 and counts["draft"] >= 1
        assert missing == total - submitted - accepted - counts["filed"] and 1 <= missing < total
        if today <= deadline:
            assert late == 0  # the deadline is ahead: nobody is late yet
        else:
            assert 1 <= late < total / 2, late  # just past or long past: a few late, not everyone
            assert accepted > total / 2
        # The returned report is to be resubmitted by a date still ahead.
        returned = AnnualReport.objects.get(year=report_year, status=ReportStatus.RETURNED)
        assert returned.resubmit_by > today and returned.return_reason
        assert returned.association.name == cycle_demo.CURRENT_RETURNED
        # Handed-in reports carry their financial statements; the returned one lacks them, as its reason says.
        handed_in = AnnualReport.objects.filter(year=report_year, status__in=["submitted", "accepted"])
        assert not handed_in.filter(financial_file=None).exists() and returned.financial_file is None

        # "This year's plan": the officer follows the plan for this year, with progress once the year is on.
        verified_client(client, officer)
        plan_page = client.get(reverse("cycle:plan-list")).content.decode()
        items = selectors.current_plan_items(viewer=officer, year=year)
        assert items.count() == len(cycle_demo.CURRENT_BUSINESS_PLAN)
        assert all(f'id="item-{item.pk}"' in plan_page for item in items)
        assert ProgressUpdate.objects.filter(plan_item__in=items).exists() == (today.timetuple().tm_yday > 20)

    # Nothing of the current cycle happened after today.
    current = AnnualReport.objects.filter(year=report_year)
    for field in ("submitted_at", "accepted_at", "returned_at"):
        assert not current.filter(**{f"{field}__gt": _end_of(today)}).exists(), field
    assert not ReportEvent.objects.filter(report__in=current, at__gt=_end_of(today)).exists()
    assert not ProgressUpdate.objects.filter(plan_item__report__in=current, created_at__gt=_end_of(today)).exists()
    assert not PlanItem.objects.filter(report__in=current).exclude(due_on__year=year).exists()


@pytest.mark.parametrize("today", [TODAYS[0], TODAYS[2]], ids=str)
def test_the_seeds_world_stays_as_the_seed_tells_it(db, today):
    _load(today)
    seed = WorkPriorities.objects.get(year=cycle_demo.PRIORITIES_YEAR)
    assert seed.title == cycle_demo.PRIORITIES_TITLE and seed.published_at.date() == datetime.date(2025, 1, 20)
    states = dict(AnnualReport.objects.filter(year=cycle_demo.REPORT_YEAR).values_list("association__name", "status"))
    expected = {name: state for name, state, _summary, _reason in cycle_demo.OTHER_REPORTS}
    assert states == {cycle_demo.BUSINESS: ReportStatus.ACCEPTED, **expected}
    business_plan = PlanItem.objects.filter(
        report__association__name=cycle_demo.BUSINESS, report__year=cycle_demo.REPORT_YEAR
    ).order_by("number")
    assert [(i.title, i.status) for i in business_plan] == [
        (row[0], row[5][0] if row[5] else "not_started") for row in cycle_demo.BUSINESS_PLAN
    ]
    # The seed's 2025 plans are not touched by the later cycle (nothing carried over, no progress added).
    assert (
        not ProgressUpdate.objects.filter(
            plan_item__report__year=cycle_demo.REPORT_YEAR, created_at__date__gt=datetime.date(2025, 12, 31)
        )
        .exclude(plan_item__report__association__name=cycle_demo.BUSINESS)
        .exists()
    )
    assert ProgressUpdate.objects.filter(plan_item__in=business_plan, activity=None).count() == sum(
        1 for row in cycle_demo.BUSINESS_PLAN if row[5]
    )


def test_loaded_in_2025_the_seeds_cycle_is_the_current_one(db):
    _load(datetime.date(2025, 3, 10))
    assert list(WorkPriorities.objects.values_list("year", flat=True)) == [2025]
    assert set(AnnualReport.objects.values_list("year", flat=True)) == {2024}


def test_today_must_be_a_date(db):
    with pytest.raises(CommandError):
        call_command("demo_load", people=1, enterprises=1, today="10 Feb 2027", stdout=io.StringIO())


@pytest.mark.parametrize(
    "today",
    [
        datetime.date(2027, 1, 1),  # the first day of the year
        datetime.date(2027, 3, 31),  # the deadline itself
        datetime.date(2027, 4, 1),  # the day after
        datetime.date(2027, 12, 31),  # the last day of the year
    ],
    ids=str,
)
def test_the_current_cycle_on_the_edges_of_the_year(business_association, other_association, today):
    """The cycle alone, on a small registry: on the edge dates nothing is stamped after `today`, the returned
    report's resubmission date is ahead, and the plans are for this year."""
    for n in range(6):
        org_services.association_create(
            federation=business_association.federation,
            data={
                "name": f"測試社團{n}",
                "kind": AssociationKind.HOMETOWN,
                "supervising_department": business_association.supervising_department,
                "credit_code": make_credit_code(900 + n),
                "founded_on": datetime.date(2010, 5, 1),
            },
        )
    cycle_demo.load_current_cycle(today=today)
    priorities = WorkPriorities.objects.get(year=today.year)
    assert priorities.published_at <= _end_of(today)
    current = AnnualReport.objects.filter(year=today.year - 1)
    assert set(current.values_list("status", flat=True)) >= {"accepted", "submitted", "returned", "draft"}
    assert current.count() < Association.objects.count()  # someone has handed in nothing yet
    for field in ("submitted_at", "accepted_at", "returned_at"):
        assert not current.filter(**{f"{field}__gt": _end_of(today)}).exists(), field
    assert not ReportEvent.objects.filter(report__in=current, at__gt=_end_of(today)).exists()
    assert not ProgressUpdate.objects.filter(created_at__gt=_end_of(today)).exists()
    assert current.get(status="returned").resubmit_by > today
    assert not PlanItem.objects.exclude(due_on__year=today.year).exists()
