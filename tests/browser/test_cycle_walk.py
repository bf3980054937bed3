"""The annual report in a real browser (the issue's cycle acceptance): an officer writes and submits a
report in Traditional Chinese; staff return it with a reason in Simplified Chinese; the officer corrects
and resubmits; staff accept; the compilation PDF downloads and pdftotext finds the report's text.
Then the officer records progress on a plan item from a phone-sized screen."""

import subprocess
import time

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from qiaojia.core.chinese import to_script
from qiaojia.cycle.models import AnnualReport, ReportStatus
from qiaojia.cycle.tests.world import PDF_BYTES, make_priorities, report_year
from qiaojia.jobs import services as jobs

from .conftest import PHONE, click_confirmed, log_in, no_horizontal_overflow

pytestmark = pytest.mark.browser

SUMMARY = "本會二〇二四年搭建經貿合作交流平臺，組織會員企業赴馬來西亞考察。"
CORRECTION = "黨支部全年開展集中學習六次。"


def translated(message: str, language: str) -> str:
    with translation.override(language):
        return str(_(message))


def _wait_autosaved(page, report, timeout_s: float = 20.0, **expected) -> None:
    """Wait until the autosave has stored what was typed last and its answer has reached the page."""
    deadline = time.monotonic() + timeout_s
    while True:
        report.refresh_from_db()
        if all(getattr(report, field) == value for field, value in expected.items()):
            break
        assert time.monotonic() < deadline, f"the autosave did not store {sorted(expected)}"
        page.wait_for_timeout(200)
    page.wait_for_load_state("networkidle")


def _run_jobs(expected: int, timeout_s: float = 30.0) -> int:
    """Run the queued jobs from the test's thread while the live server answers the page's polling: SQLite's
    shared in-memory test database refuses a write while the server's thread reads ("database table is
    locked"), so a refused claim is tried again; a job that ran is counted once."""
    done, deadline = 0, time.monotonic() + timeout_s
    while done < expected and time.monotonic() < deadline:
        try:
            done += jobs.run_pending()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.2)
    return done


