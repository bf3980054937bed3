"""Uploaded files: checked for what they claim to be, stored under generated names, read row by row.

Nothing here trusts a file to be as small as it looks. The upload request runs only the cheap checks
(`store_upload`: size, type by content, the zip's central directory); reading the rows happens in a
background job, through `read_rows`, which enforces every limit again while it streams: the bytes a
workbook expands to, the size of the parts loaded whole, the shared-string table (parsed here with a
bounded parser rather than by openpyxl), the columns and the rows. A refusal is a `ValidationError`
whose code names a message of `REFUSALS`, shown in the reader's language."""

import codecs
import csv
import io
import os
import struct
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qiaojia.core.files import private_dir
from qiaojia.core.storage import local_storage

from .fields import cell_text

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
MB = 1024 * 1024
# Excel's own limit: a row number past it is a forged sheet, not a spreadsheet.
EXCEL_MAX_ROWS = 1_048_576
# A workbook of a few sheets has a few dozen parts; thousands mean something else.
MAX_PARTS = 1000
# The parts openpyxl loads whole (workbook, styles, theme, relationships, properties) stay below this;
# only worksheets and the shared strings are streamed and may be larger.
MAX_PART_BYTES = 16 * MB
# Parts smaller than this are not judged by their compression ratio (tiny XML compresses very well).
RATIO_FLOOR = MB
HEADER_MAX_CHARS = 100
# Excel's limit for one cell's text.
CELL_MAX_CHARS = 32_767

REFUSALS = {
    "extension": _("Upload an .xlsx or .csv file."),
    "size": _("The file is larger than %(mb)s MB."),
    "content": _("This file is not an Excel workbook (.xlsx)."),
    "encoding": _("This CSV file is neither UTF-8 nor GB18030 text."),
    "unreadable": _("This file could not be read: is it a damaged workbook?"),
    "empty": _("The file is empty."),
    "structure": _(
        "This workbook is not built like an ordinary Excel file: open it in Excel and save it again "
        "as .xlsx, or save it as .csv."
    ),
    "unzipped": _("Opened, this workbook would take more than %(mb)s MB: split it into smaller files."),
    "ratio": _(
        "This workbook expands far more than a spreadsheet does, a sign of a damaged or hostile file: it "
        "was not opened."
    ),
    "strings": _("This workbook holds more than %(max)s different texts: split it into smaller files."),
    "string_chars": _(
        "The texts of this workbook are longer than %(max)s characters in all: split it into smaller files."
    ),
    "rows": _("The file has more than %(max)s rows: split it into files of at most %(max)s rows each."),
    "columns": _("The file has more than %(max)s columns: remove the columns that are not imported."),
}


def refusal(code: str, **params) -> ValidationError:
    return ValidationError(REFUSALS[code], code=code, params=params)


def refusal_text(code: str, params: dict | None = None) -> str:
    """A stored refusal (code and params) as text in the active language."""
    message = REFUSALS.get(code, REFUSALS["unreadable"])
    return str(message) % (params or {}) if params else str(message)


@dataclass(frozen=True)
class Limits:
    """How large an import may be (settings `QIAOJIA_IMPORT_MAX_*`; see config/settings/base.py)."""

    max_bytes: int
    max_unzipped: int
    max_ratio: int
    max_rows: int
    max_columns: int
    max_strings: int
    max_string_chars: int

    @classmethod
    def current(cls) -> "Limits":
        def setting(name: str, default: int) -> int:
            return int(getattr(settings, f"QIAOJIA_IMPORT_{name}", default))

        return cls(
            max_bytes=setting("MAX_BYTES", 20 * MB),
            max_unzipped=setting("MAX_UNZIPPED_BYTES", 256 * MB),
            max_ratio=setting("MAX_ZIP_RATIO", 100),
            max_rows=setting("MAX_ROWS", 200_000),
            max_columns=setting("MAX_COLUMNS", 200),
            max_strings=setting("MAX_SHARED_STRINGS", 1_500_000),
            max_string_chars=setting("MAX_SHARED_STRING_CHARS", 30_000_000),
        )

    def too_many_rows(self) -> ValidationError:
        return refusal("rows", max=f"{self.max_rows:,}")


def upload_dir() -> Path:
    return private_dir(Path(local_storage().path("imports")))


def file_kind(name: str) -> str:
    ext = os.path.splitext(name or "")[1].lower()
    if ext == ".xlsx":
        return "xlsx"
    if ext == ".csv":
        return "csv"
    raise refusal("extension")


