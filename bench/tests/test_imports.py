"""The import benchmark on a tiny file: it imports for real and measures, through the checking processes
when the file is above the parallel threshold."""

from bench.imports import bench_import
from qiaojia.members.models import Person


def test_bench_import_measures_rows_per_second(business_association):
    result = bench_import(200, business_association)
    assert result["rows"] == 200 and result["rows_per_s"] > 0 and result["peak_mb"] > 0
    assert Person.objects.count() == 200


def test_bench_import_checks_in_several_processes(business_association, settings):
    settings.QIAOJIA_IMPORT_PARALLEL_ROWS = 100
    settings.QIAOJIA_IMPORT_WORKERS = 2
    result = bench_import(300, business_association, seed=7)
    assert result["rows"] == 300 and Person.objects.count() == 300
