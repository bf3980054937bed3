"""An officer imports members from a spreadsheet in a real browser (the issue's import acceptance):
a file with errors, the preview listing them, a corrected file, the import with its progress shown,
then the new member found by initials in the people list."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from conftest import make_id_number
from qiaojia.imports.models import ImportStatus, MemberImport
from qiaojia.jobs import services as jobs
from qiaojia.members.models import Membership, Person

from .conftest import click_confirmed, log_in

pytestmark = pytest.mark.browser

SUBMIT = "main form.stacked button[type=submit]"


def translated(message: str, language: str = "zh-hans") -> str:
    with translation.override(language):
        return str(_(message))


def csv_file(rows) -> dict:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["姓名", "性别", "手机", "身份证号", "级别", "入会日期"], *rows])
    return {"name": "会员.csv", "mimeType": "text/csv", "buffer": buffer.getvalue().encode("utf-8-sig")}


def upload_and_map(page, live_server, file: dict) -> MemberImport:
    page.locator("#id_file").set_input_files(file)
    with page.expect_navigation():
        page.locator(SUBMIT).click()
    # The file is read in the background: the page shows the reading, then moves on by itself.
    expect(page.locator("#progress .job-progress")).to_be_visible()
    assert jobs.run_pending() == 1
    imp = MemberImport.objects.order_by("-pk").first()
    page.wait_for_url(live_server.url + reverse("imports:import-map", args=[imp.pk]), timeout=20_000)
    expect(page.locator("#id_col_0")).to_have_value("name")  # guessed from the header
    page.locator("#id_consent").check()
    with page.expect_navigation():
        page.locator(SUBMIT).click()
    return imp


def test_officer_imports_members_with_a_correction(page, live_server, officer_of, business_association, settings):
    settings.QIAOJIA_IMPORT_BACKGROUND_ROWS = 1  # every file goes through the background path
    # The test runs the worker itself: a second connection to the in-memory SQLite database that the
    # live server shares would meet "table is locked" instead of waiting, as a file database does.
    valid = make_id_number(321, "19850312")
    wrong_check = valid[:-1] + next(c for c in "0123456789X" if c != valid[-1])
    log_in(page, officer_of)

    page.goto(reverse("members:person-list"))
    page.locator("#import-link").click()
    page.wait_for_url(live_server.url + reverse("imports:import-create"))
    expect(page.locator("#id_association")).to_have_value(str(business_association.pk))
    upload_and_map(
        page,
        live_server,
        csv_file(
            [
                ["鄭秀蘭", "女", "13812341234", wrong_check, "会员", "2024-03-05"],
                ["王建国", "男", "12345", "", "顾问单位", "2024-03-05"],
                ["李华", "男", "13812341299", "", "理事", "2024-03-05"],
            ]
        ),
    )
    # Checked in the background; the page follows the progress and then lists every row's problems.
    assert jobs.run_pending() == 1
    table = page.locator("#problem-table")
    expect(table).to_be_visible(timeout=20_000)
    expect(table.locator("tr[data-row='2']")).to_contain_text(
        translated("The check character of this ID number is wrong; please check the number.")
    )
    expect(table.locator("tr[data-row='3']")).to_contain_text(
        translated("This phone number is not valid for its country.")
    )
    expect(table.locator("tr[data-row='3']")).to_contain_text(
        translated("Unknown membership level “%(value)s”.") % {"value": "顾问单位"}
    )
    expect(page.locator("#commit-form")).to_have_count(0)
    assert valid[:-1] not in page.content() and "13812341234" not in page.content()
    assert Person.objects.count() == 0

    page.get_by_role("link", name=translated("Upload a corrected file")).click()
    upload_and_map(
        page,
        live_server,
        csv_file(
            [
                ["鄭秀蘭", "女", "13812341234", valid, "会员", "2024-03-05"],
                ["王建国", "男", "13812345678", "", "理事", "2024-03-05"],
                ["李华", "男", "13812341299", "", "理事", "2024-03-05"],
            ]
        ),
    )
    assert jobs.run_pending() == 1
    commit = page.locator("#commit-form button")
    expect(commit).to_be_visible(timeout=20_000)
    expect(page.locator("#problem-table")).to_have_count(0)

    # The commit is queued; the worker is held so the progress bar is seen, then it runs.
    click_confirmed(page, commit)
    progress = page.locator("#progress .job-progress progress")
    expect(progress).to_be_visible()
    imp = MemberImport.objects.order_by("-pk").first()
    assert imp.status == ImportStatus.COMMITTING
    assert jobs.run_pending() == 1
    expect(page.locator("#created-count")).to_have_text("3", timeout=20_000)  # htmx brought the result
    assert Membership.objects.filter(association=business_association).count() == 3
    expect(page.locator("#report-link")).to_be_visible()

    person = Person.objects.get(name="鄭秀蘭")
    page.goto(reverse("members:person-list") + f"?q={person.name_initials}")
    row = page.locator("#person-table tbody tr").filter(
        has=page.locator(f"a[href='{reverse('members:person-detail', args=[person.pk])}']")
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text("138****1234")
    assert "13812341234" not in page.content()

    page.traffic.assert_clean(live_server.url)
