"""Pages of introductions (對接), signed projects, the rate table and the digest setting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.core.pages import form_page, paginate, post_action, require
from qiaojia.exports.services import export_list

from . import matching, permissions, selectors, selectors_deals, services_deals
from .exports import INTRODUCTION_EXPORT, PROJECT_EXPORT
from .forms_deals import (
    AnswerForm,
    BrokerForm,
    DigestForm,
    InterestForm,
    IntroductionMoveForm,
    ProjectCreateForm,
    ProjectEditForm,
    ProjectFollowUpForm,
    RateForm,
)
from .lists import introduction_queryset, project_queryset
from .models_deals import DigestSetting


def _intro_crumbs():
    return [(reverse("trade:introduction-list"), _("Introductions"))]


def _project_crumbs():
    return [(reverse("trade:project-list"), _("Signed projects"))]


def _intro_url(introduction) -> str:
    return reverse("trade:introduction-detail", args=[getattr(introduction, "pk", introduction)])


def _project_url(project) -> str:
    return reverse("trade:project-detail", args=[getattr(project, "pk", project)])


# Introductions ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def interest_create(request, pk: int):
    """Express interest in a published item, for the viewer's association or one of its enterprises."""
    user = request.user
    offer = selectors.offer_get(viewer=user, pk=pk)
    options = [
        o
        for o in selectors.posting_options(viewer=user)
        if not (o.association.pk == offer.association_id and o.enterprise is None and offer.enterprise_id is None)
    ]
    require(permissions.can_express_interest(user, offer, can_post=bool(options)))
    form = InterestForm(request.POST or None, options=options)
    return form_page(
        request,
        form=form,
        title=_("Express interest: %(title)s") % {"title": offer.title},
        breadcrumb=[(reverse("trade:offer-detail", args=[offer.pk]), offer.title)],
        save=lambda d: services_deals.interest_express(
            offer=offer,
            association=d["posting"].association,
            enterprise=d["posting"].enterprise,
            message=d["message"],
            by=user,
            form_token=d["form_token"],
        ),
        success_url=_intro_url,
        success_message=lambda obj: _("Your interest was sent. You will be told when the other side answers."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def broker_create(request, pk: int):
    """Propose an introduction between the poster of item `pk` and the poster of one of its suggestions."""
    user = request.user
    offer = selectors.offer_get(viewer=user, pk=pk)
    require(permissions.can_broker(user) and permissions.can_view_suggestions(user, offer))
    candidates = [
        s.offer
        for s in matching.suggestions(offer, limit=20)
        if s.offer is not None and permissions.can_broker_between(user, offer, s.offer)
    ]
    require(bool(candidates))
    initial = {}
    wanted = request.GET.get("with", "")
    if wanted.isdigit():
        initial["other"] = wanted
    form = BrokerForm(request.POST or None, candidates=candidates, initial=initial)
    return form_page(
        request,
        form=form,
        title=_("Broker an introduction: %(title)s") % {"title": offer.title},
        breadcrumb=[(reverse("trade:offer-detail", args=[offer.pk]), offer.title)],
        save=lambda d: services_deals.introduction_broker(
            first=offer, second=d["other"], message=d["message"], by=user, form_token=d["form_token"]
        ),
        success_url=_intro_url,
        success_message=lambda obj: _("The introduction was proposed: each side is asked to consent."),
    )


@login_required
def introduction_list(request):
    filters, qs = introduction_queryset(request.user, request.GET)
    return render(
        request,
        "trade/introduction_list.html",
        {"page": paginate(request, qs), "filters": filters, **_tabs(request.user)},
    )


@login_required
def introduction_export(request):
    # streamed when small, queued as a background job past the threshold, like every registered list
    return export_list(request, INTRODUCTION_EXPORT)


@login_required
def introduction_detail(request, pk: int):
    user = request.user
    introduction = selectors_deals.introduction_get(viewer=user, pk=pk)
    answering = permissions.answering_sides(user, introduction)
    can_move = permissions.can_move_introduction(user, introduction)
    return render(
        request,
        "trade/introduction_detail.html",
        {
            "introduction": introduction,
            "notes": selectors_deals.introduction_notes(introduction=introduction),
            "contacts": selectors_deals.introduction_contacts(viewer=user, introduction=introduction),
            "sides": permissions.sides_of(user, introduction),
            "can_answer": bool(answering),
            "can_move": can_move,
            "move_form": IntroductionMoveForm(initial={"version": introduction.version}, current=introduction.stage)
            if can_move
            else None,
            "can_note": permissions.can_note_introduction(user, introduction) and introduction.agreed,
            "can_record_project": introduction.agreed
            and any(
                permissions.can_record_project(user, a)
                for a in (introduction.a_association_id, introduction.b_association_id)
            ),
            "projects": list(introduction.projects.order_by("-signed_on")),
            "breadcrumb": _intro_crumbs(),
        },
    )


@login_required
@require_POST
def introduction_answer(request, pk: int):
    user = request.user
    introduction = selectors_deals.introduction_get(viewer=user, pk=pk)
    sides = permissions.answering_sides(user, introduction)
    require(bool(sides))
    form = AnswerForm(request.POST)
    accept = request.POST.get("answer") == "accept"
    return post_action(
        request,
        form,
        lambda d: services_deals.introduction_answer(
            introduction=introduction,
            expected_version=d["version"],
            sides=sides,
            accept=d["answer"] == "accept",
            note=d["note"],
            by=user,
        ),
        success=_("You accepted: contact details are exchanged once every side has agreed.")
        if accept
        else _("You declined the introduction."),
        back=_intro_url(introduction),
    )


@login_required
@require_http_methods(["GET", "POST"])
def introduction_move(request, pk: int):
    """A note on the case, moving it to its next stage if chosen."""
    user = request.user
    introduction = selectors_deals.introduction_get(viewer=user, pk=pk)
    require(introduction.agreed and permissions.can_note_introduction(user, introduction))
    form = IntroductionMoveForm(
        request.POST or None, initial={"version": introduction.version}, current=introduction.stage
    )
    return form_page(
        request,
        form=form,
        title=_("Note on the introduction: %(title)s") % {"title": introduction.offer.title},
        breadcrumb=[*_intro_crumbs(), (_intro_url(introduction), introduction.offer.title)],
        current=introduction,
        save=lambda d: services_deals.introduction_move(
            introduction=introduction, expected_version=d["version"], stage=d["stage"], note=d["note"], by=user
        ),
        success_url=lambda obj: _intro_url(introduction),
    )


def _tabs(user) -> dict:
    return {
        "can_post": selectors.can_post(user),
        "can_view_match_list": permissions.can_view_match_list(user),
        "can_record_project": permissions.can_record_project(user),
    }


# Signed projects ----------------------------------------------------------------------------------


@login_required
def project_list(request):
    user = request.user
    require(permissions.can_record_project(user))
    filters, qs = project_queryset(user, request.GET)
    return render(
        request,
        "trade/project_list.html",
        {
            "page": paginate(request, qs),
            "filters": filters,
            "totals": selectors_deals.project_totals(qs),
            **_tabs(user),
        },
    )


@login_required
def project_export(request):
    require(permissions.can_record_project(request.user))
    # streamed when small, queued as a background job past the threshold, like every registered list
    return export_list(request, PROJECT_EXPORT)


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    user = request.user
    require(permissions.can_record_project(user))
    introduction = None
    raw = request.GET.get("introduction", "")
    if raw.isdigit() and len(raw) < 18:
        introduction = selectors_deals.introduction_get(viewer=user, pk=int(raw))
        require(introduction.agreed)
    associations = selectors_deals.recording_associations(user, introduction)
    require(bool(associations))
    initial = {}
    if introduction is not None:
        initial["title"] = introduction.offer.title
        parties = [
            (introduction.a_enterprise.name if introduction.a_enterprise else introduction.a_association.name),
            (introduction.b_enterprise.name if introduction.b_enterprise else introduction.b_association.name),
        ]
        initial["parties"] = "\n".join(parties)
    form = ProjectCreateForm(request.POST or None, associations=associations, initial=initial)
    return form_page(
        request,
        form=form,
        title=_("Record a signed project"),
        breadcrumb=_project_crumbs(),
        save=lambda d: services_deals.project_create(
            association=d["association"], data=d, introduction=introduction, by=user, form_token=d["form_token"]
        ),
        success_url=_project_url,
    )


@login_required
def project_detail(request, pk: int):
    user = request.user
    project = selectors_deals.project_get(viewer=user, pk=pk)
    table = selectors_deals.RateTable()
    return render(
        request,
        "trade/project_detail.html",
        {
            "project": project,
            "yuan": table.in_yuan(project.amount, project.currency, project.signed_on),
            "notes": selectors_deals.project_notes(project=project),
            "can_edit": permissions.can_view_project(user, project),
            "can_see_introduction": project.introduction is not None
            and permissions.can_view_introduction(user, project.introduction),
            "breadcrumb": _project_crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    user = request.user
    project = selectors_deals.project_get(viewer=user, pk=pk)
    form = ProjectEditForm(request.POST or None, instance=project, initial={"version": project.version})
    return form_page(
        request,
        form=form,
        title=_("Edit signed project"),
        breadcrumb=[*_project_crumbs(), (_project_url(project), project.title)],
        current=project,
        save=lambda d: services_deals.project_update(project=project, expected_version=d["version"], data=d),
        success_url=lambda obj: _project_url(project),
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_follow_up(request, pk: int):
    user = request.user
    project = selectors_deals.project_get(viewer=user, pk=pk)
    form = ProjectFollowUpForm(request.POST or None, initial={"version": project.version}, current=project.stage)
    return form_page(
        request,
        form=form,
        title=_("Follow-up note: %(title)s") % {"title": project.title},
        breadcrumb=[*_project_crumbs(), (_project_url(project), project.title)],
        current=project,
        save=lambda d: services_deals.project_follow_up(
            project=project, expected_version=d["version"], stage=d["stage"], note=d["note"], by=user
        ),
        success_url=lambda obj: _project_url(project),
    )


# The rate table and the digest setting -------------------------------------------------------------


@login_required
def rate_list(request):
    require(permissions.can_manage_rates(request.user))
    return render(
        request,
        "trade/rate_list.html",
        {"rates": selectors_deals.rate_list(), "breadcrumb": _project_crumbs()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rate_create(request):
    require(permissions.can_manage_rates(request.user))
    form = RateForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("New exchange rate"),
        breadcrumb=[*_project_crumbs(), (reverse("trade:rate-list"), _("Exchange rates"))],
        save=lambda d: services_deals.rate_create(
            currency=d["currency"], rate=d["rate"], effective_from=d["effective_from"]
        ),
        success_url=lambda obj: reverse("trade:rate-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def digest_settings(request):
    """Whether the user gets the weekly digest of new matches (on unless switched off)."""
    user = request.user
    setting = DigestSetting.objects.filter(user=user).first()
    form = DigestForm(request.POST or None, initial={"weekly": setting.weekly if setting else True})
    if request.method == "POST" and form.is_valid():
        services_deals.digest_setting_save(user=user, weekly=form.cleaned_data["weekly"])
        messages.success(request, _("Saved."))
        return redirect("trade:digest-settings")
    return render(request, "trade/digest_settings.html", {"form": form})
