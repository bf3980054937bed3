"""What the Content-Security-Policy moved out of the pages still works in a real browser: the question
before removing something (data-confirm, on a form or on its button), the report's autosave showing an
edit conflict (data-swap-statuses, where an hx-on handler would need eval), the declaration page's print
button (data-print) and the totals chart (SVG bars, no style attributes). The new_page fixture fails on
any policy violation on the way."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from qiaojia.cycle import services as cycle_services
from qiaojia.cycle.models import PlanItem
from qiaojia.cycle.tests.world import make_priorities, make_report
from qiaojia.volunteering.models import Donation
from qiaojia.volunteering.tests.world import make_donation

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_officer_confirms_a_removal_sees_an_autosave_conflict_and_prints(
    new_page, live_server, officer_of, business_association
):
    make_priorities()
    report = make_report(business_association)
    item = report.plan_items.get()
    page, traffic = new_page()
    log_in(page, officer_of)
    page.goto(reverse("cycle:report-edit", args=[report.pk]))

    # Dismissing the question keeps the plan item; accepting it removes the item.
    remove = page.locator(f"form[action='{reverse('cycle:plan-item-delete', args=[item.pk])}'] button")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    remove.click()
    page.wait_for_timeout(500)  # a form sent despite the answer would have navigated by now
    assert len(questions) == 1 and questions[0]
    assert PlanItem.objects.filter(pk=item.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        remove.click()
    assert not PlanItem.objects.filter(pk=item.pk).exists()

    # Someone else saves the report while the officer types: the autosave shows the conflict (a 409).
    page.goto(reverse("cycle:report-edit", args=[report.pk]))
    report.refresh_from_db()
    cycle_services.report_update(
        report=report, expected_version=report.version, data={"work_summary": "秘書長在另一台電腦上保存的總結"}
    )
    page.locator("#id_work_summary").fill("本會全年開展活動十二次。")
    expect(page.locator("#autosave-conflict")).to_be_visible(timeout=10_000)
    report.refresh_from_db()
    assert report.work_summary == "秘書長在另一台電腦上保存的總結"

    # The declaration page's button prints (window.print stubbed: headless Chromium has no printer).
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    page.goto(reverse("cycle:report-declaration", args=[report.pk]))
    page.locator("button[data-print]").click()
    assert page.evaluate("window.__printed") == 1
    autosave = live_server.url + reverse("cycle:report-autosave", args=[report.pk])
    traffic.failed.remove(f"{autosave} (409)")  # the conflict, answered on purpose
    traffic.assert_clean(live_server.url)


def test_staff_see_the_totals_chart_and_confirm_a_donations_deletion(
    new_page, live_server, staff_user, business_association, other_association
):
    today = timezone.localdate()
    big = make_donation(business_association, amount=Decimal("30000.00"), received_on=today)
    make_donation(other_association, amount=Decimal("7500.00"), received_on=today, receipt_number="R-0002")
    page, traffic = new_page()
    log_in(page, staff_user)
    page.goto(reverse("volunteering:totals"))
    bars = page.locator("#totals-chart svg.bars rect.bar-home")
    expect(bars).to_have_count(2)
    widths = [bars.nth(i).bounding_box()["width"] for i in range(2)]
    assert widths[0] > 3 * widths[1] > 0 or widths[1] > 3 * widths[0] > 0, widths

    # The delete button asks first: dismissed, the donation stays; accepted, it goes.
    page.goto(reverse("volunteering:donation-edit", args=[big.pk]))
    delete = page.locator("#delete-form button[type=submit]")
    page.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    page.wait_for_timeout(500)
    assert Donation.objects.filter(pk=big.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        delete.click()
    assert not Donation.objects.filter(pk=big.pk).exists()
    traffic.assert_clean(live_server.url)


def test_saving_by_hand_waits_for_the_autosave_on_its_way(new_page, live_server, officer_of, business_association):
    """Typing, then pressing save while the autosave is still on its way: the save waits for the
    autosave's answer (and its new version), so neither is refused as a conflict and nothing is lost."""
    make_priorities()
    report = make_report(business_association)
    page, traffic = new_page()
    log_in(page, officer_of)
    page.goto(reverse("cycle:report-edit", args=[report.pk]))
    autosave = live_server.url + reverse("cycle:report-autosave", args=[report.pk])
    held = []
    page.route(
        autosave, lambda route: held.append(route)
    )  # the autosave's request is held on its way until released below
    page.locator("#id_work_summary").fill("本會全年開展活動十二次。")
    expect(page.locator("#report-form.htmx-request")).to_have_count(1, timeout=10_000)
    page.locator("#save-report").click()  # pressed while the autosave has not come back
    page.wait_for_timeout(300)
    assert page.url.endswith(reverse("cycle:report-edit", args=[report.pk])), "the form was sent before the autosave"
    with page.expect_navigation():
        held[0].continue_()
    report.refresh_from_db()
    assert report.work_summary == "本會全年開展活動十二次。"
    assert not page.locator("#conflict").count()
    traffic.assert_clean(live_server.url)
