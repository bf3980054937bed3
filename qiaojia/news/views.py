import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.core import photo_views
from qiaojia.core.pages import form_page, paginate, post_action, require
from qiaojia.core.services import AlreadySubmitted, ConflictError, check_form_token
from qiaojia.orgs import selectors as org_selectors
from qiaojia.orgs.models import Association

from . import permissions, selectors, services
from .forms import (
    FEDERATION_PUBLISHER,
    ArticleCreateForm,
    ArticleEditForm,
    ArticleFilterForm,
    ImageEditForm,
    ImageForm,
    ImportForm,
    ReturnForm,
    VersionForm,
)
from .importing import clean_article, parse_body
from .models import ArticleStatus
from .text import article_text, article_texts, caption_text

PORTAL_PAGE = 12
ARTICLE_FIELDS = (
    "title",
    "summary",
    "body",
    "script",
    "source_line",
    "original_date",
    "meeting",
    "title_en",
    "summary_en",
    "body_en",
)


def _language() -> str:
    return translation.get_language() or "zh-hans"


def _reading(article, images) -> dict:
    """The article as a reader sees it: text in their script, photos placed at their captions."""
    language = _language()
    text = article_text(article, language)
    shown = text.blocks
    original = parse_body(article.body) if not (text.lang == "en") else shown
    cover = next((i for i in images if i.is_cover), None)
    unplaced = [i for i in images if not i.is_cover]
    blocks = []
    for n, block in enumerate(shown):
        image = None
        if block.is_caption and len(original) == len(shown):
            image = next((i for i in unplaced if i.caption_text == original[n].text), None)
            if image is not None:
                unplaced.remove(image)
            elif cover is not None and cover.caption_text == original[n].text:
                # The cover is the photo of this caption: shown here, where the text places it, not above the
                # text with the caption left dangling without it.
                image, cover = cover, None
        blocks.append({"text": block.text, "is_caption": block.is_caption, "image": image})
    for image in images:
        image.shown_caption = caption_text(image.caption_text, language)
    return {"text": text, "blocks": blocks, "cover": cover, "gallery": unplaced}


# The public portal ------------------------------------------------------------------------------


def _portal_page(request, queryset, *, association=None):
    page = paginate(request, queryset, PORTAL_PAGE)
    articles = list(page.object_list)
    texts = article_texts(articles, _language())
    for article in articles:
        article.text = texts[article.pk]
        article.cover = article.covers[0] if article.covers else None
    publishers = Association.objects.filter(articles__status=ArticleStatus.PUBLISHED).distinct().order_by("name")
    return render(
        request,
        "news/portal.html",
        {"page": page, "articles": articles, "association": association, "publishers": publishers},
    )


def portal(request):
    return _portal_page(request, selectors.public_articles())


def association_news(request, pk: int):
    association = selectors.public_association_get(pk)
    return _portal_page(request, selectors.public_articles(association=association), association=association)


def article(request, year: int, month: int, day: int, slug: str):
    try:
        published_on = datetime.date(year, month, day)
    except (ValueError, OverflowError) as exc:  # no such day, or a year no date can hold
        raise Http404 from exc
    item = selectors.public_article_get(published_on=published_on, slug=slug)
    return render(request, "news/article.html", {"article": item, **_reading(item, selectors.article_images(item))})


def image(request, pk: int):
    photo = selectors.image_get(viewer=request.user, pk=pk)
    return photo_views.photo_file(photo, public=photo.article.status == ArticleStatus.PUBLISHED)


# The newsroom -----------------------------------------------------------------------------------


def _crumbs(article=None):
    crumbs = [(reverse("news:article-list"), _("Newsroom"))]
    if article is not None:
        crumbs.append((reverse("news:article-detail", args=[article.pk]), article.title))
    return crumbs


def _detail_url(article, anchor: str = "") -> str:
    return reverse("news:article-detail", args=[article.pk]) + (f"#{anchor}" if anchor else "")


