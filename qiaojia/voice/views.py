from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.core import ratelimit, storage
from qiaojia.core.middleware import client_ip
from qiaojia.core.pages import form_page, paginate, post_action, require
from qiaojia.core.services import AlreadySubmitted, check_form_token
from qiaojia.exports.formats import export_response
from qiaojia.exports.services import export_list

from . import permissions, selectors, services
from .exports import OPINION_EXPORT, RATES_SPEC
from .forms import (
    ConfirmVersionForm,
    MergeForm,
    OfficerOpinionForm,
    OpinionForm,
    PublicOpinionForm,
    RateForm,
    ReasonForm,
    ReopenForm,
    ReplyForm,
    RouteForm,
    TrackForm,
)
from .lists import opinion_queryset, rates_rows
from .models import Opinion, OpinionChannel

RECEIPT = "voice_receipt"


def _crumbs(opinion=None):
    crumbs = [(reverse("voice:opinion-list"), _("Opinions"))]
    if opinion is not None:
        crumbs.append((reverse("voice:opinion-detail", args=[opinion.pk]), opinion.title))
    return crumbs


def _detail_url(opinion) -> str:
    return reverse("voice:opinion-detail", args=[opinion.pk])


# Staff, officers and members ------------------------------------------------------------------------


@login_required
def opinion_list(request):
    filters, qs = opinion_queryset(request.user, request.GET)
    page = paginate(request, qs)
    return render(
        request,
        "voice/opinion_list.html",
        {
            "page": page,
            "filters": filters,
            "can_send": permissions.can_send_opinion(request.user),
            "can_view_rates": permissions.can_view_rates(request.user),
        },
    )


@login_required
def opinion_export(request):
    # streamed when small, queued as a background job past the threshold, like every registered list
    return export_list(request, OPINION_EXPORT)


@login_required
@require_http_methods(["GET", "POST"])
def opinion_create(request):
    user = request.user
    require(permissions.can_send_opinion(user))
    writes_for = selectors.writing_associations(user)
    for_association = writes_for.exists()
    if for_association:
        form = OfficerOpinionForm(request.POST or None, request.FILES or None, associations=writes_for)
    else:
        form = OpinionForm(request.POST or None, request.FILES or None)

    def save(d):
        if for_association:
            return services.opinion_submit(
                data={**d, "name": user.get_full_name() or user.username},
                channel=OpinionChannel.OFFICER,
                association=d["association"],
                by=user,
                uploaded=d.get("file"),
                form_token=d["form_token"],
            )
        person = user.person
        membership = person.memberships.filter(left_on__isnull=True).order_by("id").first()
        return services.opinion_submit(
            data={**d, "name": person.name, "phone": person.phone or "", "email": user.email or ""},
            channel=OpinionChannel.MEMBER,
            association=membership.association if membership else None,
            person=person,
            by=user,
            uploaded=d.get("file"),
            form_token=d["form_token"],
        )

    return form_page(
        request,
        form=form,
        title=_("Send an opinion"),
        breadcrumb=_crumbs(),
        save=save,
        success_url=lambda obj: reverse("voice:opinion-detail", args=[getattr(obj, "pk", obj)]),
        success_message=lambda obj: _("Sent. The receipt code is %(code)s.") % {"code": obj.code},
    )


@login_required
def opinion_detail(request, pk: int):
    user = request.user
    opinion = selectors.opinion_get(viewer=user, pk=pk)
    return render(
        request,
        "voice/opinion_detail.html",
        {
            "opinion": opinion,
            "timeline": selectors.opinion_timeline(opinion=opinion),
            "similar": selectors.opinion_similar(viewer=user, opinion=opinion)
            if permissions.can_see_similar(user, opinion)
            else [],
            "can_see_sender": permissions.can_see_sender(user, opinion),
            "can_see_contact": permissions.can_see_contact(user, opinion),
            "can_acknowledge": permissions.can_acknowledge_opinion(user, opinion),
            "can_reply": permissions.can_reply_opinion(user, opinion),
            "can_extend": permissions.can_extend_opinion(user, opinion),
            "can_route": permissions.can_route_opinion(user, opinion),
            "can_merge": permissions.can_merge_opinion(user, opinion),
            "is_sender": permissions.is_sender(user, opinion),
            "breadcrumb": _crumbs(),
        },
    )