def test_report_written_returned_corrected_accepted_and_compiled(
    new_page, live_server, officer_of, staff_user, business_association, settings, tmp_path
):
    priorities = make_priorities()
    officer_of.language = "zh-hant"
    officer_of.save()
    staff_user.language = "zh-hans"
    staff_user.save()
    year = report_year()

    officer, officer_traffic = new_page(locale="zh-TW")
    log_in(officer, officer_of)
    officer.goto(reverse("cycle:report-list"))
    expect(officer.locator("html")).to_have_attribute("lang", "zh-hant")
    with officer.expect_navigation():
        officer.locator("#to-start button[type=submit]").first.click()
    report = AnnualReport.objects.get(association=business_association, year=year)
    assert officer.url.endswith(reverse("cycle:report-edit", args=[report.pk]))
    # The draft saves itself while the officer types.
    officer.locator("#id_work_summary").fill(SUMMARY)
    officer.locator("#id_party_organisation").fill("河南省僑商聯合會黨支部")
    expect(officer.locator("#autosaved")).to_be_visible(timeout=10_000)
    _wait_autosaved(officer, report, party_organisation="河南省僑商聯合會黨支部")
    assert report.work_summary == SUMMARY
    officer.locator("#add-plan-item").click()
    officer.locator("#id_title").fill("服務會員企業出海")
    officer.locator("#id_owner").fill("秘書處")
    officer.locator("#id_target").fill("組織考察一次")
    officer.locator("#field-priorities input[type=checkbox]").first.check()
    with officer.expect_navigation():
        officer.locator("main form.stacked button[type=submit]").click()
    expect(officer.locator("#plan-table")).to_contain_text("服務會員企業出海")
    # The check before submission names what is still missing: the financial statements, attached next.
    officer.goto(reverse("cycle:report-detail", args=[report.pk]))
    expect(officer.locator("#missing-parts")).to_contain_text(
        translated("The financial statements are not attached.", "zh-hant")
    )
    officer.goto(reverse("cycle:report-attach", args=[report.pk, "financial"]))
    officer.locator("#id_file").set_input_files(
        {"name": "財務報表.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    with officer.expect_navigation():
        officer.locator("main form.stacked button[type=submit]").click()
    officer.goto(reverse("cycle:report-detail", args=[report.pk]))
    expect(officer.locator("#missing-parts")).to_have_count(0)
    click_confirmed(officer, "#submit-report")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    expect(officer.locator("#report-actions")).to_be_visible()

    staff, staff_traffic = new_page(locale="zh-CN")
    log_in(staff, staff_user)
    staff.goto(reverse("cycle:dashboard") + f"?year={year}&state=submitted")
    expect(staff.locator("html")).to_have_attribute("lang", "zh-hans")
    # The association's name is read in the staff member's script (zh-Hans).
    staff.locator("#dashboard-table").get_by_role("link", name=to_script(business_association.name, "zh-hans")).click()
    staff.locator("#return-report").click()
    reason = "党建工作报告缺少党员学习情况，请补充。"
    staff.locator("#id_reason").fill(reason)
    with staff.expect_navigation():
        staff.locator("#confirm-return").click()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    officer.goto(reverse("notifications:inbox"))
    expect(officer.locator("#inbox")).to_contain_text(
        translated("Your %(year)s annual report was returned for revision", "zh-hant") % {"year": year}
    )
    officer.goto(reverse("cycle:report-detail", args=[report.pk]))
    expect(officer.locator("#return-reason")).to_contain_text(to_script(reason, "zh-hant"))  # in his script
    officer.locator("#edit-report").click()
    officer.locator("#id_party_activities").fill(CORRECTION)
    # Saving by hand while an autosave is on its way would race it (a conflict, or a request cut off):
    # the walk lets the autosave land first, as a person reading their text would.
    _wait_autosaved(officer, report, party_activities=CORRECTION)
    with officer.expect_navigation():
        officer.locator("#save-report").click()
    officer.goto(reverse("cycle:report-detail", args=[report.pk]))
    click_confirmed(officer, "#submit-report")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.party_activities == CORRECTION

    staff.goto(reverse("cycle:report-detail", args=[report.pk]))
    click_confirmed(staff, "#accept-report")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED

    staff.goto(reverse("cycle:compilation"))
    staff.locator("#id_year").fill(str(year))
    staff.locator("#id_script").select_option("zh-hant")
    staff.locator("#id_fmt").select_option("pdf")
    with staff.expect_navigation():
        staff.locator("#start-compilation").click()
    expect(staff.locator("#compilations progress")).to_be_visible()
    # The acceptance queued the job that lays out the report's pages; it runs first, the compilation binds them.
    assert _run_jobs(expected=2) == 2
    download_link = staff.locator("#compilations a.compilation-download")
    expect(download_link).to_be_visible(timeout=20_000)  # htmx saw the job finish and reloaded the page
    with staff.expect_download() as info:
        download_link.click()
    path = tmp_path / "compilation.pdf"
    info.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    flat = "".join(text.split())
    assert "".join(SUMMARY.split()) in flat
    assert CORRECTION in flat and "服務會員企業出海" in flat

    # Progress from a phone: a line, a status, a percentage.
    phone, phone_traffic = new_page(locale="zh-TW", viewport=PHONE)
    log_in(phone, officer_of)
    item = report.plan_items.get()
    phone.goto(reverse("cycle:progress-create", args=[item.pk]))
    phone.locator("#id_note").fill("已與吉隆坡中原商會確定考察日程")
    phone.locator("input[name=status][value=in_progress]").check()
    phone.locator("#id_percent").fill("40")
    fits, width, inner = no_horizontal_overflow(phone)
    assert fits, f"the progress form scrolls sideways on a phone: {width} > {inner}"
    with phone.expect_navigation():
        phone.locator("#save-progress").click()
    item.refresh_from_db()
    assert item.percent == 40 and item.updates.count() == 1
    assert priorities.items.count() == 3

    # Chromium reports a navigation that became a download as aborted; that one is the download itself.
    result_url = live_server.url + reverse("jobs:job-result", args=[info.value.url.rstrip("/").split("/")[-2]])
    staff_traffic.failed = [f for f in staff_traffic.failed if not f.startswith(result_url + " ")]
    for traffic in (officer_traffic, staff_traffic, phone_traffic):
        traffic.assert_clean(live_server.url)
