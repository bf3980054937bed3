"""The world of the busiest-day load (`make load`): accounts, draft reports and news, made through the services,
and the check afterwards that every write the load counted is in the database, and nothing more.

- `load_setup`: an officer account for each of the first associations, each association's draft report on
  the report year (started, written, one plan item; this year's drafts of those associations are removed
  first, so every run starts alike), federation staff who review them, members (accounts of people of the
  scale data) and published news. Accounts have a TOTP device whose key the load's browsers use to pass
  the second factor as a person would.
- `load_verify`: the reports' versions and review events against what the load counted (bench/scenario.py).
"""

import datetime
from typing import Any

from bench.scenario import WRITES

PREFIX = "load-"
PASSWORD = "Busy-day-0331-load!"
NEWS_SOURCE = "來源：負載演練"


def _account(username: str, role: str, **extra):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from qiaojia.accounts.models import User

    associations = extra.pop("associations", ())
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=PASSWORD, role=role, **extra)
    if associations:
        user.associations.set(associations)
    key = ""
    if user.needs_second_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="load", confirmed=True)
        device.throttle_reset(commit=True)
        key = device.key
    return user, key


def _priorities(year: int) -> None:
    from qiaojia.cycle import demo, services
    from qiaojia.cycle.models import WorkPriorities
    from qiaojia.orgs.models import Federation

    priorities = WorkPriorities.objects.filter(year=year + 1).first()
    if priorities is None:
        priorities = services.priorities_create(
            federation=Federation.objects.order_by("pk").first(),
            items_text=demo.PRIORITIES_ITEMS,
            data={
                "year": year + 1,
                "title": f"省僑聯{year + 1}年工作要點",
                "introduction": demo.PRIORITIES_INTRODUCTION,
            },
        )
    if not priorities.is_published:
        services.priorities_publish(priorities=priorities, expected_version=priorities.version)


def _draft(i: int, association, year: int):
    from bench.cycle import report_content
    from qiaojia.cycle import demo, services

    data, items = report_content(i, association.name, year)
    report = services.report_start(association=association, year=year)
    report = services.report_update(report=report, expected_version=report.version, data=data)
    title, owner, target, month, _numbers = items[0]
    services.plan_item_create(
        report=report,
        data={"title": title, "owner": owner, "target": target, "due_on": datetime.date(year + 1, month, 28)},
    )
    report.refresh_from_db()
    # The statements are scanned in before the busy day: on it officers type and submit, which the platform
    # refuses for a report without them.
    return demo._attach_statements(report)


def _news(count: int) -> None:
    from qiaojia.cycle import demo
    from qiaojia.news import services
    from qiaojia.news.models import Article
    from qiaojia.orgs.models import Federation

    federation = Federation.objects.order_by("pk").first()
    have = Article.objects.filter(source_line=NEWS_SOURCE).count()
    texts = [demo.BUSINESS_REPORT["work_summary"]] + [row[2] for row in demo.OTHER_REPORTS]
    for n in range(have, count):
        body = f"{texts[n % len(texts)]}\n\n{texts[(n + 3) % len(texts)]}"
        article = services.article_create(
            federation=federation,
            association=None,
            data={
                "title": f"僑界動態（第{n + 1}期）",
                "summary": body.split("\n")[0][:200],
                "body": body,
                "source_line": NEWS_SOURCE,
                "original_date": datetime.date(2025, 3, 1) + datetime.timedelta(days=n),
            },
        )
        services.article_publish(article=article, expected_version=article.version)


def load_setup(*, officers: int = 200, staff: int = 40, members: int = 200, articles: int = 30) -> dict[str, Any]:
    """Make (or reset) the load's world; returns the accounts for the load and the reports' versions."""
    from django.db import transaction
    from django.utils import timezone

    from qiaojia.accounts.models import Role, User
    from qiaojia.cycle.forms import default_report_year
    from qiaojia.cycle.models import AnnualReport
    from qiaojia.members.models import Membership
    from qiaojia.notifications.models import Notification
    from qiaojia.orgs.models import Association

    year = default_report_year()
    associations = list(Association.objects.filter(status="active").order_by("pk")[:officers])
    if not associations:
        raise RuntimeError("no association to load: generate the scale data first")
    with transaction.atomic():
        removed, _ = AnnualReport.objects.filter(year=year, association__in=associations).delete()
        Notification.objects.filter(recipient__username__startswith=PREFIX).delete()
        _priorities(year)
        accounts: dict[str, list[dict[str, Any]]] = {"officer": [], "staff": [], "member": []}
        for i, association in enumerate(associations):
            user, key = _account(f"{PREFIX}officer-{i + 1:03d}", Role.OFFICER, associations=[association])
            report = _draft(i, association, year)
            accounts["officer"].append(
                {"username": user.username, "password": PASSWORD, "totp_key": key, "report": report.pk, "year": year}
            )
        department = associations[0].supervising_department
        for i in range(staff):
            user, key = _account(f"{PREFIX}staff-{i + 1:02d}", Role.STAFF, department=department)
            accounts["staff"].append({"username": user.username, "password": PASSWORD, "totp_key": key, "year": year})
        people = (
            Membership.objects.filter(association__in=associations, person__isnull=False)
            .order_by("association_id", "pk")
            .values_list("person_id", flat=True)
        )
        for person_id in people.iterator(chunk_size=1000):
            if len(accounts["member"]) >= members:
                break
            username = f"{PREFIX}member-{len(accounts['member']) + 1:03d}"
            # A person has one account at most: skip people someone else's account (or another load one) has.
            if User.objects.filter(person_id=person_id).exclude(username=username).exists():
                continue
            user, _key = _account(username, Role.MEMBER, person_id=person_id)
            accounts["member"].append({"username": user.username, "password": PASSWORD, "totp_key": "", "year": year})
        _news(articles)
        versions = dict(
            AnnualReport.objects.filter(year=year, association__in=associations).values_list("pk", "version")
        )
    return {
        "year": year,
        "at": timezone.now().isoformat(),
        "rows_removed": removed,
        "accounts": accounts,
        "versions": {str(k): v for k, v in versions.items()},
    }


def load_verify(setup: dict[str, Any], tally: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Every write the load saw accepted is in the database, and the database holds no other."""
    from django.db.models import Count

    from qiaojia.cycle.models import AnnualReport, ReportEvent, ReportEventKind

    before = {int(k): v for k, v in setup["versions"].items()}
    now = dict(AnnualReport.objects.filter(pk__in=before).values_list("pk", "version"))
    since = datetime.datetime.fromisoformat(setup["at"])
    events = dict(
        ReportEvent.objects.filter(report_id__in=before, at__gte=since).values_list("kind").annotate(n=Count("id"))
    )
    ok = tally.get("ok", {})
    checks = {
        "report writes (autosave, save, submit, accept, return: one version each)": (
            sum(now.get(pk, 0) - v for pk, v in before.items()),
            sum(ok.get(k, 0) for k in WRITES),
        ),
        "submissions": (events.get(ReportEventKind.SUBMITTED, 0), ok.get("submit", 0)),
        "acceptances": (events.get(ReportEventKind.ACCEPTED, 0), ok.get("accept", 0)),
        "returns": (events.get(ReportEventKind.RETURNED, 0), ok.get("return", 0)),
    }
    rows = {
        name: {"database": db, "load_counted": counted, "match": db == counted}
        for name, (db, counted) in checks.items()
    }
    return {
        "checks": rows,
        "no_write_lost": all(r["match"] for r in rows.values()),
        "reports_missing": sorted(set(before) - set(now)),
    }
