"""Laying out a long PDF in parts, side by side, and binding the parts into one document.

WeasyPrint lays out one document in one thread at about 50 ms a page. The compilation is cut into
parts of whole reports: this process lays out the first part while other processes lay out the rest.
The parts carry no page numbers: their pages are numbered when they are bound, in Helvetica (a
standard PDF font, nothing to embed), so a part does not need to know where it starts. Each part tells
on which of its pages its anchors (`id`s) fall, from which the contents page takes its numbers, and
its headings' bookmarks are carried into the bound document's outline.

This module imports nothing of Django: the processes it starts only load WeasyPrint.
"""

import io
import json
import logging
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Helvetica's digits are all 556/1000 of an em wide.
DIGIT_EM = 0.556
NUMBER_SIZE = 9  # pt, as the footer was
NUMBER_BASELINE = 30  # pt above the bottom edge of the page, inside the 20 mm margin


@dataclass
class Part:
    pdf: bytes
    pages: int
    anchors: dict[str, int]  # id -> page index within the part (0-based)


def render_part(html: str, base_url: str) -> Part:
    """Lay out and write one part; runs in this process or in a pool's."""
    from weasyprint import HTML

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    document = HTML(string=html, base_url=base_url).render()
    anchors = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    return Part(pdf=document.write_pdf(), pages=len(document.pages), anchors=anchors)


def render_parts(htmls: list[str], base_url: str, *, on_done=None) -> list[Part]:
    """Every part laid out, the first here and each other one at the same time in its own process.

    The processes are fresh interpreters running this module (`python -m qiaojia.cycle.pdf`), never
    forks of a process that runs threads (the job worker does), and they import nothing of the caller.
    `on_done(count)` is called in this process as parts are finished."""
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    workers = []
    try:
        for html in htmls[1:]:
            errors = tempfile.TemporaryFile()  # a file, not a pipe: many warnings cannot block the worker
            worker = subprocess.Popen([sys.executable, "-m", "qiaojia.cycle.pdf", base_url], cwd=root, env=env,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
            worker.errors = errors
            worker.stdin.write(html.encode())
            worker.stdin.close()
            workers.append(worker)
        parts = [render_part(htmls[0], base_url)]
        if on_done:
            on_done(1)
        for worker in workers:
            output = worker.stdout.read()  # before waiting: the worker cannot exit until its output is read
            header, _newline, pdf = output.partition(b"\n")
            if worker.wait() != 0 or not pdf:
                worker.errors.seek(0)
                message = worker.errors.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"a compilation part failed: {message}")
            meta = json.loads(header)
            parts.append(Part(pdf=pdf, pages=meta["pages"], anchors=meta["anchors"]))
            if on_done:
                on_done(len(parts))
        return parts
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
            worker.errors.close()


def bind(parts: list[Part], *, number_from: int = 2, title: str = "") -> bytes:
    """The parts as one PDF, outlines kept, pages from `number_from` (1-based) numbered at the foot."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part.pdf)), import_outline=True)
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    }))

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
    # A part laid out for render_parts: the HTML on stdin; a line of JSON then the PDF on stdout.
    part = render_part(sys.stdin.buffer.read().decode(), sys.argv[1])
    sys.stdout.buffer.write(json.dumps({"pages": part.pages, "anchors": part.anchors}).encode() + b"\n" + part.pdf)