@login_required
def article_list(request):
    require(permissions.can_use_newsroom(request.user))
    federation_allowed, associations = selectors.publisher_choices(request.user)
    if federation_allowed:
        associations = list(org_selectors.association_list(viewer=request.user).order_by("name"))
    filters = ArticleFilterForm(request.GET or None, associations=associations, federation_allowed=federation_allowed)
    raw = request.GET.get("association")
    federation_only = federation_allowed and raw == FEDERATION_PUBLISHER
    # Through the one scoped parser every list and export uses: another association's id is not found.
    association = None if federation_only else org_selectors.association_filter(viewer=request.user, raw=raw)
    queryset = selectors.article_list(
        viewer=request.user,
        q=filters.value("q"),
        status=filters.value("status"),
        association=association.pk if association else None,
        federation_only=federation_only,
    )
    page = paginate(request, queryset)
    return render(request, "news/article_list.html", {"page": page, "filters": filters})


def _meetings(request):
    return selectors.manageable_meetings(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request):
    require(permissions.can_use_newsroom(request.user))
    federation_allowed, associations = selectors.publisher_choices(request.user)
    form = ArticleCreateForm(
        request.POST or None,
        meetings=_meetings(request),
        federation_allowed=federation_allowed,
        associations=associations,
    )
    return form_page(
        request,
        form=form,
        title=_("New article"),
        breadcrumb=_crumbs(),
        save=lambda d: services.article_create(
            federation=org_selectors.federation_get(),
            association=d["publisher"],
            author=request.user,
            data={k: d[k] for k in ARTICLE_FIELDS},
            form_token=d["form_token"],
        ),
        success_url=lambda obj: reverse("news:article-detail", args=[getattr(obj, "pk", obj)]),
    )


@login_required
def article_detail(request, pk: int):
    """The newsroom's page of an article: a preview as readers will see it, its status and actions."""
    item = selectors.article_get(viewer=request.user, pk=pk)
    images = selectors.article_images(item)
    user = request.user
    body_captions = [b.text for b in parse_body(item.body) if b.is_caption]
    return render(
        request,
        "news/article_detail.html",
        {
            "article": item,
            "images": images,
            **_reading(item, images),
            "body_captions": body_captions,
            "can_manage": permissions.can_manage_article(user, item),
            "can_edit": permissions.can_edit_article(user, item),
            "can_submit": permissions.can_submit_article(user, item),
            "can_publish": permissions.can_publish_article(user, item),
            "can_return": permissions.can_return_article(user, item),
            "can_withdraw": permissions.can_withdraw_article(user, item),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request, pk: int):
    item = selectors.article_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_article(request.user, item))
    if not permissions.can_edit_article(request.user, item):
        messages.error(request, _("An article in review or published cannot be changed. Withdraw it first."))
        return redirect(_detail_url(item))
    form = ArticleEditForm(
        request.POST or None, instance=item, meetings=_meetings(request), initial={"version": item.version}
    )
    return form_page(
        request,
        form=form,
        title=_("Edit article"),
        breadcrumb=_crumbs(item),
        current=item,
        save=lambda d: services.article_update(
            article=item, expected_version=d["version"], data={k: d[k] for k in ARTICLE_FIELDS}
        ),
        success_url=lambda obj: _detail_url(item),
    )


@login_required
@require_POST
def article_submit(request, pk: int):
    item = selectors.article_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_article(request.user, item))
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.article_submit(article=item, expected_version=d["version"]),
        success=_("The article was submitted for review."),
        back=_detail_url(item),
    )


@login_required
@require_POST
def article_publish(request, pk: int):
    item = selectors.article_get(viewer=request.user, pk=pk)
    require(permissions.can_review_article(request.user, item))

    def publish(d):
        if not permissions.can_publish_article(request.user, item):
            raise ValidationError(_("An association's article is published after review: submit it first."))
        services.article_publish(article=item, expected_version=d["version"], reviewer=request.user)

    return post_action(
        request, VersionForm(request.POST), publish, success=_("The article is published."), back=_detail_url(item)
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_return(request, pk: int):
    item = selectors.article_get(viewer=request.user, pk=pk)
    require(permissions.can_review_article(request.user, item))
    form = ReturnForm(request.POST or None, initial={"version": item.version})
    return form_page(
        request,
        form=form,
        title=_("Return for changes"),
        breadcrumb=_crumbs(item),
        current=item,
        save=lambda d: services.article_return(
            article=item, expected_version=d["version"], reason=d["reason"], reviewer=request.user
        ),
        success_url=lambda obj: _detail_url(item),
    )


@login_required
@require_POST
def article_withdraw(request, pk: int):
    item = selectors.article_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_article(request.user, item))
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.article_withdraw(article=item, expected_version=d["version"]),
        success=_("The article was withdrawn from the portal."),
        back=_detail_url(item),
    )


