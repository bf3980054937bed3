"""The results writer: every database reports the seven required figures, with pass/fail per target."""

import json

from bench import results
from bench.worker import percentile

DETAIL = {
    "search": {"p95_ms": 4.2, "p50_ms": 1.1, "speedup_vs_scan": 350.0, "scan_p50_ms": 385.0,
               "by_kind": {"initials": {"queries": ["zdh"], "p50_ms": 1.0, "p95_ms": 2.0, "speedup": 300.0}}},
    "import": {"rows_per_s": 4100.0, "peak_mb": 210.0},
    "export": {"rows_per_s": 52000.0, "peak_mb": 95.0},
    "pages": {"ratio_vs_bare": 0.31, "urls": {"bare": {"path": "/bench/bare/", "rps": 900.0, "status": 200}}},
}


def _results():
    return results.build(command="python bench/run.py --scale 300", scale=300, seed=1, date="2026-11-26",
                         machine={"cores": 2}, details={"sqlite": DETAIL, "postgresql": {}})


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
