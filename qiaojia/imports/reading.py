"""Uploaded files: checked for what they claim to be, stored under generated names, read row by row."""

import codecs
import csv
import io
import os
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .fields import cell_text

CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def max_bytes() -> int:
    return getattr(settings, "QIAOJIA_IMPORT_MAX_BYTES", 20 * 1024 * 1024)


def file_kind(name: str) -> str:
    ext = os.path.splitext(name or "")[1].lower()
    if ext == ".xlsx":
        return "xlsx"
    if ext == ".csv":
        return "csv"
    raise ValidationError(_("Upload an .xlsx or .csv file."), code="extension")


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
    raise ValidationError(_("This CSV file is neither UTF-8 nor GB18030 text."), code="encoding")


def check_content(path: Path, kind: str) -> None:
    """Refuse a file whose content is not what its name says (a renamed .txt, a zip of something else)."""
    if kind == "xlsx":
        if not zipfile.is_zipfile(path):
            raise ValidationError(_("This file is not an Excel workbook (.xlsx)."), code="content")
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise ValidationError(_("This file is not an Excel workbook (.xlsx)."), code="content")
    else:
        _csv_encoding(path)


def store_upload(uploaded) -> tuple[str, str, int]:
    """Save an uploaded file under a generated name; return (stored name, kind, size). Refused files are removed."""
    kind = file_kind(uploaded.name)
    if uploaded.size > max_bytes():
        raise ValidationError(_("The file is larger than %(mb)s MB."), code="size",
                              params={"mb": max_bytes() // (1024 * 1024)})
    stored = f"{uuid.uuid4().hex}.{kind}"
    path = upload_dir() / stored
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    try:
        check_content(path, kind)
    except ValidationError:
        path.unlink(missing_ok=True)
        raise
    return stored, kind, uploaded.size


def stored_path(stored_name: str) -> Path:
    return upload_dir() / os.path.basename(stored_name)


def _raw_rows(path: Path, kind: str) -> Iterator[tuple]:
    if kind == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            yield from workbook.worksheets[0].iter_rows(values_only=True)
        finally:
            workbook.close()
    else:
        encoding = _csv_encoding(path)
        with path.open("rb") as raw:
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
            yield from csv.reader(text)


def read_rows(path: Path, kind: str) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """The header (first non-empty row) and an iterator of (spreadsheet row number, cells) for the
    non-empty rows below it."""
    rows = enumerate(_raw_rows(path, kind), start=1)
    headers: list[str] = []
    for _number, cells in rows:
        if any(cell_text(c) for c in cells):
            headers = [cell_text(c) for c in cells]
            while headers and not headers[-1]:
                headers.pop()
            break

    def data() -> Iterator[tuple[int, list]]:
        for number, cells in rows:
            if any(c is not None and cell_text(c) for c in cells):
                yield number, list(cells)

    return headers, data()


def open_error(exc: Exception) -> ValidationError:
    return ValidationError(_("This file could not be read: is it a damaged workbook?"), code="unreadable")
