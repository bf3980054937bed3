"""Federation staff review likely duplicate people: a list of candidate pairs, a side-by-side
comparison, the merge, and "not a duplicate". Officers and members get 404, like any foreign id.

Memberships awaiting confirmation (an officer entered someone registered outside their associations)
are reviewed here too: what was entered beside the registered record, then confirm or reject. The
person the request names may open and decide it as well, on their own account."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.core.masking import mask_phone
from qiaojia.core.pages import paginate
from qiaojia.core.services import ConflictError
from qiaojia.core.validators import MAX_ID

from . import permissions, selectors, services
from .duplicates import DuplicateRule, candidates_with_people, duplicate_candidates, duplicate_rules_for, is_dismissed
from .models import Enterprise, Industry, Membership, PendingMembership, Person


def _require_federation(user) -> None:
    if not permissions.can_review_duplicates(user):
        raise Http404


def _crumbs():
    return [(reverse("members:person-list"), _("People")), (reverse("members:duplicate-list"), _("Duplicates"))]


@login_required
def duplicate_list(request):
    _require_federation(request.user)
    page = paginate(request, duplicate_candidates(), per_page=25)
    page.object_list = candidates_with_people(list(page.object_list))
    pending = selectors.pending_list(viewer=request.user).select_related("person", "enterprise", "requested_by")
    return render(
        request,
        "members/duplicate_list.html",
        {
            "page": page,
            "breadcrumb": _crumbs()[:1],
            "title": _("Duplicates"),
            "pending": list(pending[:PENDING_SHOWN]),
            "pending_count": pending.count(),
        },
    )


PENDING_SHOWN = 100


def _pair(pk_a: int, pk_b: int) -> tuple[Person, Person]:
    # An id beyond 64 bits names nobody (and would overflow the query).
    if pk_a == pk_b or max(pk_a, pk_b) > MAX_ID:
        raise Http404
    people = Person.objects.in_bulk([pk_a, pk_b])
    if len(people) != 2:
        raise Http404
    return people[pk_a], people[pk_b]


def _mask_email(value: str) -> str:
    return Person.AUDIT_MASKS["email"](value) if value else ""


# Each comparable field: its label and how to show a value (masked where personal).
FIELD_DISPLAY = [
    ("name", gettext_lazy("Name"), lambda p: p.name),
    ("name_en", gettext_lazy("English name"), lambda p: p.name_en),
    ("gender", gettext_lazy("Gender"), lambda p: p.get_gender_display()),
    ("birth_date", gettext_lazy("Birth date"), lambda p: p.birth_date),
    ("overseas_status", gettext_lazy("Overseas status"), lambda p: p.get_overseas_status_display()),
    ("country", gettext_lazy("Country or region"), lambda p: p.country.name if p.country else ""),
    ("is_deputy", gettext_lazy("Deputy to a people's congress"), lambda p: _("Yes") if p.is_deputy else ""),
    ("is_cppcc_member", gettext_lazy("CPPCC member"), lambda p: _("Yes") if p.is_cppcc_member else ""),
    ("public_title", gettext_lazy("Public title"), lambda p: p.public_title),
    ("phone", gettext_lazy("Phone"), lambda p: mask_phone(p.phone)),
    ("email", gettext_lazy("E-mail"), lambda p: _mask_email(p.email)),
    ("id_number", gettext_lazy("ID number"), lambda p: p.id_number_masked),
]


class MergeForm(forms.Form):
    survivor = forms.ChoiceField(
        label=gettext_lazy("Record to keep"), widget=forms.RadioSelect, choices=[("a", "A"), ("b", "B")], initial="a"
    )
    version_a = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    version_b = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, a: Person, b: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for name, label, show in FIELD_DISPLAY:
            value_a, value_b = show(a), show(b)
            raw_a = a.id_number_hash if name == "id_number" else getattr(a, name)
            raw_b = b.id_number_hash if name == "id_number" else getattr(b, name)
            same = raw_a == raw_b
            if not same:
                self.fields[f"keep_{name}"] = forms.ChoiceField(
                    label=label,
                    widget=forms.RadioSelect,
                    choices=[("a", "A"), ("b", "B")],
                    required=False,
                    initial="b" if raw_a in (None, "", False) and raw_b not in (None, "", False) else "a",
                )
            self.rows.append(
                {
                    "name": name,
                    "label": label,
                    "a": value_a,
                    "b": value_b,
                    "same": same,
                    "field": None if same else self[f"keep_{name}"],
                }
            )

    def keep(self) -> dict[str, str]:
        survivor = self.cleaned_data["survivor"]
        keep = {}
        for name, _label, _show in FIELD_DISPLAY:
            choice = self.cleaned_data.get(f"keep_{name}")
            if choice:
                keep[name] = "survivor" if choice == survivor else "duplicate"
        return keep


def _side(person: Person) -> dict:
    return {
        "person": person,
        "memberships": Membership.objects.filter(person=person).select_related("association").order_by("-joined_on"),
        "terms": person.terms.count(),
        "enterprises": person.enterprises.aggregate(n=Count("id"))["n"],
        "has_account": hasattr(person, "user") and person.user is not None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def duplicate_compare(request, a: int, b: int):
    _require_federation(request.user)
    person_a, person_b = _pair(a, b)
    initial = {"version_a": person_a.version, "version_b": person_b.version}
    form = MergeForm(request.POST or None, a=person_a, b=person_b, initial=initial)
    side_a, side_b = _side(person_a), _side(person_b)
    context = {
        "a": side_a,
        "b": side_b,
        "sides": [side_a, side_b],
        "form": form,
        "evidence": [DuplicateRule.LABELS[r] for r in duplicate_rules_for(person_a, person_b)],
        "dismissed": is_dismissed(person_a, person_b),
        "breadcrumb": _crumbs(),
        "title": _("Compare and merge"),
    }
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            a_survives = data["survivor"] == "a"
            survivor, duplicate = (person_a, person_b) if a_survives else (person_b, person_a)
            try:
                services.person_merge(
                    survivor=survivor,
                    duplicate=duplicate,
                    keep=form.keep(),
                    survivor_version=data["version_a"] if a_survives else data["version_b"],
                    duplicate_version=data["version_b"] if a_survives else data["version_a"],
                )
            except ConflictError as exc:
                context["conflict"] = exc.message
                fresh = MergeForm(
                    a=person_a, b=person_b, initial={"version_a": person_a.version, "version_b": person_b.version}
                )
                return render(request, "members/duplicate_compare.html", {**context, "form": fresh}, status=409)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The two records were merged into one."))
                return redirect("members:person-detail", pk=survivor.pk)
        return render(request, "members/duplicate_compare.html", context, status=400)
    return render(request, "members/duplicate_compare.html", context)


@login_required
@require_POST
def duplicate_dismiss(request, a: int, b: int):
    _require_federation(request.user)
    person_a, person_b = _pair(a, b)
    services.duplicate_dismiss(a=person_a, b=person_b)
    messages.success(request, _("Marked as different people; this pair will not be proposed again."))
    return redirect("members:duplicate-list")


# --- Memberships awaiting confirmation -------------------------------------------------------------


def _entered_person(submitted: dict) -> Person:
    """What the officer typed, as an unsaved person, so it is shown through the same FIELD_DISPLAY as the record."""
    values = {k: v for k, v in submitted.items() if k in {f.name for f in Person._meta.concrete_fields}}
    if values.get("birth_date"):
        values["birth_date"] = datetime.date.fromisoformat(values["birth_date"])
    return Person(**values)


ENTERPRISE_DISPLAY = [
    ("name", gettext_lazy("Name"), lambda e: e.get("name", "")),
    ("name_en", gettext_lazy("English name"), lambda e: e.get("name_en", "")),
    ("credit_code", gettext_lazy("Unified social credit code"), lambda e: e.get("credit_code", "")),
    ("industry", gettext_lazy("Industry"), lambda e: dict(Industry.choices).get(e.get("industry"), "")),
    ("address", gettext_lazy("Address"), lambda e: e.get("address", "")),
    ("representative_name", gettext_lazy("Representative"), lambda e: e.get("representative_name", "")),
]


def _enterprise_values(enterprise: Enterprise) -> dict:
    return {
        "name": enterprise.name,
        "name_en": enterprise.name_en,
        "credit_code": enterprise.credit_code or "",
        "industry": enterprise.industry,
        "address": enterprise.address,
        "representative_name": enterprise.representative.name if enterprise.representative_id else "",
    }


def _pending_rows(pending: PendingMembership) -> list[dict]:
    if pending.person_id:
        entered, registered = _entered_person(pending.submitted), pending.person
        rows = [(label, show(entered), show(registered)) for _name, label, show in FIELD_DISPLAY]
    else:
        registered_values = _enterprise_values(pending.enterprise)
        rows = [(label, show(pending.submitted), show(registered_values)) for _name, label, show in ENTERPRISE_DISPLAY]
    return [
        {
            "label": label,
            "entered": entered or "",
            "registered": registered or "",
            "same": str(entered or "") == str(registered or ""),
        }
        for label, entered, registered in rows
    ]


class PendingDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", gettext_lazy("Confirm")), ("reject", gettext_lazy("Reject"))])
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)


def _reviewable(request, pk: int) -> PendingMembership:
    pending = selectors.pending_get(viewer=request.user, pk=pk)
    # The officers who asked see the request in their lists, never this page: it shows the registered record.
    if not permissions.can_review_pending(request.user, pending):
        raise Http404
    return pending


@login_required
def pending_review(request, pk: int):
    pending = _reviewable(request, pk)
    holder = pending.person or pending.enterprise
    memberships = Membership.objects.filter(**({"person": holder} if pending.person_id else {"enterprise": holder}))
    return render(
        request,
        "members/pending_review.html",
        {
            "pending": pending,
            "rows": _pending_rows(pending),
            "memberships": memberships.select_related("association").order_by("-joined_on"),
            "can_decide": permissions.can_decide_pending(request.user, pending),
            "form": PendingDecisionForm(initial={"version": pending.version}),
            "breadcrumb": _crumbs() if permissions.can_review_duplicates(request.user) else [],
            "title": _("Membership awaiting confirmation"),
        },
    )


@login_required
@require_POST
def pending_decide(request, pk: int):
    """Confirm or reject (one audit row per decision, written by the service)."""
    pending = _reviewable(request, pk)
    back = reverse("members:pending-review", args=[pending.pk])
    form = PendingDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was incomplete. Reload the page and try again."))
        return redirect(back)
    if not permissions.can_decide_pending(request.user, pending):
        messages.error(request, _("This membership was already decided."))
        return redirect(back)
    confirm = form.cleaned_data["decision"] == "confirm"
    decide = services.pending_membership_confirm if confirm else services.pending_membership_reject
    try:
        decide(pending=pending, actor=request.user, expected_version=form.cleaned_data["version"])
    except ConflictError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(
        request, _("Confirmed: the membership takes effect.") if confirm else _("Rejected: no membership was made.")
    )
    if permissions.can_review_duplicates(request.user):
        return redirect(reverse("members:duplicate-list") + "#pending")
    return redirect("members:person-detail", pk=pending.person_id)
