import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import verified_client
from qiaojia.core.chinese import to_simplified
from qiaojia.meetings.tests.world import make_meeting
from qiaojia.news import services
from qiaojia.news.models import Article, ArticleImage, ArticleStatus

from .test_importing import SEED
from .world import jpeg_upload, make_article, publish

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
OUTSIDE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//(?!testserver[/"'])""", re.IGNORECASE)


def _lang(client, code):
    client.post(reverse("accounts:set-language"), {"language": code, "next": "/"})


def test_draft_is_not_public(client, business_association, officer_of_other):
    draft = make_article(business_association)
    image = services.image_add(article=draft, uploaded=jpeg_upload(), caption="會議現場")
    withdrawn = publish(make_article(business_association, title="撤回新聞"))
    url = withdrawn.get_absolute_url()
    services.article_withdraw(article=withdrawn, expected_version=withdrawn.version)
    assert client.get(url).status_code == 404
    assert client.get(reverse("news:image", args=[image.pk])).status_code == 404
    assert client.get(reverse("news:article-detail", args=[draft.pk])).status_code == 302
    verified_client(client, officer_of_other)
    assert client.get(reverse("news:article-detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("news:image", args=[image.pk])).status_code == 404
    assert client.get(url).status_code == 404


def test_script_follows_the_reader(client, federation):
    hans = publish(
        make_article(None, title="河南省侨联召开会议", body="侨联召开会议。", script="hans"),
        on=datetime.date(2025, 3, 5),
    )
    hant = publish(
        make_article(None, title="僑聯聯誼會新聞", body="聯誼會召開會議。", script="hant"), on=datetime.date(2025, 3, 6)
    )
    _lang(client, "zh-hant")
    page = client.get(hans.get_absolute_url()).content.decode()
    assert "河南省僑聯召開會議" in page and "侨联" not in page
    assert "僑聯召開會議" in client.get(reverse("news:portal")).content.decode()
    _lang(client, "zh-hans")
    page = client.get(hant.get_absolute_url()).content.decode()
    assert "联谊会召开会议" in page and "聯誼會" not in page
    _lang(client, "en")
    page = client.get(hant.get_absolute_url()).content.decode()
    assert "聯誼會召開會議" in page and "no English version" in page


def test_feed_is_atom_with_published_items_only(client, federation, business_association):
    publish(make_article(None, title="已發布新聞"), on=datetime.date(2025, 3, 5))
    make_article(None, title="草稿新聞")
    association_item = publish(make_article(business_association, title="商會新聞"), on=datetime.date(2025, 3, 6))
    response = client.get(reverse("news:feed"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert sorted(titles) == sorted(["已发布新闻", "商会新闻"])  # the default reader language is zh-hans
    for entry in root.findall(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
    root = ET.fromstring(client.get(reverse("news:association-feed", args=[business_association.pk])).content)
    links = [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]
    assert links == [f"http://testserver{association_item.get_absolute_url()}"]


def test_public_pages_point_nowhere_outside(client, federation):
    article = publish(make_article(None), on=datetime.date(2025, 3, 5))
    services.image_add(article=article, uploaded=jpeg_upload(), caption="會議現場", is_cover=True)
    for url in (reverse("news:portal"), article.get_absolute_url(), reverse("news:feed")):
        body = client.get(url).content.decode()
        assert not OUTSIDE.search(body), f"{url} points outside: {OUTSIDE.search(body)}"
        assert not re.search(r"""(?:src|href)\s*=\s*["']?https?://(?!testserver/)""", body)


def test_portal_queries_do_not_grow(client, federation, business_association, django_assert_max_num_queries):
    for n in range(6):
        article = publish(
            make_article(business_association if n % 2 else None, title=f"新聞{n}"), on=datetime.date(2025, 3, 1 + n)
        )
        services.image_add(article=article, uploaded=jpeg_upload(), caption="封面", is_cover=True)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("news:portal"))
    assert response.content.decode().count('class="news-item"') == 6


def test_newsroom_list_queries_and_scope(
    client, business_association, other_association, officer_of, django_assert_max_num_queries
):
    for n in range(5):
        make_article(business_association, title=f"本會新聞{n}")
    make_article(other_association, title="別會秘密新聞")
    verified_client(client, officer_of)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("news:article-list"))
    body = response.content.decode()
    assert body.count(to_simplified("本會新聞")) == 5 and to_simplified("別會秘密新聞") not in body


def test_officer_cannot_publish_through_the_view(client, business_association, officer_of, staff_user):
    article = make_article(business_association)
    verified_client(client, officer_of)
    response = client.post(reverse("news:article-publish", args=[article.pk]), {"version": article.version})
    assert response.status_code == 404
    client.post(reverse("news:article-submit", args=[article.pk]), {"version": article.version})
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    verified_client(client, staff_user)
    response = client.post(
        reverse("news:article-return", args=[article.pk]), {"version": article.version, "reason": ""}
    )
    assert response.status_code == 400
    client.post(reverse("news:article-publish", args=[article.pk]), {"version": article.version})
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert client.get(article.get_absolute_url()).status_code == 200


def test_edit_conflict_is_reported(client, business_association, officer_of):
    article = make_article(business_association)
    verified_client(client, officer_of)
    data = {"version": article.version, "title": "改過的標題", "body": "新的正文", "script": "hant"}
    services.article_update(article=article, expected_version=article.version, data={"title": "別人改的"})
    response = client.post(reverse("news:article-edit", args=[article.pk]), data)
    assert response.status_code == 409
    assert Article.objects.get(pk=article.pk).title == "別人改的"


def test_image_upload_refusal_stores_nothing(client, business_association, officer_of, media):
    article = make_article(business_association)
    verified_client(client, officer_of)
    response = client.post(
        reverse("news:image-create", args=[article.pk]),
        {
            "image": SimpleUploadedFile("notes.jpg", b"%PDF-1.4 not a photo"),
            "caption": "",
            "form_token": "7d3f8a52-1c1b-4f37-9a57-3a1f1f0c9e11",
        },
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not ArticleImage.objects.exists()
    folder = media / "news" / "images"
    assert not folder.exists() or not any(folder.iterdir())


def test_import_preview_then_confirm(client, federation, business_association, officer_of):
    meeting = make_meeting(business_association, title="商會理事會")
    verified_client(client, officer_of)
    raw = SEED.read_text(encoding="utf-8")
    form = {"publisher": str(business_association.pk), "text": raw, "to_meeting": "on", "meeting": str(meeting.pk)}
    preview = client.post(reverse("news:article-import"), form)
    assert preview.status_code == 200
    body = preview.content.decode()
    assert (
        to_simplified("河南省僑聯召開所屬社團2025年度工作會議") in body and "(lián)" not in body.split('name="text"')[0]
    )
    assert not Article.objects.exists()
    token = re.search(r'name="form_token" value="([^"]+)"', body).group(1)
    response = client.post(reverse("news:article-import"), {**form, "confirm": "1", "form_token": token})
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("news:article-detail", args=[article.pk])
    assert article.association == business_association and article.original_date == datetime.date(2025, 3, 5)
    meeting.refresh_from_db()
    assert "河南省僑聯召開所屬社團2025年度工作會議" in meeting.minutes
    # A second press of the same confirmation creates nothing more.
    client.post(reverse("news:article-import"), {**form, "confirm": "1", "form_token": token})
    assert Article.objects.count() == 1


def test_import_upload_html_file(client, federation, staff_user):
    verified_client(client, staff_user)
    html = "<p>2025年3月5日，省僑聯召開會議。</p><script>x()</script>".encode()
    response = client.post(
        reverse("news:article-import"),
        {"publisher": "federation", "upload": SimpleUploadedFile("a.html", html, content_type="text/html")},
    )
    assert response.status_code == 200 and "省僑聯召開會議" in response.content.decode()
    bad = client.post(
        reverse("news:article-import"), {"publisher": "federation", "upload": SimpleUploadedFile("a.exe", b"MZ")}
    )
    assert bad.status_code == 400


def test_the_covers_caption_is_not_left_dangling_in_the_text(client, federation):
    """The cover whose caption is a line of the text is shown at that line (once, not also above the text),
    so the caption is not left without its photo. Another caption keeps its photo in place."""
    article = make_article(None, body="僑聯召開工作會議。\n\n△會議現場\n\n會議強調服務大局。\n\n△合影留念")
    services.image_add(article=article, uploaded=jpeg_upload(), caption="△會議現場", is_cover=True)
    services.image_add(article=article, uploaded=jpeg_upload(), caption="合影留念")
    article = publish(article, on=datetime.date(2025, 3, 5))
    _lang(client, "zh-hant")
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<p class="caption">' not in page  # no caption without its photo
    assert page.count("會議現場") == 2  # the photo's caption and its alt text, once each
    body = page[page.index('id="article-body"') :]
    for caption in ("會議現場", "合影留念"):
        assert re.search(rf"<img [^>]*alt=\"{caption}\"[^>]*>\s*<figcaption>{caption}</figcaption>", body)
    assert body.index("會議現場") < body.index("會議強調") < body.index("合影留念")