def _allowed(request, pk: int, predicate) -> Opinion:
    opinion = selectors.opinion_get(viewer=request.user, pk=pk)
    require(predicate(request.user, opinion))
    return opinion


@login_required
@require_POST
def opinion_acknowledge(request, pk: int):
    opinion = _allowed(request, pk, permissions.can_acknowledge_opinion)
    return post_action(
        request,
        ConfirmVersionForm(request.POST),
        lambda d: services.opinion_acknowledge(opinion=opinion, expected_version=d["version"], by=request.user),
        success=_("Acknowledged."),
        back=_detail_url(opinion),
    )


def _form(request, opinion, form, *, title, save, success):
    return form_page(
        request,
        form=form,
        title=title,
        breadcrumb=_crumbs(opinion),
        current=opinion,
        save=save,
        success_url=lambda obj: _detail_url(opinion),
        success_message=lambda obj: success,
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion_route(request, pk: int):
    opinion = _allowed(request, pk, permissions.can_route_opinion)
    form = RouteForm(request.POST or None, initial={"version": opinion.version})
    return _form(
        request,
        opinion,
        form,
        title=_("Give the opinion to another handler"),
        success=_("The opinion is with its new handler."),
        save=lambda d: services.opinion_route(
            opinion=opinion,
            expected_version=d["version"],
            reason=d["reason"],
            department=d.get("department"),
            association=d.get("association"),
            by=request.user,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion_extend(request, pk: int):
    opinion = _allowed(request, pk, permissions.can_extend_opinion)
    form = ReasonForm(request.POST or None, initial={"version": opinion.version})
    return _form(
        request,
        opinion,
        form,
        title=_("Extend the deadline"),
        success=_("The deadline is extended."),
        save=lambda d: services.opinion_extend(
            opinion=opinion, expected_version=d["version"], reason=d["reason"], by=request.user
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion_reply(request, pk: int):
    opinion = _allowed(request, pk, permissions.can_reply_opinion)
    form = ReplyForm(request.POST or None, initial={"version": opinion.version})
    return _form(
        request,
        opinion,
        form,
        title=_("Answer the opinion"),
        success=_("Answered. The sender is told and can rate the answer."),
        save=lambda d: services.opinion_reply(
            opinion=opinion, expected_version=d["version"], text=d["text"], by=request.user
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion_merge(request, pk: int):
    opinion = _allowed(request, pk, permissions.can_merge_opinion)
    form = MergeForm(request.POST or None, initial={"version": opinion.version})

    def save(d):
        into = selectors.opinion_track(code=services.normal_code(d["into"]))
        if into is None or not permissions.can_view_opinion(request.user, into):
            raise ValidationError({"into": _("No opinion has this receipt code.")})
        return services.opinion_merge(opinion=opinion, into=into, expected_version=d["version"], by=request.user)

    return _form(
        request,
        opinion,
        form,
        title=_("Merge into an earlier opinion"),
        success=_("Merged. Its sender follows the earlier opinion."),
        save=save,
    )


@login_required
def opinion_file(request, pk: int):
    opinion = _allowed(request, pk, lambda user, o: bool(o.attachment) and permissions.can_see_contact(user, o))
    content_type = "application/pdf" if opinion.attachment.name.endswith(".pdf") else "image/jpeg"
    return storage.file_response(opinion.attachment.name, content_type=content_type, filename=opinion.attachment_name)


@login_required
def rates(request):
    require(permissions.can_view_rates(request.user))
    filters, rows = rates_rows(request.user, request.GET)
    return render(request, "voice/rates.html", {"filters": filters, "rows": rows})


@login_required
def rates_export(request):
    require(permissions.can_view_rates(request.user))
    _filters, rows = rates_rows(request.user, request.GET)
    return export_response(request, queryset=rows, columns=RATES_SPEC, name="voice-rates", label=_("Opinion rates"))


# The public ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def public_create(request):
    form = PublicOpinionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        try:
            check_form_token(request.POST.get("form_token"))
        except (AlreadySubmitted, ValidationError):
            messages.info(request, _("This form was already submitted; the opinion was sent once."))
            return redirect("voice:public-receipt")
        if form.is_valid():
            if form.cleaned_data.get("website"):
                form.add_error(None, _("The opinion could not be sent. Reload the page and try again."))
                return render(request, "voice/public_form.html", {"form": form}, status=400)
            try:
                opinion = services.opinion_submit(
                    data=form.cleaned_data,
                    channel=OpinionChannel.PUBLIC,
                    uploaded=form.cleaned_data.get("file"),
                    address=client_ip(request) or "",
                    form_token=form.cleaned_data["form_token"],
                )
            except services.PublicLimitReached as exc:
                form.add_error(None, exc)
                return render(request, "voice/public_form.html", {"form": form}, status=429)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                request.session[RECEIPT] = opinion.code
                return redirect("voice:public-receipt")
        return render(request, "voice/public_form.html", {"form": form}, status=400)
    return render(request, "voice/public_form.html", {"form": form})


def public_receipt(request):
    code = request.session.get(RECEIPT)
    if not code:
        return redirect("voice:public-create")
    return render(request, "voice/public_receipt.html", {"code": code})


@require_http_methods(["GET", "POST"])
def public_track(request):
    """The tracking page: the receipt code opens the case's status and replies, and the sender's rating
    and reopening. Codes typed wrong count against the address, so codes cannot be guessed in bulk."""
    address = client_ip(request) or "-"
    limit = settings_limit()
    form = TrackForm(request.POST or None)
    context = {"form": form}
    if request.method != "POST":
        return render(request, "voice/public_track.html", context)
    if ratelimit.exceeded("voice.public.lookup", address, limit):
        form.add_error(None, _("Too many wrong receipt codes were typed from here. Try again in an hour."))
        return render(request, "voice/public_track.html", context, status=429)
    code = services.normal_code(request.POST.get("code", "")) if form.is_valid() else ""
    opinion = selectors.opinion_track(code=code)
    if opinion is None:
        ratelimit.record_failure("voice.public.lookup", address, limit)
        if form.is_valid():
            form.add_error("code", _("No opinion has this receipt code. Check it and try again."))
        return render(request, "voice/public_track.html", context, status=400)
    action = request.POST.get("action", "")
    status = 200
    rate_form = RateForm(request.POST if action == "rate" else None, initial={"version": opinion.version})
    reopen_form = ReopenForm(request.POST if action == "reopen" else None, initial={"version": opinion.version})
    if action in ("rate", "reopen"):
        bound = rate_form if action == "rate" else reopen_form
        try:
            if not bound.is_valid():
                raise ValidationError(_("Choose how satisfied you are."))
            if action == "rate":
                opinion = services.opinion_rate(
                    opinion=opinion,
                    expected_version=bound.cleaned_data["version"],
                    rating=bound.cleaned_data["rating"],
                    comment=bound.cleaned_data.get("comment") or "",
                )
                context["done"] = _("Thank you. Your rating is recorded.")
            else:
                opinion = services.opinion_reopen(
                    opinion=opinion, expected_version=bound.cleaned_data["version"], reason=bound.cleaned_data["reason"]
                )
                context["done"] = _("Reopened. The handler answers again.")
            rate_form = RateForm(initial={"version": opinion.version})
            reopen_form = ReopenForm(initial={"version": opinion.version})
        except services.ConflictError as exc:
            context["problem"] = exc.message
            status = 409
        except ValidationError as exc:
            context["problem"] = " ".join(exc.messages)
            status = 400
    shown = opinion.merged_into if opinion.merged_into_id else opinion
    answered_unrated = permissions.can_rate_opinion_by_code(opinion)
    context.update(
        {
            "opinion": opinion,
            "shown": shown,
            "code": opinion.code,
            "timeline": selectors.opinion_timeline(opinion=shown, public=True),
            "rate_form": rate_form if answered_unrated else None,
            "reopen_form": reopen_form if opinion.reopenable else None,
        }
    )
    return render(request, "voice/public_track.html", context, status=status)


def settings_limit():
    return settings.QIAOJIA_VOICE_PUBLIC_LIMITS["lookup"]
