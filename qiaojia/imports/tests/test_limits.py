"""Hostile files (issue 11, F4): zip bombs, workbooks of millions of rows or of huge shared-string tables,
CSVs past the row limit. Each is built here for real; the upload request never reads a row, a bomb is
refused with a message in the reader's language, and nothing of it is kept."""

import dataclasses
import io
import os
import secrets
import stat
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from qiaojia.imports import reading, services
from qiaojia.imports.models import MemberImport
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job, JobStatus

from .conftest import read_upload, xlsx_upload

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
ML = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook(rows=(), strings=(), *, extra=(), sst_head=b""):
    """A minimal .xlsx written part by part: `rows` and `strings` are chunks of the sheet's and of the
    shared strings' XML, streamed into the zip (so a bomb is built without holding it in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{ML}.sheet.main+xml"/>'
                f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ML}.worksheet+xml"/>'
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ML}.sharedStrings+xml"/></Types>'
            ),
        )
        archive.writestr(
            "_rels/.rels",
            (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                'Target="xl/workbook.xml"/></Relationships>'
            ),
        )
        archive.writestr(
            "xl/workbook.xml",
            (
                f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
                '<sheet name="Members" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
                f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
            ),
        )
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<?xml version="1.0" encoding="UTF-8"?>' + sst_head + f'<sst xmlns="{MAIN}">'.encode())
            part.write("<si><t>姓名</t></si>".encode())
            for chunk in strings:
                part.write(chunk)
            part.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode())
            part.write(b'<row><c t="s"><v>0</v></c></row>')
            for chunk in rows:
                part.write(chunk)
            part.write(b"</sheetData></worksheet>")
        for name, chunks in extra:
            with archive.open(name, "w") as part:
                for chunk in chunks:
                    part.write(chunk)
    return out.getvalue()


def repeated(unit: bytes, count: int, block: int = 10_000):
    for start in range(0, count, block):
        yield unit * min(block, count - start)


@pytest.fixture(scope="module")
def two_million_rows():
    """2,000,000 rows of one name in about 280 KB: the file of the review."""
    return workbook(rows=repeated('<row><c t="inlineStr"><is><t>王芳</t></is></c></row>'.encode(), 2_000_000))


@pytest.fixture(scope="module")
def huge_shared_strings():
    """54 MB of shared strings in about 210 KB."""
    return workbook(strings=repeated(b"<si><t>" + b"x" * 90 + b"</t></si>", 540_000))


@pytest.fixture
def reads(monkeypatch):
    """Every time the rows or the shared strings of a file are read (the real functions still run)."""
    calls = []
    for name in ("read_rows", "read_shared_strings"):
        real = getattr(reading, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(reading, name, spy)
    return calls


def _stored_files(media_root):
    folder = media_root / "imports"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _post(client, association, name, content):
    return client.post(
        reverse("imports:import-create"), {"association": association.pk, "file": SimpleUploadedFile(name, content)}
    )


def _text(code, language, **params):
    with translation.override(language):
        return reading.refusal_text(code, params)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_two_million_row_workbook_is_refused_in_the_request_without_reading_a_row(
    client, login, officer_of, business_association, media_root, reads, two_million_rows, language
):
    assert len(two_million_rows) < 400_000
    officer_of.language = language
    officer_of.save()
    response = _post(login(officer_of), business_association, "members.xlsx", two_million_rows)
    assert response.status_code == 400
    page = response.content.decode()
    assert _text("ratio", language) in page
    assert reads == []  # judged by the zip's directory alone
    assert MemberImport.objects.count() == 0 and Job.objects.count() == 0 and _stored_files(media_root) == []


def test_a_workbook_of_huge_shared_strings_is_refused_in_the_request(
    client, login, officer_of, business_association, media_root, reads, huge_shared_strings
):
    assert len(huge_shared_strings) < 300_000
    response = _post(login(officer_of), business_association, "members.xlsx", huge_shared_strings)
    assert response.status_code == 400 and _text("ratio", "zh-hans") in response.content.decode()
    assert reads == []
    assert MemberImport.objects.count() == 0 and Job.objects.count() == 0 and _stored_files(media_root) == []


def test_a_zip_ratio_bomb_is_refused_before_anything_is_decompressed(
    client, login, officer_of, business_association, media_root, reads
):
    bomb = workbook(extra=[("xl/media/image1.png", repeated(b"\0" * 1024, 200 * 1024))])  # 200 MB of zeros
    assert len(bomb) < 500_000
    response = _post(login(officer_of), business_association, "members.xlsx", bomb)
    assert response.status_code == 400 and _text("ratio", "zh-hans") in response.content.decode()
    assert reads == []
    assert MemberImport.objects.count() == 0 and Job.objects.count() == 0 and _stored_files(media_root) == []


def test_a_workbook_larger_than_the_limit_once_opened_is_refused_in_the_request(
    client, login, officer_of, business_association, media_root, reads, settings
):
    settings.QIAOJIA_IMPORT_MAX_UNZIPPED_BYTES = 2 * 1024 * 1024
    noise = workbook(extra=[("xl/media/image1.png", [secrets.token_bytes(3 * 1024 * 1024)])])
    response = _post(login(officer_of), business_association, "members.xlsx", noise)
    assert response.status_code == 400 and _text("unzipped", "zh-hans", mb=2) in response.content.decode()
    assert reads == []
    assert MemberImport.objects.count() == 0 and _stored_files(media_root) == []


def test_a_csv_past_the_row_limit_is_counted_in_the_background_and_refused(
    client, login, officer_of, business_association, media_root, reads
):
    rows = 200_001  # the default limit is 200,000
    content = ("姓名,手机\n" + "王芳,13812341234\n" * rows).encode("utf-8")
    client = login(officer_of)
    response = _post(client, business_association, "members.csv", content)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:upload-detail", args=[job.pk])
    # The request stored the file and queued the reading, and read no row.
    assert reads == [] and job.status == JobStatus.QUEUED and job.done == 0
    [stored] = _stored_files(media_root)
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert MemberImport.objects.count() == 0
    waiting = client.get(response["Location"]).content.decode()
    assert 'id="progress"' in waiting and "members.csv" in client.get(reverse("imports:import-list")).content.decode()

    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert reads == ["read_rows"] and job.status == JobStatus.FAILED
    assert job.params["refused"]["code"] == "rows" and job.done == 200_000  # stopped at the limit
    assert MemberImport.objects.count() == 0 and _stored_files(media_root) == []
    page = client.get(response["Location"]).content.decode()
    assert "文件超过 200,000 行" in page and _text("rows", "zh-hans", max="200,000") in page
    with translation.override("en"):
        english = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _text("rows", "en", max="200,000") in english


def test_rows_past_the_limit_are_refused_while_streaming_a_workbook(
    officer_of, business_association, media_root, settings, two_million_rows
):
    # Limits that let the file through the directory check: the rows are still counted, and the
    # reading stops at the row limit instead of going through two million rows.
    settings.QIAOJIA_IMPORT_MAX_ZIP_RATIO = 100_000
    settings.QIAOJIA_IMPORT_MAX_UNZIPPED_BYTES = 1 << 30
    settings.QIAOJIA_IMPORT_MAX_ROWS = 5000
    job = services.import_upload(
        owner=officer_of,
        association=business_association,
        uploaded=SimpleUploadedFile("members.xlsx", two_million_rows),
    )
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.params["refused"] == {"code": "rows", "params": {"max": "5,000"}}
    assert job.done == 5000
    assert MemberImport.objects.count() == 0 and _stored_files(media_root) == []


@pytest.mark.parametrize(
    "setting,strings,code",
    [
        (
            "QIAOJIA_IMPORT_MAX_SHARED_STRINGS",
            [f"<si><t>{secrets.token_hex(8)}</t></si>" for _n in range(3000)],
            "strings",
        ),
        (
            "QIAOJIA_IMPORT_MAX_SHARED_STRING_CHARS",
            [f"<si><r><t>{secrets.token_hex(500)}</t></r></si>" for _n in range(30)],
            "string_chars",
        ),
    ],
)
def test_shared_strings_past_the_limits_are_refused_while_streaming(
    officer_of, business_association, media_root, settings, setting, strings, code
):
    setattr(settings, setting, 1000 if code == "strings" else 10_000)
    job = services.import_upload(
        owner=officer_of,
        association=business_association,
        uploaded=SimpleUploadedFile("members.xlsx", workbook(strings=["".join(strings).encode()])),
    )
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.params["refused"]["code"] == code
    assert MemberImport.objects.count() == 0 and _stored_files(media_root) == []


def test_shared_strings_with_a_dtd_are_refused(officer_of, business_association, media_root):
    laughs = b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    job = services.import_upload(
        owner=officer_of,
        association=business_association,
        uploaded=SimpleUploadedFile("members.xlsx", workbook(strings=[b"<si><t>&b;</t></si>"], sst_head=laughs)),
    )
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.params["refused"]["code"] == "structure"
    assert _stored_files(media_root) == []


def test_a_header_wider_than_the_column_limit_is_refused(officer_of, business_association, media_root, settings):
    settings.QIAOJIA_IMPORT_MAX_COLUMNS = 20
    header = ",".join(f"列{n}" for n in range(21))
    job = services.import_upload(
        owner=officer_of,
        association=business_association,
        uploaded=SimpleUploadedFile("members.csv", f"{header}\n王芳\n".encode()),
    )
    jobs.run_pending()
    job.refresh_from_db()
    assert job.params["refused"] == {"code": "columns", "params": {"max": "20"}}
    assert MemberImport.objects.count() == 0 and _stored_files(media_root) == []


def test_reading_stops_at_the_unzipped_budget_while_it_streams(tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_bytes(xlsx_upload([["姓名", "手机"]] + [[f"王{n}", f"1381234{n:04d}"] for n in range(3000)]).read())
    limits = reading.Limits.current()
    headers, rows = reading.read_rows(path, "xlsx", limits)
    assert headers == ["姓名", "手机"] and sum(1 for _row in rows) == 3000
    tight = dataclasses.replace(limits, max_unzipped=50_000)
    with pytest.raises(Exception) as refused:
        _headers, rows = reading.read_rows(path, "xlsx", tight)
        list(rows)
    assert getattr(refused.value, "code", None) == "unzipped"


def test_a_workbook_whose_directory_understates_its_sizes_is_refused(officer_of, business_association, media_root):
    content = bytearray(xlsx_upload([["姓名", "手机"]] + [[f"王{n}", f"1381234{n:04d}"] for n in range(2000)]).read())
    at = content.find(b"PK\x01\x02", content.find(b"xl/worksheets/sheet1.xml") + 1)
    while content[at + 46 : at + 46 + 24] != b"xl/worksheets/sheet1.xml":
        at = content.find(b"PK\x01\x02", at + 1)
    content[at + 24 : at + 28] = struct.pack("<I", 2000)  # the central directory now says 2,000 bytes
    job = services.import_upload(
        owner=officer_of, association=business_association, uploaded=SimpleUploadedFile("members.xlsx", bytes(content))
    )
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.params["refused"]["code"] == "unreadable"
    assert MemberImport.objects.count() == 0 and _stored_files(media_root) == []


def test_an_ordinary_workbook_still_reads(officer_of, business_association):
    imp = read_upload(
        officer_of,
        business_association,
        xlsx_upload([["姓名", "手机"]] + [[f"王{n}", f"1381234{n:04d}"] for n in range(50)]),
    )
    assert imp.headers == ["姓名", "手机"] and imp.row_count == 50 and imp.mapping == {"0": "name", "1": "phone"}


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_every_import_refusal_reads_in_chinese(language):
    params = {"mb": 20, "max": "200,000"}
    for code in reading.REFUSALS:
        english = _text(code, "en", **params)
        chinese = _text(code, language, **params)
        assert chinese != english and any("\u4e00" <= ch <= "\u9fff" for ch in chinese), code
