"""Measuring an export: rows/s and bytes, and with `trace_memory` the peak of Python allocations.
`make bench` measures the people export with it (`worker.task_export`); by hand, on a database that
holds scale data (`manage.py scale_generate`):

    .venv/bin/python manage.py shell   # then:
    from bench.exports import export_measure
"""

import time
import tracemalloc
from dataclasses import dataclass

from qiaojia.exports.formats import CHUNK_SIZE, Column, ExportSpec, _spec, csv_chunks, rows_of, xlsx_chunks


@dataclass
class ExportStats:
    rows: int
    seconds: float
    rows_per_s: float
    bytes: int
    peak_mb: float | None
    cpu_seconds: float = 0.0  # this process only: on a busy machine, rows / cpu_seconds is the fairer rate


def export_measure(
    queryset,
    columns: list[Column] | ExportSpec,
    fmt: str,
    out=None,
    *,
    trace_memory: bool = False,
    chunk_size: int | None = None,
) -> ExportStats:
    """Export `queryset` into the binary file `out` (or nowhere) and measure it, for benchmarks.

    With `trace_memory` the peak of Python allocations is traced (tracemalloc slows the run; time it
    separately). Rows are counted by the header-less row stream."""
    counted = 0

    def counting(rows):
        nonlocal counted
        for row in rows:
            counted += 1
            yield row

    spec = _spec(columns)
    header = [str(c.label) for c in spec.columns]
    if trace_memory:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    rows = counting(rows_of(queryset, spec, chunk_size=chunk_size or CHUNK_SIZE))
    chunks = (
        xlsx_chunks(rows, header, widths=[c.width for c in spec.columns]) if fmt == "xlsx" else csv_chunks(rows, header)
    )
    size = 0
    try:
        for chunk in chunks:
            size += len(chunk)
            if out is not None:
                out.write(chunk)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        peak = tracemalloc.get_traced_memory()[1] / 1e6 if trace_memory else None
    finally:
        if trace_memory:
            tracemalloc.stop()
    return ExportStats(
        rows=counted,
        seconds=seconds,
        rows_per_s=counted / seconds if seconds else 0.0,
        bytes=size,
        peak_mb=peak,
        cpu_seconds=cpu_seconds,
    )
