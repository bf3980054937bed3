"""The annual cycle's benchmark: 100 accepted annual reports of one year, their compilation (匯編) as the
background job makes it, and the report list they fill.

Reports of the harness's own year `BENCH_YEAR` (with the work priorities of the next year and, when the
bench database has fewer associations than asked, associations named `BENCH_PREFIX`…) belong to the
harness: `cycle_remove` deletes them, and every setup starts with it, so a run that died half-way leaves
nothing that the next run does not remove first.

- `task_compilation` (worker task "compilation"): inside a transaction rolled back at the end, creates
  the reports through the real services (start, update, plan items tied to priorities, submit, accept),
  then measures one format and script: the job for all the reports, against the same steps for ONE
  report (how it scales) and the bare `compilation_html` step.
- `task_cycle_fixture` / `task_cycle_cleanup` ("cycle-fixture", "cycle-cleanup"): the same reports,
  committed in bulk (no audit rows, no notices) while the pages are loaded, removed afterwards.
"""

import datetime
import os
import re
import shutil
import subprocess
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH_YEAR = 2090
BENCH_PREFIX = "基準測試社團"
TARGET_SECONDS = 10.0


# ------------------------------------------------------------------------------------------------ content


def _years(text: str, year: int) -> str:
    """The demo's texts speak of 2024 (the report) and 2025 (the plan): move them to `year`."""
    return text.replace("2025年", f"{year + 1}年").replace("2024年", f"{year}年")


def report_content(i: int, name: str, year: int = BENCH_YEAR) -> tuple[dict[str, Any], list[tuple]]:
    """Report `i`'s fields and its plan items (title, owner, target, due month, priority numbers), varied
    from the demo's texts in qiaojia/cycle/demo.py: 5 to 8 items, each tied to one or two priorities."""
    from qiaojia.cycle import demo

    business = demo.BUSINESS_REPORT
    summaries = [business["work_summary"]] + [row[2] for row in demo.OTHER_REPORTS]
    first, second = summaries[i % len(summaries)], summaries[(i + 2) % len(summaries)]
    pool = [row[:5] for row in demo.BUSINESS_PLAN] + [row[:5] for row in demo._generic_items(name)]
    count = 5 + i % 4
    items = [pool[(i + k) % len(pool)] for k in range(count)]
    data = {
        "work_summary": _years(f"{first}\n{second.replace('2024年', '同年')}", year),
        "unit_members": 20 + i % 37,
        "individual_members": 150 + (i * 37) % 900,
        "leader_count": 5 + i % 9,
        "leader_changes": _years(business["leader_changes"], year) if i % 3 == 0 else "",
        "activity_count": 6 + i % 20,
        "activities": business["activities"],
        "donations_domestic": Decimal(20000 + (i * 7919) % 400000),
        "donations_foreign": Decimal((i * 3571) % 60000),
        "award_count": i % 3,
        "awards": business["awards"] if i % 3 else "",
        "social_responsibility": business["social_responsibility"],
        "income": Decimal(300000 + (i * 10007) % 1000000),
        "expenditure": Decimal(250000 + (i * 9001) % 900000),
        "net_assets": Decimal(100000 + (i * 5003) % 800000),
        "financial_notes": business["financial_notes"],
        "party_members": 3 + i % 25,
        "party_organisation": f"{name}黨支部",
        "party_activities": business["party_activities"] if i % 2 else demo.PARTY_WORK,
        "plan_summary": _years(business["plan_summary"], year).replace("商會", "本會"),
    }
    return data, items


def _due(year: int, month: int) -> datetime.date:
    return datetime.date(year + 1, month, 28 if month == 2 else 30)


# ------------------------------------------------------------------------------------------------ setup


def cycle_remove(year: int = BENCH_YEAR) -> dict[str, int]:
    """Delete the harness's reports of `year`, its priorities of `year + 1` and its own associations."""
    from qiaojia.cycle.models import AnnualReport, WorkPriorities
    from qiaojia.orgs.models import Association

    reports, _ = AnnualReport.objects.filter(year=year).delete()
    priorities, _ = WorkPriorities.objects.filter(year=year + 1).delete()
    associations, _ = Association.objects.filter(name__startswith=BENCH_PREFIX).delete()
    return {"rows_deleted": reports + priorities + associations}


