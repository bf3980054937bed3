"""An officer records a donation and sees it in the totals, signs a member up for a shift of a 送溫暖獻愛心
campaign and records the hours on a phone; federation staff confirm them.

UI strings are never hard-coded: elements are found by id, name and URL."""

import datetime
import os
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from qiaojia.volunteering import services
from qiaojia.volunteering.models import CampaignBrand, CampaignStatus, Donation, ShiftSignup, SignupStatus

from .conftest import PHONE, click_confirmed, log_in, no_horizontal_overflow

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")
SUBMIT = "main form.stacked button[type=submit]"


def submit(page, expected_status: int = 200):
    with page.expect_navigation() as navigation:
        page.locator(SUBMIT).click()
    assert navigation.value.status == expected_status


def test_officer_records_donation_and_hours_staff_confirm(
    new_page, live_server, staff_user, officer_of, federation, business_association, make_person
):
    member = make_person("柴莉", association=business_association)
    campaign = services.campaign_create(
        federation=federation,
        association=None,
        data={
            "brand": CampaignBrand.WARMTH,
            "name": "送溫暖獻愛心·走訪慰問困難歸僑僑眷",
            "starts_on": timezone.localdate(),
            "place": "鄭州",
        },
    )
    campaign = services.campaign_set_status(
        campaign=campaign, expected_version=campaign.version, status=CampaignStatus.OPEN
    )
    starts = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    shift = services.shift_create(
        campaign=campaign,
        data={
            "task": "入戶走訪慰問",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=3),
            "place": "金水區",
            "capacity": 4,
        },
    )

    # The officer records a money donation; a missing receipt number is refused with the input kept.
    page, traffic = new_page()
    log_in(page, officer_of)
    page.goto(reverse("volunteering:campaign-list"))
    page.locator("#donations-link").click()
    page.locator("#new-donation").click()
    page.locator("#id_organiser").select_option(str(business_association.pk))
    page.locator("#id_kind_0").check()
    page.locator("#id_donor_name").fill("河南某僑資實業有限公司")
    page.locator("#id_amount").fill("12500")
    submit(page, 400)
    expect(page.locator("#field-receipt_number .errorlist")).to_have_count(1)
    expect(page.locator("#id_donor_name")).to_have_value("河南某僑資實業有限公司")
    assert not Donation.objects.exists()
    page.locator("#id_receipt_number").fill("QS-2026-001")
    submit(page)
    donation = Donation.objects.get()
    assert donation.association == business_association and donation.amount == Decimal("12500")
    expect(page.locator(f"#donation-table tr[data-donation='{donation.pk}']")).to_contain_text("QS-2026-001")

    page.locator("#totals-link").click()
    row = page.locator(f"#association-totals tr[data-association='{business_association.pk}']")
    expect(row.locator(".money")).to_contain_text("1.25")  # 1.25万 in the reader's habit
    expect(row.locator(".domestic")).to_contain_text("1.25")

    # The officer signs a member of the association up for the shift.
    page.goto(reverse("volunteering:campaign-detail", args=[campaign.pk]))
    page.locator(f"#sign-up-{shift.pk}").click()
    with page.expect_response(lambda r: "/people/pick/" in r.url):
        page.locator("#id_person").fill("chai")  # the member picker, not a list of every member
    page.locator(f"[data-picker-suggestions] input[value='{member.pk}']").check()
    submit(page)
    signup = ShiftSignup.objects.get()
    assert signup.person == member and signup.association == business_association
    expect(page.locator(f"tr[data-signup='{signup.pk}']")).to_contain_text("柴莉")
    traffic.assert_clean(live_server.url)

    # After the shift, the officer records the hours on a phone; more than the shift's length is refused.
    phone, phone_traffic = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone, officer_of)
    phone.goto(reverse("volunteering:campaign-detail", args=[campaign.pk]))
    phone.locator(f"tr[data-signup='{signup.pk}'] a.record-hours").click()
    fits, width, inner = no_horizontal_overflow(phone)
    assert fits, f"hours page is {width}px wide on a {inner}px screen"
    phone.locator("#id_status_0").check()
    phone.locator("#id_hours").fill("5")
    submit(phone, 400)
    expect(phone.locator("#field-hours .errorlist")).to_have_count(1)
    signup.refresh_from_db()
    assert signup.hours is None
    if SCREENSHOTS:
        phone.screenshot(path=os.path.join(SCREENSHOTS, "volunteering-hours.png"), full_page=True)
    phone.locator("#id_hours").fill("2.5")
    submit(phone)
    signup.refresh_from_db()
    assert signup.status == SignupStatus.ATTENDED and signup.hours == Decimal("2.5") and signup.confirmed_at is None
    phone_traffic.assert_clean(live_server.url)

    # Federation staff confirm the hours; they count in the totals.
    desk, desk_traffic = new_page()
    log_in(desk, staff_user)
    desk.goto(reverse("volunteering:campaign-detail", args=[campaign.pk]))
    click_confirmed(desk, f"tr[data-signup='{signup.pk}'] button.confirm-hours")
    expect(desk.locator(f"tr[data-signup='{signup.pk}'] .confirmed")).to_have_count(1)
    if SCREENSHOTS:
        desk.screenshot(path=os.path.join(SCREENSHOTS, "volunteering-campaign.png"), full_page=True)
    signup.refresh_from_db()
    assert signup.confirmed_by == staff_user
    desk.goto(reverse("volunteering:totals"))
    expect(desk.locator(f"#association-totals tr[data-association='{business_association.pk}'] .hours")).to_have_text(
        "2.5"
    )
    if SCREENSHOTS:
        desk.screenshot(path=os.path.join(SCREENSHOTS, "volunteering-totals.png"), full_page=True)
    desk_traffic.assert_clean(live_server.url)
