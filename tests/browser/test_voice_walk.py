"""Issue 15's acceptance walk: a member of the public sends an opinion in Traditional characters on a phone
and gets a receipt code; staff reading Simplified see it and route it to 河南省僑商聯合會; its officer answers;
the sender rates it not satisfied on the tracking page and reopens it; it is answered again and rated; the
three rates show it."""

from django.urls import reverse

from qiaojia.core.chinese import to_script
from qiaojia.voice.models import Opinion, OpinionStatus

from .conftest import PHONE, click_confirmed, log_in, no_horizontal_overflow


def _track(page, code):
    page.goto(reverse("voice:public-track"))
    page.locator("#id_code").fill(code)
    with page.expect_navigation():
        page.locator("#look-up").click()


def test_public_opinion_routed_answered_rated_reopened_and_closed(
    new_page, live_server, federation, liaison_department, business_association, officer_of, staff_user
):
    # A member of the public, on a phone with a Traditional-Chinese browser.
    public, public_traffic = new_page(locale="zh-TW", viewport=PHONE, is_mobile=True, has_touch=True)
    public.goto(reverse("voice:public-create"))
    assert public.locator("html").get_attribute("lang") == "zh-hant"
    assert "反映意見" in public.locator("h1").inner_text()
    public.locator("#id_category").select_option("business")
    public.locator("#id_title").fill("僑資企業環評審批超時")
    public.locator("#id_text").fill("新建廠房的環評審批已超過法定時限，請協調。")
    public.locator("#id_name").fill("黃建華")
    public.locator("#id_phone").fill("+8613700000103")
    public.locator("#id_consent").check()
    with public.expect_navigation():
        public.locator("#send").click()
    code = public.locator("#receipt-code").inner_text().strip()
    opinion = Opinion.objects.get()
    assert code == opinion.code
    ok, width, inner = no_horizontal_overflow(public)
    assert ok, f"the receipt page is {width}px wide on a {inner}px phone"
    public_traffic.assert_clean(live_server.url)

    # Staff, reading Simplified, find it in the list and give it to the business association.
    staff, staff_traffic = new_page()
    log_in(staff, staff_user)
    staff.goto(reverse("voice:opinion-list"))
    assert to_script("僑資企業環評審批超時", "zh-hans") in staff.locator("#opinion-table").inner_text()
    staff.locator(f"tr[data-opinion='{opinion.pk}'] a").click()
    staff.wait_for_url(f"**{reverse('voice:opinion-detail', args=[opinion.pk])}")
    staff.locator("#route").click()
    staff.locator("#id_association").select_option(str(business_association.pk))
    staff.locator("#id_reason").fill("企业事项，由侨商会承办")
    with staff.expect_navigation():
        staff.locator("form.stacked button[type=submit]").click()
    assert to_script("河南省僑商聯合會", "zh-hans") in staff.locator("#handler").inner_text()
    staff_traffic.assert_clean(live_server.url)

    # The association's officer answers.
    officer, officer_traffic = new_page()
    log_in(officer, officer_of)
    officer.goto(reverse("voice:opinion-detail", args=[opinion.pk]))
    officer.locator("#reply").click()
    officer.locator("#id_text").fill("已與生態環境局溝通，將於本週內完成審批。")
    with officer.expect_navigation():
        officer.locator("form.stacked button[type=submit]").click()
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.ANSWERED

    # The sender reads the answer, is not satisfied, and reopens it.
    _track(public, code)
    assert "已與生態環境局溝通" in public.locator("#timeline").inner_text()
    public.locator("#id_rating_2").check()
    click_confirmed(public, "#send-rating")
    assert public.locator("#done").is_visible()
    click_confirmed(public, "#reopen-button", expect="重辦")
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.REOPENED and opinion.rating == "not_satisfied"

    # Answered again, and this time rated satisfied.
    officer.goto(reverse("voice:opinion-detail", args=[opinion.pk]))
    officer.locator("#reply").click()
    officer.locator("#id_text").fill("審批已於今日完成，批文已寄出。")
    with officer.expect_navigation():
        officer.locator("form.stacked button[type=submit]").click()
    officer_traffic.assert_clean(live_server.url)
    _track(public, code)
    public.locator("#id_rating_0").check()
    click_confirmed(public, "#send-rating")
    opinion.refresh_from_db()
    assert (opinion.status, opinion.rating) == (OpinionStatus.ANSWERED, "satisfied")
    assert public.locator("#reopen").count() == 0

    # The three rates show the case under its handler.
    staff.goto(reverse("voice:rates"))
    table = staff.locator("#rates-table").inner_text()
    assert to_script("河南省僑商聯合會", "zh-hans") in table
    assert "100.0%" in table
