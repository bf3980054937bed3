"""The trade platform's acceptance walk (issue 14), one browser context per user: an officer of the business
association posts a need in Simplified Chinese; staff see it matched to an offer another association's
enterprise wrote in Traditional Chinese, with the reason; the enterprise's contact expresses interest and
the officer accepts; contact details appear only then; staff record the signed project, which then shows in
the association's annual report counts."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import TEST_PASSWORD
from qiaojia.accounts.models import Role
from qiaojia.core.chinese import to_script
from qiaojia.cycle.models import AnnualReport
from qiaojia.cycle.tests.world import make_priorities, report_year
from qiaojia.members import services as member_services
from qiaojia.trade.models import Offer, OfferKind, OfferStatus
from qiaojia.trade.models_deals import Introduction, IntroductionStage, SignedProject
from qiaojia.trade.tests.test_services import enterprise_of
from qiaojia.trade.tests.world import make_offer

from .conftest import click_confirmed, log_in

pytestmark = pytest.mark.browser

PHONE = "13912340001"
EMAIL = "chen.kl@example.com"
NEED = "寻求马来西亚太阳能电池板供应商"
OFFER = "供應太陽能電池板及光伏組件"


def _log_in_member(page, user) -> None:
    """A member signs in with a password alone (no second factor for members)."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("form.stacked button[type=submit]").click()
    assert "/accounts/" not in page.url, page.url


def test_need_matched_interest_accepted_contacts_exchanged_project_counted(
    new_page, live_server, officer_of, staff_user, business_association, other_association, make_user
):
    make_priorities()
    officer_of.email = "officer@example.com"
    officer_of.save()
    contact = member_services.person_create(data={"name": "陳嘉怡", "phone": PHONE, "email": EMAIL})
    enterprise = enterprise_of(other_association, "吉隆坡豫豐光伏貿易有限公司", 901)
    member_services.enterprise_update(
        enterprise=enterprise, expected_version=enterprise.version, data={"representative": contact}
    )
    contact_user = make_user("chen", Role.MEMBER, person=contact)
    offer = make_offer(
        other_association,
        enterprise=enterprise,
        status="published",
        kind=OfferKind.SUPPLY,
        title=OFFER,
        keywords="太陽能, 光伏組件",
        description="馬來西亞倉庫現貨供應。",
    )

    # 1. The officer posts a need in Simplified Chinese and publishes it after the association's review.
    officer, officer_traffic = new_page(locale="zh-CN")
    log_in(officer, officer_of)
    officer.goto(reverse("trade:offer-create"))
    officer.locator("#id_posting").select_option(f"{business_association.pk}:")
    officer.locator("#id_kind").select_option(OfferKind.PURCHASE)
    officer.locator("#id_title").fill(NEED)
    officer.locator("#id_description").fill("需要一批光伏组件，运往郑州。")
    officer.locator("#id_keywords").fill("光伏组件, 太阳能")
    officer.locator("#id_division").fill("C38")
    officer.locator("#id_countries").select_option("MY")
    with officer.expect_navigation():
        officer.locator("form.stacked button[type=submit]").click()
    need = Offer.objects.get(title=NEED)
    click_confirmed(officer, "#submit-offer")
    click_confirmed(officer, "#publish-offer")
    need.refresh_from_db()
    assert need.status == OfferStatus.PUBLISHED

    # 2. Staff see it matched to the offer written in Traditional Chinese, with the reason.
    staff, staff_traffic = new_page(locale="zh-CN")
    log_in(staff, staff_user)
    staff.goto(reverse("trade:match-list"))
    suggestion = staff.locator(f'tr[data-offer="{need.pk}"] li[data-suggestion="{offer.pk}"]')
    expect(suggestion).to_be_visible()
    reasons = suggestion.locator(".reasons").inner_text()
    assert "C38" in reasons and to_script("马来西亚", "zh-hans") in reasons, reasons

    # 3. The enterprise's contact, reading Traditional, sees no contact details and expresses interest.
    member, member_traffic = new_page(locale="zh-TW")
    _log_in_member(member, contact_user)
    member.goto(reverse("trade:offer-detail", args=[need.pk]))
    expect(member.locator("#contact [data-contact]")).to_have_count(0)
    assert "officer@example.com" not in member.content()
    member.locator("#express-interest").click()
    member.locator("#id_message").fill("我司在吉隆坡有現貨，可長期供應光伏組件。")
    with member.expect_navigation():
        member.locator("form.stacked button[type=submit]").click()
    introduction = Introduction.objects.get(offer=need)
    assert member.url.endswith(reverse("trade:introduction-detail", args=[introduction.pk]))
    expect(member.locator("#no-contacts")).to_be_visible()

    # 4. The officer sees the interest without the contact details, and accepts: they appear only now.
    officer.goto(reverse("trade:introduction-detail", args=[introduction.pk]))
    assert PHONE not in officer.content() and EMAIL not in officer.content()
    click_confirmed(officer, "#accept-introduction")
    introduction.refresh_from_db()
    assert introduction.stage == IntroductionStage.INTRODUCED
    expect(officer.locator('[data-contact="a"]')).to_contain_text(EMAIL)
    assert PHONE in officer.content()
    member.goto(reverse("trade:offer-detail", args=[need.pk]))
    expect(member.locator('#contact [data-contact="b"]')).to_contain_text("officer@example.com")

    # 5. Staff record the signed project from the introduction.
    year = report_year()
    staff.goto(reverse("trade:introduction-detail", args=[introduction.pk]))
    staff.locator("#record-project").click()
    staff.locator("#id_association").select_option(str(business_association.pk))
    staff.locator("#id_kind").select_option("trade")
    staff.locator("#id_amount").fill("2500000")
    staff.locator("#id_currency").select_option("CNY")
    staff.locator("#id_city").select_option("鄭州")
    staff.locator("#id_signed_on").fill(datetime.date(year, 12, 15).isoformat())
    with staff.expect_navigation():
        staff.locator("form.stacked button[type=submit]").click()
    project = SignedProject.objects.get()
    assert staff.url.endswith(reverse("trade:project-detail", args=[project.pk]))
    introduction.refresh_from_db()
    assert introduction.stage == IntroductionStage.SIGNED

    # 6. The project shows in the association's annual report counts.
    officer.goto(reverse("cycle:report-list"))
    with officer.expect_navigation():
        officer.locator("#to-start button[type=submit]").first.click()
    report = AnnualReport.objects.get(association=business_association, year=year)
    officer.goto(reverse("cycle:report-detail", args=[report.pk]))
    expect(officer.locator('[data-figure="projects_signed"]')).to_have_text("1")
    expect(officer.locator('[data-figure="projects_amount"]')).to_have_text("250万")

    for traffic in (officer_traffic, staff_traffic, member_traffic):
        traffic.assert_clean(live_server.url)
