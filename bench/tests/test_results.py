"""The results writer: every database reports the seven required figures, with pass/fail per target."""

import json

from bench import results
from bench.worker import percentile

DETAIL = {
    "search": {
        "p95_ms": 4.2,
        "p50_ms": 1.1,
        "speedup_vs_scan": 350.0,
        "scan_p50_ms": 385.0,
        "by_kind": {"initials": {"queries": ["zdh"], "p50_ms": 1.0, "p95_ms": 2.0, "speedup": 300.0}},
    },
    "import": {"rows_per_s": 4100.0, "peak_mb": 210.0},
    "export": {"rows_per_s": 52000.0, "peak_mb": 95.0},
    "pages": {
        "ratio_vs_bare": 0.31,
        "report_list_ratio_vs_bare": 0.52,
        "report_list_fixture": "100 reports",
        "urls": {
            "bare": {"path": "/bench/bare/", "rps": 900.0, "status": 200},
            "report_list": {"path": "/cycle/reports/", "rps": 468.0, "status": 200},
        },
    },
    "compilation": {
        "seconds": 12.5,
        "cold_seconds": 14.0,
        "peak_mb": 310.0,
        "reports": 100,
        "headline": "the slowest",
        "runs": {
            "pdf zh-hans": {
                "format": "pdf",
                "seconds": 12.5,
                "per_report_ms": 125.0,
                "cold_seconds": 14.0,
                "cold_bytes": 800000,
                "prepare_per_report_ms": 210.0,
                "one_report_seconds": 0.4,
                "ratio_vs_one_report": 31.2,
                "html_seconds": 0.3,
                "pages": 250,
                "bytes": 900000,
                "job_queries": 6,
                "peak_mb": 310.0,
                "setup": "100 reports",
                "profile": {
                    "total_seconds": 13.0,
                    "by_cumulative": ["9.0 s cum: weasyprint layout"],
                    "by_own_time": ["2.0 s own: fonttools"],
                },
            },
            "docx zh-hant": {"error": "worker compilation exited with 1"},
        },
    },
}


def _results():
    return results.build(
        command="python bench/run.py --scale 300",
        scale=300,
        seed=1,
        date="2026-11-26",
        machine={"cores": 2},
        details={"sqlite": DETAIL, "postgresql": {}},
    )


def test_results_hold_the_required_keys_for_every_database(tmp_path):
    path = tmp_path / "results.json"
    results.write_json(_results(), path)
    written = json.loads(path.read_text())
    for name in ("sqlite", "postgresql"):
        assert set(results.REQUIRED_KEYS) <= set(written["databases"][name])
    assert written["databases"]["sqlite"]["search_p95_ms"] == 4.2
    assert written["databases"]["postgresql"]["import_rows_per_s"] is None
    assert {"scale", "date", "machine", "command"} <= set(written)


def test_results_judge_each_target():
    verdicts = _results()["databases"]["sqlite"]["verdicts"]
    assert verdicts["search_p95_ms"] == "pass"
    assert verdicts["search_speedup_vs_scan"] == "pass"
    assert verdicts["import_rows_per_s"] == "FAIL"
    assert verdicts["export_peak_mb"] == "pass"
    assert verdicts["page_ratio_vs_bare"] == "FAIL"
    assert verdicts["compilation_100_seconds"] == "FAIL"
    assert _results()["databases"]["postgresql"]["verdicts"]["export_rows_per_s"] == "not measured"


def test_markdown_names_the_command_the_figures_and_the_shortfalls():
    text = results.render_markdown(_results(), analysis="Import is slow because of X.")
    assert "`python bench/run.py --scale 300`" in text
    assert "4.2 (pass)" in text
    assert "Where it falls short and why" in text
    assert "page" in text.lower() and "FAIL" in text
    assert text.rstrip().endswith("Import is slow because of X.")


def test_percentile_interpolates():
    assert percentile([1, 2, 3, 4, 5], 0.5) == 3
    assert percentile([10.0], 0.95) == 10.0
    assert round(percentile(list(range(1, 101)), 0.95), 2) == 95.05


def test_markdown_shows_the_report_list_and_the_compilation_with_its_profile():
    sqlite = _results()["databases"]["sqlite"]
    assert sqlite["compilation_100_seconds"] == 12.5 and sqlite["report_list_ratio_vs_bare"] == 0.52
    text = results.render_markdown(_results())
    assert "Compilation of 100 accepted reports" in text and "12.5 (FAIL)" in text
    assert "ratio report_list / bare = 0.520" in text
    assert "ratio min(list, search) / bare = 0.310" in text
    assert "| pdf zh-hans | 12.5 | 14.0 (800,000) | 210.0 | 125.0 | 0.4 | 31.2 | 0.3 | 250 |" in text
    assert "The same PDF with no report's pages kept beforehand (cold)" in text and "14.0 (FAIL)" in text
    assert "worker compilation exited with 1" in text
    assert "weasyprint layout" in text


LOAD = {
    "command": "python bench/loadrun.py",
    "date": "2026-12-02",
    "seconds": 1500,
    "scale": 1_000_000,
    "machine": {"cpu": "Xeon", "cores": 2, "ram_gb": 23.5, "postgresql": "15"},
    "load_average_1m_at_start_and_end": [3.1, 5.2],
    "server": "gunicorn",
    "client": "locust",
    "data": {"people": 1_000_000, "memberships": 1_200_000, "associations": 200},
    "target_p95_ms": 500.0,
    "step_seconds": 60,
    "sustained_users": 8,
    "steps": [
        {
            "users": 8,
            "requests": 200,
            "rps": 3.1,
            "p50_ms": 120.0,
            "p95_ms": 480.0,
            "p99_ms": 700.0,
            "error_rate": 0.0,
            "load_average_1m_at_start_and_end": [3.1, 4.0],
        }
    ],
    "run": {
        "users": 16,
        "minutes": 10,
        "requests": 3600,
        "rps": 6.0,
        "p50_ms": 150.0,
        "p95_ms": 650.0,
        "p99_ms": 900.0,
        "error_rate": 0.0025,
        "load_average_1m_at_start_and_end": [4.0, 5.2],
        "by_request": {
            "report autosave": {"requests": 500, "failures": 9, "p50_ms": 90.0, "p95_ms": 300.0, "p99_ms": 500.0}
        },
        "tally": {"ok": {"autosave": 491}, "conflict": {}, "failed": {"autosave": 9}},
    },
    "writes": {"no_write_lost": True, "checks": {"submissions": {"database": 40, "load_counted": 40, "match": True}}},
}


def test_markdown_shows_the_load_with_its_error_rate_verdict_and_the_writes_check():
    text = results.render_markdown({**_results(), "load": LOAD})
    section = text.split("## Load: the busiest day (31 March)")[1].split("## Where it falls short")[0]
    assert "| 8 | 200 | 3.1 | 120.0 | 480.0 | 700.0 | 0.000% |" in section
    assert "**16 users** (twice that) for 10 min" in section and "**p95 650.0 ms**" in section
    assert "**errors 0.250%** (target < 0.1%: FAIL)" in section
    assert "load average (1 min) [3.1, 5.2]" in section and "shared with other work" in section
    assert "| submissions | 40 | 40 | yes |" in section and "no write lost" in section
    assert "failed: {'autosave': 9}" in section
    assert "## Load" not in results.render_markdown(_results())
