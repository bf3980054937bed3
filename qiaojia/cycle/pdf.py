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


class Workers:
    """Processes that each lay out one part while this process lays out the first.

    They are fresh interpreters running this module (`python -m qiaojia.cycle.pdf`), never forks of a
    process that runs threads (the job worker does), and import nothing of the caller. They are started
    before the parts' HTML is written, so that their interpreter and WeasyPrint load in the meantime;
    each is then given the path of its part's HTML and answers with a line of JSON and the PDF."""

    def __init__(self, count: int, base_url: str):
        self.base_url = base_url
        self.processes: list[subprocess.Popen] = []
        self.errors: list = []  # each worker's stderr
        self.sources: list = []  # each worker's HTML
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        for _n in range(count):
            errors = tempfile.TemporaryFile()  # a file, not a pipe: many warnings cannot block the worker
            self.errors.append(errors)
            self.processes.append(subprocess.Popen(
                [sys.executable, "-m", "qiaojia.cycle.pdf", base_url], cwd=root, env=env,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait()
        for handle in self.errors + self.sources:
            handle.close()

    def render(self, htmls: list[str], *, font_config=None, on_done=None) -> list[Part]:
        """The parts laid out: the first here, the others by the workers at the same time."""
        if len(htmls) > len(self.processes) + 1:
            raise ValueError("more parts than workers")
        used = self.processes[:len(htmls) - 1]
        for process in self.processes[len(used):]:  # fewer parts than expected: nothing for these
            process.stdin.write(b"\n")
            process.stdin.close()
        for process, html in zip(used, htmls[1:], strict=True):
            source = tempfile.NamedTemporaryFile(suffix=".html")
            self.sources.append(source)
            source.write(html.encode())
            source.flush()
            process.stdin.write(source.name.encode() + b"\n")
            process.stdin.close()
        parts = [render_part(htmls[0], self.base_url, font_config=font_config)]
        if on_done:
            on_done(1)
        for process, errors in zip(used, self.errors, strict=False):
            output = process.stdout.read()  # before waiting: the worker cannot exit until its output is read
            header, _newline, pdf = output.partition(b"\n")
            if process.wait() != 0 or not pdf:
                errors.seek(0)
                raise RuntimeError(f"a compilation part failed: {errors.read().decode(errors='replace')[-2000:]}")
            meta = json.loads(header)
            parts.append(Part(pdf=pdf, pages=meta["pages"], anchors=meta["anchors"]))
            if on_done:
                on_done(len(parts))
        return parts


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
    # A worker: load WeasyPrint and the fonts first, then wait for the path of the part's HTML.
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    source = sys.stdin.readline().strip()
    if not source:
        sys.exit(0)
    part = render_part(Path(source).read_text(), sys.argv[1], font_config=fonts)
    sys.stdout.buffer.write(json.dumps({"pages": part.pages, "anchors": part.anchors}).encode() + b"\n" + part.pdf)
