import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.core import storage
from qiaojia.core.pages import form_page, paginate, post_action, require
from qiaojia.exports.services import export_list

from . import industries, permissions, selectors, selectors_deals, services
from .exports import OFFER_EXPORT, PROFILE_EXPORT
from .forms import (
    AttachmentForm,
    ConfirmForm,
    OfferCreateForm,
    OfferEditForm,
    ProfileCreateForm,
    ProfileEditForm,
    PublicFilterForm,
    ReturnForm,
    VersionForm,
)
from .lists import offer_queryset, profile_queryset
from .models import OfferStatus

MATCH_PAGE = 10


def _crumbs(offer=None):
    crumbs = [(reverse("trade:offer-list"), pgettext("trade", "Offers and needs"))]
    if offer is not None:
        crumbs.append((reverse("trade:offer-detail", args=[offer.pk]), offer.title))
    return crumbs


def _detail_url(offer) -> str:
    return reverse("trade:offer-detail", args=[offer.pk])


def _tabs(user) -> dict:
    return {
        "can_post": selectors.can_post(user),
        "can_view_match_list": permissions.can_view_match_list(user),
        "can_record_project": permissions.can_record_project(user),
    }


# Offers and needs ---------------------------------------------------------------------------------


@login_required
def offer_list(request):
    filters, qs = offer_queryset(request.user, request.GET)
    page = paginate(request, qs)
    return render(
        request,
        "trade/offer_list.html",
        {"page": page, "filters": filters, "today": timezone.localdate(), **_tabs(request.user)},
    )


@login_required
def offer_export(request):
    # streamed when small, queued as a background job past the threshold, like every registered list
    return export_list(request, OFFER_EXPORT)


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request):
    options = selectors.posting_options(viewer=request.user)
    require(bool(options))
    today = timezone.localdate()
    form = OfferCreateForm(
        request.POST or None,
        options=options,
        initial={"valid_from": today, "valid_until": today + datetime.timedelta(days=365)},
    )
    return form_page(
        request,
        form=form,
        title=_("New offer or need"),
        breadcrumb=_crumbs(),
        save=lambda d: services.offer_create(
            association=d["posting"].association,
            enterprise=d["posting"].enterprise,
            data=d,
            by=request.user,
            form_token=d["form_token"],
        ),
        success_url=lambda obj: reverse("trade:offer-detail", args=[getattr(obj, "pk", obj)]),
    )


@login_required
def offer_detail(request, pk: int):
    user = request.user
    offer = selectors.offer_get(viewer=user, pk=pk)
    suggestions = selectors.offer_suggestions(viewer=user, offer=offer)
    return render(
        request,
        "trade/offer_detail.html",
        {
            "offer": offer,
            "attachments": selectors.offer_attachments(viewer=user, offer=offer),
            "suggestions": suggestions,
            "contact": selectors.offer_contact(viewer=user, offer=offer),
            "can_see_poster": permissions.can_see_poster(user, offer),
            "can_edit": permissions.can_edit_offer(user, offer),
            "can_submit": permissions.can_submit_offer(user, offer),
            "can_review": permissions.can_review_offer(user, offer),
            "can_withdraw": permissions.can_withdraw_offer(user, offer),
            "can_view_suggestions": permissions.can_view_suggestions(user, offer),
            "can_express_interest": permissions.can_express_interest(user, offer, can_post=selectors.can_post(user)),
            "can_broker": permissions.can_broker(user)
            and permissions.can_view_suggestions(user, offer)
            and offer.status == OfferStatus.PUBLISHED,
            "introductions": selectors_deals.offer_introductions(viewer=user, offer=offer),
            "breadcrumb": _crumbs(),
        },
    )


def _managed(request, pk: int, allowed):
    offer = selectors.offer_get(viewer=request.user, pk=pk)
    require(allowed(request.user, offer))
    return offer


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk: int):
    offer = _managed(request, pk, permissions.can_edit_offer)
    form = OfferEditForm(request.POST or None, instance=offer, initial={"version": offer.version})
    return form_page(
        request,
        form=form,
        title=_("Edit offer or need"),
        breadcrumb=_crumbs(offer),
        current=offer,
        save=lambda d: services.offer_update(offer=offer, expected_version=d["version"], data=d),
        success_url=lambda obj: _detail_url(offer),
    )


@login_required
@require_POST
def offer_submit(request, pk: int):
    offer = _managed(request, pk, permissions.can_submit_offer)
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.offer_submit(offer=offer, expected_version=d["version"]),
        success=_("The item was submitted for review."),
        back=_detail_url(offer),
    )


