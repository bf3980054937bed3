"""Pages of the data subject's rights: the copy of a person's data, the withdrawal of consent, erasure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qiaojia.accounts.decorators import recent_second_factor
from qiaojia.core.pages import require
from qiaojia.core.services import ConflictError
from qiaojia.exports.formats import content_disposition

from . import rights, selectors
from .rights_forms import ConsentWithdrawForm, PersonalDataRequestForm, PersonEraseForm


def _crumbs(person):
    return [
        (reverse("members:person-list"), _("People")),
        (reverse("members:person-detail", args=[person.pk]), person.display_name),
    ]


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@login_required
@recent_second_factor
@require_http_methods(["GET", "POST"])
def person_data(request, pk: int):
    """The person's copy of everything held about them (PIPL art. 45), as a .zip; staff say how the
    person asked."""
    person = selectors.person_get(viewer=request.user, pk=pk)
    require(rights.can_download_personal_data(request.user, person))
    own = rights.is_own_record(request.user, person)
    form = PersonalDataRequestForm(request.POST if request.method == "POST" else None, request_required=not own)
    if request.method == "POST" and form.is_valid():
        name, content = rights.personal_data_export(person=person, on_request=form.cleaned_data.get("on_request", ""))
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = content_disposition(name, name)
        response["X-Content-Type-Options"] = "nosniff"
        return _no_store(response)
    return _no_store(
        render(
            request,
            "members/person_data.html",
            {
                "person": person,
                "form": form,
                "own": own,
                "breadcrumb": _crumbs(person),
                "sections": [
                    rights.PERSONAL_RECORD_LABEL,
                    *(part.label for part in rights.subject_data()),
                    rights.AUDIT_LABEL,
                ],
            },
            status=400 if request.method == "POST" else 200,
        )
    )


def _confirm(request, *, form, template: str, context: dict, action, done: str, success: str):
    """A confirmation page: on a valid POST run `action`, say so and go to `done`; otherwise show the page
    again with what went wrong (nothing changed)."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                action(form.cleaned_data)
            except ConflictError as exc:
                form.add_error(None, exc.message)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, success)
                return redirect(done)
    return _no_store(render(request, template, {**context, "form": form}, status=status))


@login_required
@require_http_methods(["GET", "POST"])
def person_consent_withdraw(request, pk: int):
    person = selectors.person_get(viewer=request.user, pk=pk)
    require(rights.can_withdraw_consent(request.user, person))
    detail = reverse("members:person-detail", args=[person.pk])
    if person.consent_at is None:
        messages.info(request, _("There is no consent on record to withdraw."))
        return redirect(detail)
    own = rights.is_own_record(request.user, person)
    form = ConsentWithdrawForm(request.POST or None, own=own, initial={"version": person.version})
    return _confirm(
        request,
        form=form,
        template="members/person_consent_withdraw.html",
        context={"person": person, "own": own, "breadcrumb": _crumbs(person)},
        action=lambda d: rights.consent_withdraw(person=person, expected_version=d["version"], note=d.get("note", "")),
        done=detail,
        success=_("The withdrawal of consent is recorded and the ID number was deleted."),
    )


@login_required
@recent_second_factor
@require_http_methods(["GET", "POST"])
def person_erase(request, pk: int):
    """Erase a person (PIPL art. 47): administrators only, after typing the record number."""
    person = selectors.person_get(viewer=request.user, pk=pk)
    require(rights.can_erase_person(request.user, person))
    form = PersonEraseForm(request.POST or None, person=person, initial={"version": person.version})
    return _confirm(
        request,
        form=form,
        template="members/person_erase.html",
        context={"person": person, "breadcrumb": _crumbs(person), "kept": rights.erasure_preview(person=person)},
        action=lambda d: rights.person_erase(person=person, expected_version=d["version"], reason=d["reason"]),
        done=reverse("members:person-detail", args=[person.pk]),
        success=_("The person was erased. Their records remain under the label “%(label)s”.")
        % {"label": _("Erased person #%(number)s") % {"number": person.pk}},
    )
