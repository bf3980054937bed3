"""Laying out many small PDFs side by side, and binding them into one document.

WeasyPrint lays out one document in one thread at about 50 ms a page. The compilation is made of one
small PDF per report (kept, so that the next compilation lays out only what changed; see
`documents.py`): `render_many` lays them out in this process and in a standard process pool at once,
each taking the next from a shared queue. The parts carry no page numbers: their pages are numbered when
they are bound, in Helvetica (a standard PDF font, nothing to embed), so a part does not need to know
where it starts. Each part tells on which of its pages its anchors (`id`s) fall, from which the
contents page takes its numbers, and its headings' bookmarks are carried into the bound document's
outline (the top-level ones numbered as the contents number them).

This module imports nothing of Django: the processes it starts only load WeasyPrint. It runs in a job
worker, never in a web process: the compilation is a background job.
"""

import collections
import concurrent.futures
import io
import logging
import multiprocessing
import queue
import threading
from dataclasses import dataclass

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


_fonts = None  # the font configuration of a pool process, made once by `_start_process`


def _start_process() -> None:
    """A pool process loads WeasyPrint and its fonts once, before the first document it is given."""
    global _fonts
    from weasyprint.text.fonts import FontConfiguration

    _fonts = FontConfiguration()


def _render_in_process(html: str, base_url: str) -> Part:
    return render_part(html, base_url, font_config=_fonts)


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
    in up to `processes - 1` pool processes at once (concurrent.futures), each given the next document as
    soon as it is free. `on_done(index, part)` is called in this thread as each one is ready.

    The pool's processes are spawned, fresh interpreters importing this module only: the job worker that
    calls this runs threads (its heartbeat), and a fork of a threaded process may inherit a held lock."""
    todo = collections.deque(range(len(htmls)))
    take_lock = threading.Lock()
    results: list[Part | None] = [None] * len(htmls)
    finished: queue.SimpleQueue = queue.SimpleQueue()  # (index, part) or (None, exception) from the feeders
    count = max(0, min(processes - 1, len(htmls) // max(1, per_worker) - 1))

    def take() -> int | None:
        with take_lock:
            return todo.popleft() if todo else None

    def ready(index: int, part: Part) -> None:
        results[index] = part
        if on_done:
            on_done(index, part)

    def collect(block: bool) -> None:
        while True:
            try:
                index, part = finished.get(block=block)
            except queue.Empty:
                return
            if index is None:
                raise part
            ready(index, part)
            block = False

    if not count:
        for index in range(len(htmls)):
            ready(index, render_part(htmls[index], base_url, font_config=font_config))
        return results
    pool = concurrent.futures.ProcessPoolExecutor(
        count, mp_context=multiprocessing.get_context("spawn"), initializer=_start_process
    )

    def feed() -> None:
        """One per pool process: hands it the next document as soon as its last one is back."""
        try:
            while (index := take()) is not None:
                finished.put((index, pool.submit(_render_in_process, htmls[index], base_url).result()))
        except Exception as exc:  # noqa: BLE001 - handed to the caller's thread, which raises it
            finished.put((None, exc))

    feeders = [threading.Thread(target=feed, daemon=True) for _n in range(count)]
    try:
        for feeder in feeders:
            feeder.start()
        while (index := take()) is not None:
            collect(block=False)
            ready(index, render_part(htmls[index], base_url, font_config=font_config))
        while any(result is None for result in results):
            collect(block=True)
    finally:
        with take_lock:
            todo.clear()  # after a failure the feeders stop at their next document
        for feeder in feeders:
            feeder.join()
        pool.shutdown(wait=True, cancel_futures=True)
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