def _csv_encoding(path: Path) -> str:
    """The encoding a CSV decodes in (UTF-8, else GB18030), checked over the whole file."""
    for encoding in CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    if b"\x00" in chunk:
                        raise UnicodeDecodeError(encoding, b"", 0, 1, "NUL byte")
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise refusal("encoding")


def _zip_entry_count(path: Path) -> int | None:
    """The number of entries the end-of-central-directory record announces, read before zipfile builds
    an object per entry; None when there is no such record."""
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - (22 + 65535)))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    return entries


def check_zip_directory(path: Path, limits: Limits) -> None:
    """Judge a workbook by its central directory alone, before anything is decompressed: the number of
    parts, their declared sizes against the limits, their compression ratio, encryption and method."""
    entries = _zip_entry_count(path)
    if entries is None or not zipfile.is_zipfile(path):
        raise refusal("content")
    if entries >= min(MAX_PARTS, 0xFFFF):
        raise refusal("structure")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise refusal("content") from exc
    names = [info.filename for info in infos]
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise refusal("content")
    if len(set(names)) != len(names) or len(infos) > MAX_PARTS:
        raise refusal("structure")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refusal("structure")
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise refusal("ratio")
        streamed = info.filename.startswith("xl/worksheets/") or "sharedstrings" in info.filename.lower()
        if not streamed and info.filename.endswith((".xml", ".rels")) and info.file_size > MAX_PART_BYTES:
            raise refusal("structure")
    if total > limits.max_unzipped:
        raise refusal("unzipped", mb=limits.max_unzipped // MB)


def check_content(path: Path, kind: str, limits: Limits | None = None) -> None:
    """Refuse a file whose content is not what its name says (a renamed .txt, a zip of something else),
    or whose zip directory says it would open into more than the limits allow."""
    limits = limits or Limits.current()
    if kind == "xlsx":
        check_zip_directory(path, limits)
    else:
        _csv_encoding(path)


def store_upload(uploaded) -> tuple[str, str, int]:
    """Save an uploaded file under a generated name after the cheap checks; return (stored name, kind,
    size). Nothing is decompressed or counted here. Refused files are removed."""
    kind = file_kind(uploaded.name)
    limits = Limits.current()
    if uploaded.size > limits.max_bytes:
        raise refusal("size", mb=limits.max_bytes // MB)
    stored = f"imports/{uuid.uuid4().hex}.{kind}"  # the name on the private storage (`MemberImport.upload`)
    path = stored_path(stored)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in uploaded.chunks():
                handle.write(chunk)
        check_content(path, kind, limits)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return stored, kind, uploaded.size


def stored_path(stored_name: str) -> Path:
    return upload_dir() / os.path.basename(stored_name)


# --- reading a workbook within the limits ------------------------------------------------------------


class _Budget:
    """The bytes a workbook may expand to, spent by every stream opened from it."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.spent = 0

    def spend(self, count: int) -> None:
        self.spent += count
        if self.spent > self.limits.max_unzipped:
            raise refusal("unzipped", mb=self.limits.max_unzipped // MB)


class _Counted(io.BufferedIOBase):
    """A part of the workbook as it is decompressed, counted against the budget and the part's cap."""

    def __init__(self, raw, budget: _Budget, cap: int | None):
        super().__init__()
        self._raw, self._budget, self._cap, self._read = raw, budget, cap, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            chunks = []
            while chunk := self.read(1 << 16):
                chunks.append(chunk)
            return b"".join(chunks)
        data = self._raw.read(size)
        self._read += len(data)
        self._budget.spend(len(data))
        if self._cap is not None and self._read > self._cap:
            raise refusal("structure")
        return data

    read1 = read

    def close(self) -> None:
        self._raw.close()
        super().close()


class _BoundedZip(zipfile.ZipFile):
    """The workbook's zip, every part of it read through `_Counted`: worksheets and the shared strings
    may stream up to the budget; any other part (loaded whole by openpyxl) up to MAX_PART_BYTES."""

    def __init__(self, path: Path, budget: _Budget):
        super().__init__(path)
        self.budget = budget
        self.streamed: set[str] = set()

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):
        raw = super().open(name, mode, pwd, force_zip64=force_zip64)
        if mode != "r":
            return raw
        filename = name.filename if isinstance(name, zipfile.ZipInfo) else name
        return _Counted(raw, self.budget, None if filename in self.streamed else MAX_PART_BYTES)


def read_shared_strings(stream, limits: Limits) -> list[str]:
    """The shared-string table, as openpyxl reads it (the text of `si/t` and `si/r/t`, not phonetic
    runs), with its count and characters counted while it streams: refused past the limits."""
    strings: list[str] = []
    stack: list[str] = []
    text: list[str] = []
    chars = 0

    def start(name, attrs):
        stack.append(name.rpartition("}")[2])
        if stack[-1] == "si":
            text.clear()

    def end(name):
        local = stack.pop()
        if local == "si":
            if len(strings) >= limits.max_strings:
                raise refusal("strings", max=f"{limits.max_strings:,}")
            strings.append("".join(text).replace("x005F_", ""))

    def data(chunk):
        nonlocal chars
        if len(stack) >= 2 and stack[-1] == "t" and stack[-2] in ("si", "r") and "rPh" not in stack:
            chars += len(chunk)
            if chars > limits.max_string_chars:
                raise refusal("string_chars", max=f"{limits.max_string_chars:,}")
            text.append(chunk)

    def no_dtd(*args):
        raise refusal("structure")

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, data
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = no_dtd
    try:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise refusal("unreadable") from exc
    return strings


@dataclass
class _Workbook:
    """What reading the first worksheet's rows needs from the rest of the workbook."""

    archive: _BoundedZip
    sheet: str | None
    shared_strings: list[str]
    date_styles: set
    timedelta_styles: set
    epoch: Any


def _open_workbook(path: Path, limits: Limits) -> _Workbook:
    """The workbook's structure as openpyxl reads it (content types, workbook, relationships, styles for
    the date formats), every part through `_BoundedZip`; the shared strings through
    `read_shared_strings`. The worksheets are not opened here: openpyxl would parse a whole sheet to
    look for its dimension, and keep what it met on the way."""
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(str(path), read_only=True, data_only=True, keep_links=False)
    reader.archive.close()
    reader.archive = _BoundedZip(path, _Budget(limits))
    try:
        reader.read_manifest()
        found = reader.package.find(SHARED_STRINGS)
        strings: list[str] = []
        if found is not None:
            name = found.PartName[1:]
            reader.archive.streamed.add(name)
            with reader.archive.open(name) as src:
                strings = read_shared_strings(src, limits)
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheet = next(
            (
                rel.target
                for _sheet, rel in reader.parser.find_sheets()
                if "worksheet" in rel.Type and rel.target in reader.valid_files
            ),
            None,
        )
    except BaseException:
        reader.archive.close()
        raise
    if sheet is not None:
        reader.archive.streamed.add(sheet)
    wb = reader.wb
    return _Workbook(
        archive=reader.archive,
        sheet=sheet,
        shared_strings=strings,
        date_styles=set(wb._date_formats or ()),
        timedelta_styles=set(wb._timedelta_formats or ()),
        epoch=wb.epoch,
    )


class _SheetParser:
    """The rows of a worksheet part, streamed with expat: (row number, cell values) as openpyxl's read-only
    mode gives them (shared and inline strings, numbers, booleans, dates by their style, a formula's last
    value). Only the rows are kept, each cut to `width` columns; everything else in the sheet is skipped."""

    def __init__(self, book: _Workbook, limits: Limits):
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        self.from_excel, self.from_iso = from_excel, from_ISO8601
        self.book, self.limits = book, limits
        # One column past the limit: enough to see that a header is too wide.
        self.width = limits.max_columns + 1
        self.stack: list[str] = []
        self.ready: list[tuple[int, list]] = []
        self.row_number = 0
        self.rows_seen = 0
        self.cells: dict[int, Any] = {}
        self.column = 0
        self.cell_type, self.cell_style = "n", 0
        self.text: list[str] | None = None
        self.text_chars = 0
        self.parts: list[str] = []

    def start(self, name, attrs):
        local = name.rpartition("}")[2]
        self.stack.append(local)
        if local == "row" and len(self.stack) >= 2 and self.stack[-2] == "sheetData":
            self.rows_seen += 1
            number = int(attrs["r"]) if attrs.get("r") else self.row_number + 1
            if number < 1 or number > EXCEL_MAX_ROWS or self.rows_seen > EXCEL_MAX_ROWS:
                raise self.limits.too_many_rows()
            self.row_number, self.cells, self.column = number, {}, 0
        elif local == "c" and "row" in self.stack:
            ref = attrs.get("r")
            self.column = _column_index(ref) if ref else self.column + 1
            self.cell_type, self.cell_style = attrs.get("t", "n"), int(attrs.get("s") or 0)
            self.parts, self.text_chars = [], 0
        elif local in ("v", "t") and "c" in self.stack and "rPh" not in self.stack and "f" not in self.stack:
            self.text = []

    def data(self, chunk):
        if self.text is not None:
            self.text_chars += len(chunk)
            if self.text_chars > CELL_MAX_CHARS:
                raise refusal("structure")
            self.text.append(chunk)

    def end(self, name):
        local = self.stack.pop()
        if local in ("v", "t") and self.text is not None:
            self.parts.append("".join(self.text))
            self.text = None
        elif local == "c" and "row" in self.stack:
            if self.column <= self.width:
                value = self._value()
                if value is not None:
                    self.cells[self.column] = value
        elif local == "row" and self.stack and self.stack[-1] == "sheetData":
            cells = [None] * (max(self.cells) if self.cells else 0)
            for column, value in self.cells.items():
                cells[column - 1] = value
            self.ready.append((self.row_number, cells))

    def _value(self):
        kind, text = self.cell_type, "".join(self.parts)
        if kind == "inlineStr":
            return text
        if not text:
            return None
        if kind == "n":
            number = float(text) if any(c in text for c in ".Ee") else int(text)
            if self.cell_style in self.book.date_styles:
                try:
                    return self.from_excel(
                        number, self.book.epoch, timedelta=self.cell_style in self.book.timedelta_styles
                    )
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.book.shared_strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return self.from_iso(text)
        return text  # "str" (a formula's text), "e" (an error such as #N/A)

    def rows(self, stream) -> Iterator[tuple[int, list]]:
        def no_dtd(*args):
            raise refusal("structure")

        parser = expat.ParserCreate(namespace_separator="}")
        parser.StartElementHandler, parser.EndElementHandler = self.start, self.end
        parser.CharacterDataHandler = self.data
        parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = no_dtd
        final = False
        while not final:
            chunk = stream.read(1 << 16)
            final = not chunk
            try:
                parser.Parse(chunk, final)
            except expat.ExpatError as exc:
                raise refusal("unreadable") from exc
            yield from self.ready
            self.ready.clear()


def _column_index(ref: str) -> int:
    from openpyxl.utils.cell import column_index_from_string

    return column_index_from_string(ref.rstrip("0123456789"))


def _xlsx_rows(path: Path, limits: Limits) -> Iterator[tuple[int, list]]:
    book = _open_workbook(path, limits)
    try:
        if book.sheet is None:
            return
        with book.archive.open(book.sheet) as stream:
            yield from _SheetParser(book, limits).rows(stream)
    finally:
        book.archive.close()


def _csv_rows(path: Path, limits: Limits) -> Iterator[tuple[int, list]]:
    encoding = _csv_encoding(path)
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        for number, row in enumerate(csv.reader(text), start=1):
            if number > EXCEL_MAX_ROWS:
                raise limits.too_many_rows()
            yield number, row


def read_rows(path: Path, kind: str, limits: Limits | None = None) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """The header (first non-empty row) and an iterator of (spreadsheet row number, cells) for the
    non-empty rows below it, refused (ValidationError) as soon as a limit is passed."""
    limits = limits or Limits.current()
    rows = _xlsx_rows(path, limits) if kind == "xlsx" else _csv_rows(path, limits)
    headers: list[str] = []
    for _number, cells in rows:
        if any(cell_text(c) for c in cells):
            headers = [cell_text(c)[:HEADER_MAX_CHARS] for c in cells]
            while headers and not headers[-1]:
                headers.pop()
            break
    if len(headers) > limits.max_columns:
        raise refusal("columns", max=f"{limits.max_columns:,}")

    def data() -> Iterator[tuple[int, list]]:
        count = 0
        for number, cells in rows:
            if any(c is not None and cell_text(c) for c in cells):
                count += 1
                if count > limits.max_rows:
                    raise limits.too_many_rows()
                yield number, list(cells)

    return headers, data()


def count_rows(
    path: Path, kind: str, progress: Callable[[int], None] | None = None, every: int = 1000
) -> tuple[list[str], int]:
    """Read the whole file within the limits: its header and how many data rows it has."""
    headers, data = read_rows(path, kind)
    count = 0
    for _row in data:
        count += 1
        if progress is not None and count % every == 0:
            progress(count)
    return headers, count


def read_error(exc: Exception) -> ValidationError:
    """What the user is told when reading a file failed: the refusal itself, or that it is unreadable."""
    if isinstance(exc, ValidationError) and getattr(exc, "code", None) in REFUSALS:
        return exc
    return refusal("unreadable")