# Photos -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def image_create(request, pk: int):
    item = selectors.article_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_article(request.user, item))
    captions = [b.text for b in parse_body(item.body) if b.is_caption]
    return photo_views.photo_upload_page(
        request,
        form=ImageForm(request.POST or None, request.FILES or None, captions=captions),
        breadcrumb=_crumbs(item),
        save=lambda d: services.image_add(
            article=item, uploaded=d["image"], caption=d["caption"], is_cover=d["is_cover"], form_token=d["form_token"]
        ),
        back=_detail_url(item, "photos"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def image_edit(request, pk: int):
    photo = selectors.image_for_edit(viewer=request.user, pk=pk)
    require(permissions.can_manage_article(request.user, photo.article))
    form = ImageEditForm(
        request.POST or None, initial={"version": photo.version, "caption": photo.caption, "is_cover": photo.is_cover}
    )
    return photo_views.photo_caption_page(
        request,
        photo=photo,
        form=form,
        title=_("Edit photo"),
        breadcrumb=_crumbs(photo.article),
        save=lambda d: services.image_update(
            image=photo, expected_version=d["version"], caption=d["caption"], is_cover=d["is_cover"]
        ),
        back=_detail_url(photo.article, "photos"),
    )


@login_required
@require_POST
def image_move(request, pk: int):
    photo = selectors.image_for_edit(viewer=request.user, pk=pk)
    require(permissions.can_manage_article(request.user, photo.article))
    return photo_views.photo_move_action(
        request,
        photo=photo,
        move=lambda *, photo, **kw: services.image_move(image=photo, **kw),
        back=_detail_url(photo.article, "photos"),
    )


@login_required
@require_POST
def image_delete(request, pk: int):
    photo = selectors.image_for_edit(viewer=request.user, pk=pk)
    require(permissions.can_manage_article(request.user, photo.article))
    return photo_views.photo_delete_action(
        request,
        photo=photo,
        delete=lambda *, photo, **kw: services.image_delete(image=photo, **kw),
        back=_detail_url(photo.article, "photos"),
    )


# Import -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def article_import(request):
    """Paste or upload → a preview of the cleaned article → confirm → a draft (and, if asked, the
    meeting's minutes)."""
    import uuid

    require(permissions.can_use_newsroom(request.user))
    federation_allowed, associations = selectors.publisher_choices(request.user)
    meetings = _meetings(request)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        federation_allowed=federation_allowed,
        associations=associations,
        meetings=meetings,
    )
    context = {"form": form, "title": _("Import an article"), "breadcrumb": _crumbs()}
    if request.method != "POST":
        return render(request, "news/article_import.html", context)
    if not form.is_valid():
        return render(request, "news/article_import.html", context, status=400)
    data = form.cleaned_data
    cleaned = clean_article(data["raw"], title=data.get("title") or "")
    if not cleaned.paragraphs:
        form.add_error("text", _("No text was found in what you pasted or uploaded."))
        return render(request, "news/article_import.html", context, status=400)
    if request.POST.get("confirm") != "1":
        # The preview carries the text itself, so the confirmation does not need the file again.
        confirm = request.POST.copy()
        confirm["text"] = data["raw"]
        confirm["form_token"] = str(uuid.uuid4())
        return render(
            request,
            "news/article_import.html",
            {**context, "cleaned": cleaned, "confirm": confirm, "title_shown": cleaned.title},
        )
    try:
        check_form_token(data.get("form_token"))
        created = services.article_import(
            federation=org_selectors.federation_get(),
            association=data["publisher"],
            cleaned=cleaned,
            author=request.user,
            meeting=data.get("meeting"),
            to_meeting_record=bool(data.get("to_meeting")),
            form_token=data.get("form_token"),
        )
    except AlreadySubmitted as exc:
        messages.info(request, _("This form was already submitted; the record was created once."))
        return redirect(
            reverse("news:article-detail", args=[exc.object_id]) if exc.object_id else reverse("news:article-list")
        )
    except ConflictError as exc:
        form.add_error(None, exc.message)
        return render(request, "news/article_import.html", context, status=409)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return render(request, "news/article_import.html", context, status=400)
    messages.success(request, _("The article was imported as a draft. Check it, add its photos and submit it."))
    return redirect(reverse("news:article-detail", args=[created.pk]))