@login_required
@require_POST
def offer_publish(request, pk: int):
    offer = _managed(request, pk, permissions.can_review_offer)
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.offer_publish(offer=offer, expected_version=d["version"], by=request.user),
        success=_("The item was published: members of every association see it now."),
        back=_detail_url(offer),
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_return(request, pk: int):
    offer = _managed(request, pk, permissions.can_review_offer)
    form = ReturnForm(request.POST or None, initial={"version": offer.version})
    return form_page(
        request,
        form=form,
        title=_("Return for changes: %(title)s") % {"title": offer.title},
        breadcrumb=_crumbs(offer),
        current=offer,
        save=lambda d: services.offer_return(
            offer=offer, expected_version=d["version"], reason=d["reason"], by=request.user
        ),
        success_url=lambda obj: _detail_url(offer),
        success_message=lambda obj: _("The item was returned for changes."),
    )


@login_required
@require_POST
def offer_withdraw(request, pk: int):
    offer = _managed(request, pk, permissions.can_withdraw_offer)
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.offer_withdraw(offer=offer, expected_version=d["version"]),
        success=_("The item was withdrawn."),
        back=_detail_url(offer),
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_create(request, pk: int):
    offer = _managed(request, pk, permissions.can_edit_offer)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form=form,
        title=_("Attach a file: %(title)s") % {"title": offer.title},
        breadcrumb=_crumbs(offer),
        save=lambda d: services.attachment_add(offer=offer, uploaded=d["file"], by=request.user),
        success_url=lambda obj: _detail_url(offer) + "#files",
    )


@login_required
def attachment_file(request, pk: int):
    attachment = selectors.attachment_get(viewer=request.user, pk=pk)
    return storage.file_response(
        attachment.file.name, content_type=attachment.content_type, filename=attachment.original_name
    )


@login_required
@require_POST
def attachment_delete(request, pk: int):
    attachment = selectors.attachment_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_offer(request.user, attachment.offer))
    return post_action(
        request,
        ConfirmForm(request.POST),
        lambda d: services.attachment_delete(attachment=attachment),
        success=_("The file was removed."),
        back=_detail_url(attachment.offer) + "#files",
    )


@login_required
def match_list(request):
    """Staff's province-wide suggestions: the newest published items, each with its best matches."""
    user = request.user
    require(permissions.can_view_match_list(user))
    filters, qs = offer_queryset(user, request.GET)
    page = paginate(request, qs.filter(status=OfferStatus.PUBLISHED), per_page=MATCH_PAGE)
    rows = selectors.match_list(viewer=user, offers=list(page.object_list))
    return render(request, "trade/match_list.html", {"page": page, "rows": rows, "filters": filters, **_tabs(user)})


# Public listing -----------------------------------------------------------------------------------


def public_list(request):
    filters = PublicFilterForm(request.GET or None)
    qs = selectors.public_list(q=filters.value("q"), kind=filters.value("kind"))
    return render(request, "trade/public_list.html", {"page": paginate(request, qs), "filters": filters})


def public_detail(request, pk: int):
    return render(request, "trade/public_detail.html", {"offer": selectors.public_get(pk=pk)})


# Trade profiles and the directory -----------------------------------------------------------------


@login_required
def profile_list(request):
    user = request.user
    filters, qs = profile_queryset(user, request.GET)
    page = paginate(request, qs)
    names = selectors.profile_association_names(page.object_list)
    for profile in page.object_list:
        profile.association_names = names.get(profile.enterprise_id, [])
    return render(
        request,
        "trade/profile_list.html",
        {
            "page": page,
            "filters": filters,
            "without_profile": selectors.enterprises_without_profile(viewer=user),
            **_tabs(user),
        },
    )


@login_required
def profile_export(request):
    # streamed when small, queued as a background job past the threshold, like every registered list
    return export_list(request, PROFILE_EXPORT)


@login_required
def profile_detail(request, pk: int):
    user = request.user
    page = selectors.profile_get(viewer=user, pk=pk)
    return render(
        request,
        "trade/profile_detail.html",
        {
            "page": page,
            "profile": page.profile,
            "industry": industries.division_label(page.profile.division) if page.profile else "",
            "can_edit": permissions.can_edit_profile(
                user, representative_id=page.enterprise.representative_id, association_ids=page.association_ids
            ),
            "breadcrumb": [(reverse("trade:profile-list"), _("Enterprise directory"))],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, pk: int):
    """The trade profile of enterprise `pk` (made on first save)."""
    user = request.user
    page = selectors.profile_for_enterprise(viewer=user, enterprise_pk=pk)
    require(
        permissions.can_edit_profile(
            user, representative_id=page.enterprise.representative_id, association_ids=page.association_ids
        )
    )
    profile = page.profile
    if profile is None:
        form = ProfileCreateForm(request.POST or None)
    else:
        form = ProfileEditForm(request.POST or None, instance=profile, initial={"version": profile.version})
    return form_page(
        request,
        form=form,
        title=_("Trade profile of %(name)s") % {"name": page.enterprise.name},
        breadcrumb=[(reverse("trade:profile-list"), _("Enterprise directory"))],
        current=profile,
        save=lambda d: services.profile_save(
            enterprise=page.enterprise, data=d, expected_version=d.get("version") if profile else None
        ),
        success_url=lambda obj: reverse("trade:profile-detail", args=[obj.pk]),
    )
