"""Laying out many small PDFs side by side, and binding them into one document.

WeasyPrint lays out one document in one thread at about 50 ms a page. The compilation is made of one
small PDF per report (kept, so that the next compilation lays out only what changed; see
`documents.py`): `render_many` lays them out in this process and in worker processes at once, each
taking the next from a shared queue. The parts carry no page numbers: their pages are numbered when
they are bound, in Helvetica (a standard PDF font, nothing to embed), so a part does not need to know
where it starts. Each part tells on which of its pages its anchors (`id`s) fall, from which the
contents page takes its numbers, and its headings' bookmarks are carried into the bound document's
outline (the top-level ones numbered as the contents number them).

This module imports nothing of Django: the processes it starts only load WeasyPrint.
"""

import io
import json
import logging
import os
import queue
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

# Helvetica's digits are all 556/1000 of an em wide.
DIGIT_EM = 0.556
NUMBER_SIZE = 9  # pt, as the footer was
NUMBER_BASELINE = 30  # pt above the bottom edge of the page, inside the 20 mm margin
# A worker process costs about a second to start (its interpreter and WeasyPrint) and a small report
# about 0.2 s to lay out: fewer parts than this per extra process are laid out here alone.
PARTS_PER_WORKER = 8


@dataclass
class Part:
    pdf: bytes
    pages: int
    anchors: dict[str, int]  # id -> page index within the part (0-based)
    first_number: int | None = None  # the part's top-level bookmarks are numbered from it when bound


def render_part(html: str, base_url: str, font_config=None) -> Part:
    """Lay out and write one part; runs in this process or in a worker's."""
    from weasyprint import HTML

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    document = HTML(string=html, base_url=base_url).render(font_config=font_config)
    anchors = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    return Part(pdf=document.write_pdf(), pages=len(document.pages), anchors=anchors)


class _Worker:
    """A fresh interpreter running this module (`python -m qiaojia.cycle.pdf`), never a fork of a process
    that runs threads (the job worker does). It reads lines `html path<TAB>pdf path`, writes each PDF and
    answers each with a line of JSON (pages and anchors), until its input ends."""

    def __init__(self, base_url: str):
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        self.errors = tempfile.TemporaryFile()  # a file, not a pipe: many warnings cannot block the worker
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qiaojia.cycle.pdf", base_url],
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
        )

    def render(self, html_path: str, pdf_path: str) -> Part:
        self.process.stdin.write(f"{html_path}\t{pdf_path}\n".encode())
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            self.errors.seek(0)
            raise RuntimeError(f"a compilation part failed: {self.errors.read().decode(errors='replace')[-2000:]}")
        meta = json.loads(line)
        return Part(pdf=Path(pdf_path).read_bytes(), pages=meta["pages"], anchors=meta["anchors"])

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.errors.close()


def render_many(
    htmls: list[str],
    base_url: str,
    *,
    processes: int = 1,
    font_config=None,
    on_done=None,
    per_worker: int = PARTS_PER_WORKER,
) -> list[Part]:
    """Every HTML document laid out, in order: here and, with at least `per_worker` documents for each,
    in up to `processes - 1` worker processes at once, each taking the next document as soon as it is free.
    `on_done(index, part)` is called in this thread as each one is ready."""
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(htmls)):
        todo.put(index)
    results: list[Part | None] = [None] * len(htmls)
    finished: queue.SimpleQueue = queue.SimpleQueue()  # (index, part) or (None, exception) from the feeders
    count = max(0, min(processes - 1, len(htmls) // max(1, per_worker) - 1))
    workers = [_Worker(base_url) for _n in range(count)]
    scratch = tempfile.TemporaryDirectory(prefix="qiaojia-parts-")

    def feed(worker: _Worker, number: int) -> None:
        try:
            while True:
                try:
                    index = todo.get_nowait()
                except queue.Empty:
                    return
                source = Path(scratch.name) / f"{number}-{index}.html"
                source.write_text(htmls[index])
                finished.put((index, worker.render(str(source), str(source.with_suffix(".pdf")))))
        except Exception as exc:  # noqa: BLE001 - handed to the caller's thread, which raises it
            finished.put((None, exc))

    feeders = [threading.Thread(target=feed, args=(worker, n), daemon=True) for n, worker in enumerate(workers)]
    try:
        for feeder in feeders:
            feeder.start()

        def collect(block: bool) -> None:
            while True:
                try:
                    index, part = finished.get(block=block)
                except queue.Empty:
                    return
                if index is None:
                    raise part
                results[index] = part
                if on_done:
                    on_done(index, part)
                block = False

        while True:
            collect(block=False)
            try:
                index = todo.get_nowait()
            except queue.Empty:
                break
            results[index] = part = render_part(htmls[index], base_url, font_config=font_config)
            if on_done:
                on_done(index, part)
        while any(result is None for result in results):
            collect(block=True)
    finally:
        for worker in workers:
            worker.close()
        for feeder in feeders:
            feeder.join(timeout=5)
        scratch.cleanup()
    return results


def _copy_outline(writer, reader, items, offset: int, parent=None, number: int | None = None) -> None:
    """The part's bookmarks, nested as they were, pointing at its pages in the bound document; the
    top-level ones numbered from `number` ("3. ...") when it is given."""
    last = None
    for item in items:
        if isinstance(item, list):  # the children of the item before
            _copy_outline(writer, reader, item, offset, last)
            continue
        title = item.title
        if number is not None:
            title, number = f"{number}. {title}", number + 1
        page = reader.get_destination_page_number(item)
        last = writer.add_outline_item(title=title, page_number=offset + page, parent=parent)


def bind(parts: list[Part], *, number_from: int = 2, title: str = "", merge_fonts: bool = True) -> bytes:
    """The parts as one PDF, outlines kept, pages from `number_from` (1-based) numbered at the foot, and
    the parts' subsets of each font merged into one (`fontmerge.py`)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    offset = 0
    for part in parts:
        reader = PdfReader(io.BytesIO(part.pdf))
        writer.append(reader, import_outline=False)
        _copy_outline(writer, reader, reader.outline, offset, number=part.first_number)
        offset += len(reader.pages)
    if merge_fonts:
        from .fontmerge import merge_in

        merge_in(writer)
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )

    def stream(data: bytes):
        content = DecodedStreamObject()
        content.set_data(data)
        return writer._add_object(content)

    save, restore = stream(b"q\n"), stream(b"\nQ\n")  # the page's own drawing cannot move the number
    for number, page in enumerate(writer.pages, start=1):
        if number < number_from:
            continue
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        fonts[NameObject("/QJPageNo")] = font
        resources[NameObject("/Font")] = fonts
        page[NameObject("/Resources")] = resources
        width = float(page.mediabox.width)
        text = str(number)
        x = (width - len(text) * DIGIT_EM * NUMBER_SIZE) / 2
        label = stream(f"BT /QJPageNo {NUMBER_SIZE} Tf 0.333 g {x:.2f} {NUMBER_BASELINE} Td ({text}) Tj ET\n".encode())
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else ArrayObject()
        existing = list(existing) if isinstance(existing, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *existing, restore, label])
    if title:
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


if __name__ == "__main__":
    # A worker: load WeasyPrint and the fonts first, then lay out each document it is given.
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    for line in sys.stdin:
        if not line.strip():
            break
        source, target = line.rstrip("\n").split("\t")
        part = render_part(Path(source).read_text(), sys.argv[1], font_config=fonts)
        Path(target).write_bytes(part.pdf)
        sys.stdout.write(json.dumps({"pages": part.pages, "anchors": part.anchors}) + "\n")
        sys.stdout.flush()
