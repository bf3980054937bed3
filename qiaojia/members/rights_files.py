"""A person's copy of their data as files (PIPL art. 45): JSON for machines, a page and a workbook for
people, in one .zip. Written in memory: a person's data is small."""

import datetime
import decimal
import io
import json
import zipfile
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMAT = "qiaojia.personal-data/1"


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def display(value: Any) -> str:
    """A value as the reader expects it, in their language."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, list | tuple):
        return ", ".join(display(v) for v in value) or "—"
    return str(value)


def personal_data_json(*, person, sections, generated_at: datetime.datetime) -> bytes:
    data = {
        "format": FORMAT,
        "generated_at": generated_at.isoformat(),
        "language": get_language(),
        "person_id": person.pk,
        "sections": [
            {
                "kind": s.kind,
                "label": s.label,
                "columns": dict(s.columns),
                "note": s.note,
                "rows": [{k: _json_value(v) for k, v in row.items()} for row in s.rows],
            }
            for s in sections
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def personal_data_html(*, person, sections, generated_at: datetime.datetime) -> bytes:
    shown = [
        {
            "label": s.label,
            "note": s.note,
            "headings": [label for _key, label in s.columns],
            "rows": [[display(row.get(key)) for key, _label in s.columns] for row in s.rows],
        }
        for s in sections
    ]
    return render_to_string(
        "members/personal_data_file.html",
        {
            "person": person,
            "record_label": shown[0]["label"],
            "record": list(zip(shown[0]["headings"], shown[0]["rows"][0], strict=True)),
            "sections": shown[1:],
            "generated_at": generated_at,
            "has_id_number": bool(person.id_number_encrypted),
            "language": get_language(),
        },
    ).encode()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, bool | int | float | decimal.Decimal | datetime.date) or value is None:
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", display(value))


def personal_data_xlsx(*, sections) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for index, section in enumerate(sections, start=1):
        title = "".join(c for c in section.label if c not in "[]:*?/\\")[:27] or "Sheet"
        sheet = book.create_sheet(f"{index} {title}"[:31])
        sheet.append([label for _key, label in section.columns])
        for row in section.rows:
            sheet.append([_cell(row.get(key)) for key, _label in section.columns])
            for cell in sheet[sheet.max_row]:
                # Text is text: a name or note starting with "=" must never become a formula.
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        if section.note:
            sheet.append([])
            sheet.append([section.note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def personal_data_zip(*, person, sections) -> bytes:
    generated_at = timezone.now()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "personal-data.json", personal_data_json(person=person, sections=sections, generated_at=generated_at)
        )
        archive.writestr(
            "personal-data.html", personal_data_html(person=person, sections=sections, generated_at=generated_at)
        )
        archive.writestr("personal-data.xlsx", personal_data_xlsx(sections=sections))
    return out.getvalue()