def _associations(count: int) -> list:
    """`count` associations of the bench database, topped up with the harness's own when it has fewer."""
    from qiaojia.orgs.models import Association

    chosen = list(Association.objects.exclude(name__startswith=BENCH_PREFIX).order_by("pk")[:count])
    if len(chosen) < count:
        model = chosen[0] if chosen else Association.objects.order_by("pk").first()
        for n in range(len(chosen), count):
            chosen.append(
                Association.objects.create(
                    federation_id=model.federation_id,
                    supervising_department_id=model.supervising_department_id,
                    kind=model.kind,
                    name=f"{BENCH_PREFIX}{n + 1:03d}",
                    name_key=f"{BENCH_PREFIX}{n + 1:03d}",
                )
            )
    return chosen


def _priorities(year: int):
    from qiaojia.cycle import demo, services
    from qiaojia.orgs.models import Federation

    priorities = services.priorities_create(
        federation=Federation.objects.order_by("pk").first(),
        items_text=demo.PRIORITIES_ITEMS,
        data={"year": year + 1, "title": f"省僑聯{year + 1}年工作要點", "introduction": demo.PRIORITIES_INTRODUCTION},
    )
    return services.priorities_publish(priorities=priorities, expected_version=priorities.version)


def create_reports_with_services(count: int, year: int = BENCH_YEAR) -> int:
    """`count` accepted reports through the services an officer and the staff use. Returns the plan items."""
    from qiaojia.cycle import demo, services

    by_number = {p.number: p for p in _priorities(year).items.all()}
    items_made = 0
    for i, association in enumerate(_associations(count)):
        data, items = report_content(i, association.name, year)
        report = services.report_start(association=association, year=year)
        report = services.report_update(report=report, expected_version=report.version, data=data)
        for title, owner, target, month, numbers in items:
            services.plan_item_create(
                report=report,
                priorities=[by_number[n] for n in numbers],
                data={"title": title, "owner": owner, "target": target, "due_on": _due(year, month)},
            )
            items_made += 1
        report.refresh_from_db()
        report = demo._attach_statements(report)  # the platform refuses a report without its statements
        report = services.report_submit(report=report, expected_version=report.version)
        services.report_accept(report=report, expected_version=report.version)
    return items_made


