"""An officer imports the seed article and adds its cover photo, staff publish it, and an anonymous
reader finds it on the public portal on a phone and reads it in both scripts.

UI strings are never hard-coded: elements are found by id, name and URL."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from qiaojia.news.models import Article, ArticleStatus

from .conftest import PHONE, click_confirmed, log_in, no_horizontal_overflow, wait_until

pytestmark = pytest.mark.browser

SEED = Path(__file__).resolve().parents[2] / "qiaojia" / "news" / "seeds" / "000_cce6d4194cd30017.txt"
HANT_TITLE = "河南省僑聯召開所屬社團2025年度工作會議"
HANS_TITLE = "河南省侨联召开所属社团2025年度工作会议"


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 180), (36, 84, 150)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _submit(page, selector: str, expected_status: int = 200):
    with page.expect_navigation() as navigation:
        page.locator(selector).click()
    assert navigation.value.status == expected_status


def test_article_from_import_to_the_public_portal_in_both_scripts(
    new_page, live_server, officer_of, staff_user, business_association
):
    page, traffic = new_page()
    log_in(page, officer_of)
    page.goto(reverse("news:article-list"))
    page.locator("#import-article").click()
    page.locator("#id_publisher").select_option(str(business_association.pk))
    page.locator("#id_text").fill(SEED.read_text(encoding="utf-8"))
    _submit(page, "#preview-import")
    # The preview is read in the officer's script (zh-Hans); what is stored is checked below, as written.
    expect(page.locator("#preview-title")).to_have_text(HANS_TITLE)
    expect(page.locator("#preview-body p.caption")).to_have_count(2)
    assert not Article.objects.exists()
    _submit(page, "#confirm-import")
    article = Article.objects.get()
    assert page.url == live_server.url + reverse("news:article-detail", args=[article.pk])

    # The cover photo, captioned as the text's first photo.
    page.locator("#add-photo").click()
    page.locator("#id_image").set_input_files({"name": "scene.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()})
    page.locator("#id_caption").select_option("會議現場")
    page.locator("#id_is_cover").check()
    _submit(page, "main form.stacked button[type=submit]")
    expect(page.locator("#photo-table tbody tr")).to_have_count(1)
    click_confirmed(page, "#submit-article")
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    expect(page.locator("#publish-article")).to_have_count(0)

    reviewer, reviewer_traffic = new_page()
    log_in(reviewer, staff_user)
    reviewer.goto(reverse("news:article-detail", args=[article.pk]))
    click_confirmed(reviewer, "#publish-article")
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED

    # Anyone, on a phone, without logging in.
    reader, reader_traffic = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    reader.goto(reverse("news:portal"))
    link = reader.locator(f"#news-list a[href='{article.get_absolute_url()}']")
    expect(link).to_have_text(HANS_TITLE)
    with reader.expect_navigation():
        link.click()
    expect(reader.locator("#article-title")).to_have_text(HANS_TITLE)
    expect(reader.locator("#article-body")).to_contain_text("会议现场")
    wait_until(
        reader,
        "(() => { const i = document.querySelector('#article img'); return i && i.complete && i.naturalWidth > 0; })()",
    )
    fits, width, inner = no_horizontal_overflow(reader)
    assert fits, f"the article is {width}px wide on a {inner}px screen"

    reader.wait_for_load_state("networkidle")  # the article's photos are loaded before the page is left
    with reader.expect_navigation():
        reader.locator("form.lang-switch button[value='zh-hant']").click()
    expect(reader.locator("#article-title")).to_have_text(HANT_TITLE)
    expect(reader.locator("#article-body")).to_contain_text("楊海強主席總結講話")
    expect(reader.locator("#article")).to_have_attribute("lang", "zh-Hant")
    reader.wait_for_load_state("networkidle")  # the article's photos are loaded before the page is left
    with reader.expect_navigation():
        reader.locator("form.lang-switch button[value='zh-hans']").click()
    expect(reader.locator("#article-title")).to_have_text(HANS_TITLE)
    expect(reader.locator("#article-body")).to_contain_text("杨海强主席总结讲话")

    traffic.assert_clean(live_server.url)
    reviewer_traffic.assert_clean(live_server.url)
    reader_traffic.assert_clean(live_server.url)
