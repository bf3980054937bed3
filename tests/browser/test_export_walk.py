"""Staff export a long list in a real browser: the export goes to the background, the page shows its
progress, and the finished file downloads, holding the filtered rows, masked."""

import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import make_id_number
from qiaojia.exports.services import EXPORT_KIND
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_staff_export_a_long_list_in_the_background(
    page, live_server, staff_user, business_association, other_association, make_person, settings, tmp_path
):
    settings.QIAOJIA_EXPORT_BACKGROUND_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    # The test runs the worker itself (see test_import_walk: the live server shares an in-memory SQLite).
    names = ["鄭定輝", "鄭秀蘭", "鄭建國"]
    for n, name in enumerate(names):
        make_person(
            name,
            association=business_association,
            phone=f"1381234{n:04d}",
            id_number=make_id_number(70 + n, "19800101"),
        )
    make_person("王秘密", association=other_association, phone="13998765432")
    log_in(page, staff_user)

    page.goto(reverse("members:person-list") + "?q=鄭")
    with page.expect_navigation():
        page.locator(".btn-group a[href*='format=xlsx']").click()
    job = Job.objects.get(kind=EXPORT_KIND, owner=staff_user)
    assert page.url == live_server.url + reverse("exports:detail", args=[job.pk])
    expect(page.locator("#progress .job-progress progress")).to_be_visible()
    expect(page.locator("#export-download")).to_have_count(0)

    assert jobs.run_pending() >= 1  # the export, and the e-mail of its notice
    download_link = page.locator("#export-download")
    expect(download_link).to_be_visible(timeout=20_000)  # htmx saw the job finish and reloaded the page
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "export.xlsx"
    info.value.save_as(path)
    assert info.value.suggested_filename.endswith(".xlsx")
    rows = [
        list(r)
        for ws in load_workbook(io.BytesIO(path.read_bytes())).worksheets
        for r in ws.iter_rows(min_row=2, values_only=True)
    ]
    assert sorted(r[0] for r in rows) == sorted(names)
    flat = json.dumps(rows, default=str, ensure_ascii=False)
    assert not re.search(r"1[3-9]\d{9}", flat) and not re.search(r"\d{17}[\dX]", flat)

    # Chromium reports a navigation that became a download as aborted; that one is the download itself.
    file_url = live_server.url + reverse("exports:file", args=[job.pk])
    page.traffic.failed = [f for f in page.traffic.failed if not f.startswith(file_url + " ")]
    page.traffic.assert_clean(live_server.url)
