"""The annual cycle's benchmark harness on a tiny world: the reports it makes, its fixture and its cleanup,
the compilation task's figures (3 reports, .docx: fast), and how they combine."""

import argparse

from bench import cycle
from qiaojia.cycle.models import AnnualReport, PlanItem, ReportStatus, WorkPriorities
from qiaojia.orgs.models import Association


def test_report_content_is_varied_and_tied_to_priorities():
    seen_summaries = set()
    for i in range(12):
        data, items = cycle.report_content(i, "測試社團", year=2090)
        assert 5 <= len(items) <= 8
        assert all(numbers and all(1 <= n <= 9 for n in numbers) for *_rest, numbers in items)
        assert "2090年" in data["work_summary"] and "2024年" not in data["work_summary"]
        assert data["party_organisation"] == "測試社團黨支部"
        seen_summaries.add(data["work_summary"])
    assert len(seen_summaries) >= 5


def test_bulk_fixture_tops_up_associations_and_cleanup_removes_everything(business_association):
    before = Association.objects.count()
    items = cycle.create_reports_in_bulk(3, year=2090)
    reports = AnnualReport.objects.filter(year=2090)
    assert reports.count() == 3 and set(reports.values_list("status", flat=True)) == {ReportStatus.ACCEPTED}
    assert items == PlanItem.objects.filter(report__year=2090).count() >= 15
    assert PlanItem.objects.filter(report__year=2090, priorities__isnull=True).count() == 0
    assert Association.objects.filter(name__startswith=cycle.BENCH_PREFIX).count() == 2
    cycle.cycle_remove(2090)
    assert not AnnualReport.objects.filter(year=2090).exists()
    assert not WorkPriorities.objects.filter(year=2091).exists()
    assert Association.objects.count() == before


def test_compilation_task_measures_against_one_report_and_rolls_back(
    business_association, other_association, staff_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    args = argparse.Namespace(format="docx", script="zh-hans", reports=3, profile=True)
    row = cycle.task_compilation(args)
    assert row["reports"] == 3 and row["rolled_back"]
    assert row["seconds"] > 0 and row["one_report_seconds"] > 0 and row["ratio_vs_one_report"]
    assert row["bytes"] > row["one_report_bytes"] > 0
    assert row["load_queries"] <= 4  # bounded: not one query per report
    assert row["profile"]["by_cumulative"]
    assert not AnnualReport.objects.filter(year=cycle.BENCH_YEAR).exists()
    assert not Association.objects.filter(name__startswith=cycle.BENCH_PREFIX).exists()
    assert not list(tmp_path.rglob("compilation-*"))


def test_combine_takes_the_slowest_run():
    combined = cycle.combine(
        {
            "pdf zh-hans": {"seconds": 7.5, "peak_mb": 300.0, "reports": 100},
            "docx zh-hans": {"seconds": 2.0, "peak_mb": 120.0, "reports": 100},
            "pdf zh-hant": {"error": "worker exited"},
        }
    )
    assert combined["seconds"] == 7.5 and combined["peak_mb"] == 300.0
    assert cycle.combine({"pdf zh-hans": {"error": "x"}}).get("seconds") is None