def create_reports_in_bulk(count: int, year: int = BENCH_YEAR) -> int:
    """The same reports, accepted, written in bulk: the fixture of the report list under load."""
    from django.utils import timezone

    from qiaojia.cycle import demo
    from qiaojia.cycle.models import AnnualReport, PlanItem, PrioritiesStatus, Priority, ReportStatus, WorkPriorities
    from qiaojia.orgs.models import Federation

    priorities = WorkPriorities.objects.create(
        federation=Federation.objects.order_by("pk").first(),
        year=year + 1,
        title=f"省僑聯{year + 1}年工作要點",
        status=PrioritiesStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    lines = [line.split(". ", 1) for line in demo.PRIORITIES_ITEMS.splitlines()]
    by_number = {
        p.number: p
        for p in Priority.objects.bulk_create(
            [Priority(priorities=priorities, number=int(n), title=t) for n, t in lines]
        )
    }
    now = timezone.now()
    reports, plans = [], []
    for i, association in enumerate(_associations(count)):
        data, items = report_content(i, association.name, year)
        reports.append(
            AnnualReport(
                association=association,
                year=year,
                status=ReportStatus.ACCEPTED,
                submitted_at=now,
                accepted_at=now,
                prefilled_at=now,
                **data,
            )
        )
        plans.append(items)
    reports = AnnualReport.objects.bulk_create(reports)
    if reports and reports[0].pk is None:
        reports = list(AnnualReport.objects.filter(year=year).order_by("pk"))
    plan_items, numbers = [], []
    for report, items in zip(reports, plans, strict=True):
        for k, (title, owner, target, month, prio) in enumerate(items, start=1):
            plan_items.append(
                PlanItem(report=report, number=k, title=title, owner=owner, target=target, due_on=_due(year, month))
            )
            numbers.append(prio)
    plan_items = PlanItem.objects.bulk_create(plan_items)
    if plan_items and plan_items[0].pk is None:
        plan_items = list(PlanItem.objects.filter(report__year=year).order_by("report_id", "number"))
    through = PlanItem.priorities.through
    through.objects.bulk_create(
        [
            through(planitem_id=item.pk, priority_id=by_number[n].pk)
            for item, prio in zip(plan_items, numbers, strict=True)
            for n in prio
        ]
    )
    return len(plan_items)


def task_cycle_fixture(args) -> dict[str, Any]:
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic():
        removed = cycle_remove()
        items = create_reports_in_bulk(args.reports)
    return {
        "year": BENCH_YEAR,
        "reports": args.reports,
        "plan_items": items,
        **removed,
        "seconds": round(time.perf_counter() - started, 2),
    }


def task_cycle_cleanup(args) -> dict[str, Any]:
    from django.db import transaction

    with transaction.atomic():
        return {"year": BENCH_YEAR, **cycle_remove()}


# ------------------------------------------------------------------------------------------------ measure


def pdf_pages(path: Path) -> int | None:
    try:
        output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    match = re.search(r"^Pages:\s+(\d+)", output, re.M)
    return int(match.group(1)) if match else None


def _profile(call, limit: int = 14) -> dict[str, list[str]]:
    """Where the time goes: the top functions by cumulative and by own time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt or 1.0
    rows = []
    for (filename, line, function), (_cc, calls, own, cumulative, _callers) in stats.stats.items():
        where = filename.split("site-packages/")[-1].split("/work/main/")[-1]
        rows.append((cumulative, own, calls, f"{where}:{line}({function})"))

    def fmt(row) -> str:
        cumulative, own, calls, name = row
        return f"{cumulative:.2f} s cum ({cumulative / total:.0%}), {own:.2f} s own, {calls} calls: {name}"

    # The wrappers (the harness, the job, compilation_pdf, write_pdf) hold ~100 % each: start below them.
    by_cumulative = [fmt(r) for r in sorted(rows, reverse=True) if r[0] < 0.9 * total][:limit]
    phases = {}
    for label, marker in (
        ("layout (weasyprint.layout)", "weasyprint/layout/__init__.py"),
        ("style cascade (weasyprint.css)", "weasyprint/css/__init__.py"),
        ("of which line breaking (Pango)", "weasyprint/text/line_break.py"),
        ("painting and writing the PDF (after render)", "weasyprint/pdf/__init__.py"),
        ("HTML from the templates (compilation_html)", "qiaojia/cycle/documents.py"),
    ):
        cum = max(
            (r[0] for r in rows if marker in r[3] and ("html" in label) == ("compilation_html" in r[3])), default=0.0
        )
        phases[label] = f"{cum:.2f} s ({cum / total:.0%})"
    by_own = [fmt(r) for r in sorted(rows, key=lambda r: r[1], reverse=True)][:limit]
    return {"total_seconds": round(total, 2), "phases": phases, "by_cumulative": by_cumulative, "by_own_time": by_own}


def task_compilation(args) -> dict[str, Any]:
    """One format and script of the compilation of `args.reports` accepted reports, as the job makes it."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bench.worker import bench_viewer, peak_mb
    from qiaojia.cycle import documents
    from qiaojia.jobs import services as jobs
    from qiaojia.jobs.models import Job, JobStatus

    # The kept pages of the compilation in a folder of this run's own, removed afterwards.
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="qiaojia-bench-media-"))
    parts_dir = settings.MEDIA_ROOT / "cache" / "compilation"
    fmt, script, year = args.format, args.script, BENCH_YEAR
    viewer, _device = bench_viewer()
    baseline_mb = peak_mb()
    outputs: list[Path] = []

    def run_job() -> tuple[Job, float, int]:
        job = Job.objects.create(
            kind=documents.COMPILE_KIND,
            owner=viewer,
            total=args.reports,
            params={"year": year, "script": script, "format": fmt},
        )
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            jobs.job_run(job)
            seconds = time.perf_counter() - started
        if jobs.result_file(job):
            outputs.append(jobs.result_file(job))
        return job, seconds, len(queries)

    try:
        with transaction.atomic():
            cycle_remove()
            started = time.perf_counter()
            plan_items = create_reports_with_services(args.reports)
            setup_seconds = time.perf_counter() - started

            # Baseline: the same steps for ONE of these reports (the libraries imported first: a worker
            # process has them loaded; each job still builds its own font configuration).
            import docx  # noqa: F401
            import weasyprint  # noqa: F401

            with CaptureQueriesContext(connection) as q_load:
                started = time.perf_counter()
                reports = documents._load(year)
                load_seconds = time.perf_counter() - started
            one = reports[:1]
            started = time.perf_counter()
            if fmt == "pdf":
                documents.compilation_html(year=year, script=script, reports=one)
                html_one_seconds = time.perf_counter() - started
                started = time.perf_counter()  # the PDF makes its HTML again: time it whole
                content_one = documents.compilation_pdf(year=year, script=script, reports=one)
            else:
                html_one_seconds = None
                content_one = documents.compilation_docx(year=year, script=script, reports=one)
            one_seconds = time.perf_counter() - started
            one_peak = peak_mb()

            # The bare HTML step for all of them (the PDF's input; the docx does not use it).
            started = time.perf_counter()
            html = documents.compilation_html(year=year, script=script, reports=reports)
            html_seconds = time.perf_counter() - started

            # The job itself, all reports, as the background worker runs it (load, lay out, write the file).
            # PDF: first cold (no report's pages kept: the first compilation after a new template, or of
            # reports accepted outside a request), then warm, after the pages kept when each report was
            # accepted (job cycle.prepare, timed here as that job runs it: one process, one script).
            cold = prepare_seconds = None
            if fmt == "pdf":
                shutil.rmtree(parts_dir, ignore_errors=True)  # the one-report run above kept its part
                job, cold, _queries = run_job()
                if job.status != JobStatus.SUCCEEDED:
                    transaction.set_rollback(True)  # returning from the block would commit it
                    return {"error": f"the cold compilation job failed: {job.error[:1000]}"}
                cold_pages = pdf_pages(jobs.result_file(job))
                cold_bytes = jobs.result_file(job).stat().st_size
                started = time.perf_counter()
                prepared = documents.prepare_parts([report.pk for report in reports], scripts=(script,))
                prepare_seconds = time.perf_counter() - started
            job, seconds, queries = run_job()
            if job.status != JobStatus.SUCCEEDED:
                transaction.set_rollback(True)
                return {"error": f"the compilation job failed: {job.error[:1000]}"}
            output = jobs.result_file(job)
            size = output.stat().st_size
            pages = pdf_pages(output) if fmt == "pdf" else None
            peak = peak_mb()
            profile = None
            if (cold or seconds) > TARGET_SECONDS or args.profile:
                if fmt == "pdf":
                    shutil.rmtree(parts_dir, ignore_errors=True)  # profile the cold run, the slower
                profile = _profile(run_job)
            transaction.set_rollback(True)
    finally:
        for path in outputs:
            path.unlink(missing_ok=True)
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    warm = (
        {
            "cold_seconds": round(cold, 2),
            "cold_pages": cold_pages,
            "cold_bytes": cold_bytes,
            "prepare_seconds": round(prepare_seconds, 2),
            "prepared_parts": prepared,
            "prepare_per_report_ms": round(prepare_seconds / max(1, prepared) * 1000, 1),
            "seconds_are": "warm: every report's pages kept at its acceptance, as in the platform's flow; "
            "cold_seconds: none kept",
        }
        if fmt == "pdf"
        else {}
    )
    return {
        "function": f"qiaojia.cycle.tasks job {documents.COMPILE_KIND} (jobs.job_run: load, "
        + (
            "compilation_pdf: each report's pages kept or laid out by WeasyPrint, several processes at "
            "once, bound by pypdf"
            if fmt == "pdf"
            else "compilation_docx"
        )
        + ", write the file)",
        "format": fmt,
        "script": script,
        "reports": len(reports),
        "plan_items": plan_items,
        "processes": documents.default_processes() if fmt == "pdf" else None,
        "seconds": round(seconds, 2),
        **warm,
        "per_report_ms": round(seconds / len(reports) * 1000, 1),
        "one_report_seconds": round(one_seconds, 3),
        "ratio_vs_one_report": round(seconds / one_seconds, 1) if one_seconds else None,
        "html_seconds": round(html_seconds, 3),
        "html_chars": len(html),
        "html_one_report_seconds": round(html_one_seconds, 3) if html_one_seconds is not None else None,
        "load_seconds": round(load_seconds, 3),
        "load_queries": len(q_load),
        "job_queries": queries,
        "bytes": size,
        "pages": pages,
        "one_report_bytes": len(content_one),
        "peak_mb": round(peak, 1),
        "one_report_peak_mb": round(one_peak, 1),
        "baseline_mb": round(baseline_mb, 1),
        "peak_definition": "ru_maxrss of the measuring process (after the setup, the one-report run and the job); "
        "the part workers it starts are other processes, not counted here",
        "setup": f"{len(reports)} accepted reports on {year} with {plan_items} plan items made through the "
        f"services (report_start, report_update, plan_item_create, report_submit, report_accept) in "
        f"{setup_seconds:.1f} s, rolled back afterwards",
        "setup_seconds": round(setup_seconds, 1),
        "rolled_back": True,
        "pid": os.getpid(),
        **({"profile": profile} if profile else {}),
    }


def combine(runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The headline is the slowest of the formats and scripts measured, and the largest peak."""
    measured = {k: r for k, r in runs.items() if r.get("seconds") is not None}
    if not measured:
        return {"runs": runs}
    colds = [r["cold_seconds"] for r in measured.values() if r.get("cold_seconds") is not None]
    return {
        "seconds": max(r["seconds"] for r in measured.values()),
        "cold_seconds": max(colds) if colds else None,
        "peak_mb": max(r["peak_mb"] for r in measured.values()),
        "reports": max(r["reports"] for r in measured.values()),
        "headline": "the slowest of the formats and scripts measured, and the largest peak",
        "runs": runs,
    }
