from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.accounts.decorators import recent_second_factor
from qiaojia.core.crypto import lookup_hash
from qiaojia.core.pages import form_page, paginate
from qiaojia.core.validators import format_phone_national
from qiaojia.exports.services import export_list
from qiaojia.orgs import selectors as org_selectors

from . import permissions, rights, selectors, services
from .exports import ENTERPRISE_EXPORT, PERSON_EXPORT
from .exports import enterprise_queryset as _enterprise_queryset
from .exports import person_queryset as _person_queryset
from .forms import (
    CONTACT_FIELDS,
    PERSON_FORM_FIELDS,
    EnterpriseCreateForm,
    EnterpriseEditForm,
    EnterpriseFilterForm,
    IdLookupForm,
    MemberAddForm,
    MembershipEditForm,
    PersonContactForm,
    PersonEditForm,
    PersonFilterForm,
)
from .models import Enterprise, Gender, Membership, OverseasStatus, PendingMembership


def _person_crumbs():
    return [(reverse("members:person-list"), _("People"))]


def _association_filter(viewer, params):
    """The association the list is narrowed to: through the one scoped parser every list and export uses."""
    return org_selectors.association_filter(viewer=viewer, raw=params.get("association"))


def _writable_associations(user):
    return org_selectors.association_list(viewer=user)


# What the list shows, and the ordering and search keys it sorts by.
LIST_COLUMNS = (
    "id",
    "name",
    "name_en",
    "gender",
    "overseas_status",
    "country",
    "phone",
    "id_number_masked",
    "name_pinyin",
    "name_key",
    "name_initials",
)


def _label_people(people) -> None:
    """The choice labels of a page of people, looked up once per page: Django's get_FOO_display
    rebuilds the choices (and translates every label) on each call, ~0.2 ms a cell."""
    genders, statuses = dict(Gender.choices), dict(OverseasStatus.choices)
    for person in people:
        person.gender_label = genders.get(person.gender, person.gender)
        person.overseas_status_label = statuses.get(person.overseas_status, person.overseas_status)


@login_required
@require_http_methods(["GET", "POST"])
def person_list(request):
    filters = PersonFilterForm(request.GET or None)
    lookup = IdLookupForm(request.POST or None)
    if request.method == "POST" and lookup.is_valid():
        params = request.GET.copy()
        params.pop("page", None)
        params["id_hash"] = lookup_hash(lookup.cleaned_data["id_number"])
        return redirect(f"{request.path}?{params.urlencode()}")
    association = _association_filter(request.user, request.GET)
    page = paginate(request, _person_queryset(request.user, filters, association).only(*LIST_COLUMNS))
    _label_people(page.object_list)
    return render(
        request,
        "members/person_list.html",
        {
            "page": page,
            "filters": filters,
            "lookup": IdLookupForm() if request.method == "GET" else lookup,
            "association": association,
            "can_add": permissions.can_add_members(request.user),
            **_pending_context(request.user, association, kind="person"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _pending_context(user, association, *, kind: str) -> dict:
    """The memberships awaiting confirmation a list mentions: to an officer, what they typed; to staff, a count."""
    pending = selectors.pending_list(viewer=user, association=association.pk if association else None, kind=kind)
    if permissions.can_review_duplicates(user):
        return {"pending_count": pending.count()}
    if not permissions.can_add_members(user):
        return {}
    shown = list(pending[: PENDING_SHOWN + 1])
    return {"pending": shown[:PENDING_SHOWN], "pending_more": len(shown) > PENDING_SHOWN}


PENDING_SHOWN = 50


@login_required
def person_export(request):
    """The list as it is filtered, as .csv or .xlsx (`?format=`), phone and ID numbers masked: streamed,
    or above QIAOJIA_EXPORT_BACKGROUND_ROWS written in the background (see `exports.services`)."""
    return export_list(request, PERSON_EXPORT)


@login_required
def person_detail(request, pk: int):
    person = selectors.person_get(viewer=request.user, pk=pk)
    association_ids = selectors.person_association_ids(person)
    memberships = list(selectors.person_memberships(viewer=request.user, person=person))
    return render(
        request,
        "members/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "can_edit": permissions.can_edit_person(request.user, person, person_association_ids=association_ids),
            "can_reveal": permissions.can_reveal_personal_data(
                request.user, person, person_association_ids=association_ids
            ),
            "phone_display": format_phone_national(person.phone) if person.phone else "",
            "merges": person.merges.all()[:20],
            "pending_requests": selectors.pending_for_person(viewer=request.user, person=person),
            "own_record": permissions.is_own_record(request.user, person),
            "can_edit_record": permissions.can_edit_person_record(request.user, person_association_ids=association_ids),
            "editable_memberships": {m.pk for m in memberships if permissions.can_edit_membership(request.user, m)},
            **rights.person_rights(viewer=request.user, person=person),
        },
    )


@login_required
@require_POST
@recent_second_factor(when=lambda request, pk, field: field == "id_number")
def person_reveal(request, pk: int, field: str):
    person = selectors.person_get(viewer=request.user, pk=pk)
    if field not in ("phone", "id_number") or not permissions.can_reveal_personal_data(
        request.user, person, person_association_ids=selectors.person_association_ids(person)
    ):
        raise Http404
    value = services.personal_data_reveal(person=person, field=field)
    if field == "phone" and value:
        value = format_phone_national(value)
    # A passport number is free text: escape it like anything else put into a page.
    response = HttpResponse(format_html('<span class="revealed" data-field="{}">{}</span>', field, value or "—"))
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("id_number", "phone")
@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    associations = _writable_associations(request.user)
    if not permissions.can_add_members(request.user):
        raise Http404
    form = MemberAddForm(request.POST or None, associations=associations, initial={"joined_on": timezone.localdate()})
    if request.GET.get("association") and not request.POST:
        form.fields["association"].initial = request.GET["association"]

    def save(d):
        association = d["association"]
        if not permissions.can_add_member(request.user, association):
            raise Http404
        return services.member_add(
            association=association,
            person_data={k: d[k] for k in PERSON_FORM_FIELDS},
            membership_data={"level": d["level"], "joined_on": d["joined_on"], "dues_status": d["dues_status"]},
            id_number=d.get("id_number") or None,
            consent=d.get("consent", False),
            form_token=d["form_token"],
            actor=request.user,
        )

    def success_url(membership):
        if isinstance(membership, Membership | PendingMembership):
            return reverse("members:person-list") + f"?association={membership.association_id}"
        # A repeated submission names the record the first one made, by id (a membership, or a request).
        try:
            membership = selectors.membership_get(viewer=request.user, pk=int(membership))
        except Http404:
            return reverse("members:person-list")
        return reverse("members:person-list") + f"?association={membership.association_id}"

    return form_page(
        request,
        form=form,
        title=_("Add member"),
        breadcrumb=_person_crumbs(),
        save=save,
        success_url=success_url,
        success_message=_added_message,
    )


def _added_message(obj) -> str:
    # Says that a match will be reviewed, never what matched: the registered record is not the officer's to see.
    if isinstance(obj, PendingMembership):
        return _(
            "Saved. This member matches a registered record, so the federation will review the membership "
            "before it takes effect; until then you see only what you entered."
        )
    return _("Saved.")


@sensitive_post_parameters("id_number", "phone")
@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = selectors.person_get(viewer=request.user, pk=pk)
    association_ids = selectors.person_association_ids(person)
    if not permissions.can_edit_person(request.user, person, person_association_ids=association_ids):
        raise Http404
    crumbs = _person_crumbs() + [(reverse("members:person-detail", args=[person.pk]), person.display_name)]
    if not permissions.can_edit_person_record(request.user, person_association_ids=association_ids):
        # The member themselves: their contact details, through the same versioned, audited service.
        contact = PersonContactForm(request.POST or None, instance=person, initial={"version": person.version})
        return form_page(
            request,
            form=contact,
            title=_("Correct my details"),
            current=person,
            breadcrumb=crumbs,
            save=lambda d: services.person_update(
                person=person, expected_version=d["version"], data={k: d[k] for k in CONTACT_FIELDS}
            ),
            success_url=lambda obj: reverse("home:mine"),
        )
    form = PersonEditForm(request.POST or None, instance=person, initial={"version": person.version})
    return form_page(
        request,
        form=form,
        title=_("Edit person"),
        current=person,
        breadcrumb=crumbs,
        save=lambda d: services.person_update(
            person=person,
            expected_version=d["version"],
            data={k: d[k] for k in PERSON_FORM_FIELDS},
            id_number=d.get("id_number") or None,
            consent=d.get("consent", False),
        ),
        success_url=lambda obj: reverse("members:person-detail", args=[person.pk]),
    )


@login_required
def enterprise_list(request):
    filters = EnterpriseFilterForm(request.GET or None)
    association = _association_filter(request.user, request.GET)
    qs = _enterprise_queryset(request.user, filters, association)
    return render(
        request,
        "members/enterprise_list.html",
        {
            "page": paginate(request, qs),
            "filters": filters,
            "association": association,
            "can_add": permissions.can_add_members(request.user),
            **_pending_context(request.user, association, kind="enterprise"),
        },
    )


@login_required
def enterprise_export(request):
    return export_list(request, ENTERPRISE_EXPORT)


@login_required
def enterprise_detail(request, pk: int):
    enterprise = selectors.enterprise_get(viewer=request.user, pk=pk)
    memberships = list(selectors.enterprise_memberships(viewer=request.user, enterprise=enterprise))
    return render(
        request,
        "members/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "memberships": memberships,
            "can_edit": permissions.can_edit_enterprise(
                request.user, enterprise_association_ids={m.association_id for m in memberships}
            ),
        },
    )


ENTERPRISE_FIELDS = ("name", "name_en", "credit_code", "industry", "trade_countries", "address")


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    if not permissions.can_add_members(request.user):
        raise Http404
    form = EnterpriseCreateForm(
        request.POST or None,
        associations=_writable_associations(request.user),
        initial={"joined_on": timezone.localdate()},
    )

    def save(d):
        if not permissions.can_add_member(request.user, d["association"]):
            raise Http404
        return services.enterprise_add(
            association=d["association"],
            data={k: d[k] for k in ENTERPRISE_FIELDS},
            membership_data={"level": d["level"], "joined_on": d["joined_on"]},
            form_token=d["form_token"],
            actor=request.user,
        )

    def success_url(obj):
        if isinstance(obj, PendingMembership):
            return reverse("members:enterprise-list") + f"?association={obj.association_id}"
        if isinstance(obj, Enterprise):
            return reverse("members:enterprise-detail", args=[obj.pk])
        # A repeated submission: the enterprise the first one made or joined, or a request the viewer cannot open.
        try:
            return reverse(
                "members:enterprise-detail", args=[selectors.enterprise_get(viewer=request.user, pk=int(obj)).pk]
            )
        except Http404:
            return reverse("members:enterprise-list")

    return form_page(
        request,
        form=form,
        title=_("Add member enterprise"),
        breadcrumb=[(reverse("members:enterprise-list"), _("Enterprises"))],
        save=save,
        success_url=success_url,
        success_message=_added_enterprise_message,
    )


def _added_enterprise_message(obj) -> str:
    if isinstance(obj, PendingMembership):
        return _(
            "Saved. This enterprise matches a registered record, so the federation will review the "
            "membership before it takes effect; until then you see only what you entered."
        )
    return _("Saved.")


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk: int):
    enterprise = selectors.enterprise_get(viewer=request.user, pk=pk)
    memberships = selectors.enterprise_memberships(viewer=request.user, enterprise=enterprise)
    if not permissions.can_edit_enterprise(
        request.user, enterprise_association_ids=set(memberships.values_list("association_id", flat=True))
    ):
        raise Http404
    form = EnterpriseEditForm(request.POST or None, instance=enterprise, initial={"version": enterprise.version})
    return form_page(
        request,
        form=form,
        title=_("Edit enterprise"),
        current=enterprise,
        breadcrumb=[
            (reverse("members:enterprise-list"), _("Enterprises")),
            (reverse("members:enterprise-detail", args=[enterprise.pk]), enterprise.name),
        ],
        save=lambda d: services.enterprise_update(
            enterprise=enterprise, expected_version=d["version"], data={k: d[k] for k in ENTERPRISE_FIELDS}
        ),
        success_url=lambda obj: reverse("members:enterprise-detail", args=[enterprise.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request, pk: int):
    membership = selectors.membership_get(viewer=request.user, pk=pk)
    if not permissions.can_edit_membership(request.user, membership):
        raise Http404
    form = MembershipEditForm(request.POST or None, instance=membership, initial={"version": membership.version})
    holder = membership.person or membership.enterprise
    back = (
        reverse("members:person-detail", args=[membership.person_id])
        if membership.person_id
        else reverse("members:enterprise-detail", args=[membership.enterprise_id])
    )
    return form_page(
        request,
        form=form,
        title=_("Edit membership"),
        current=membership,
        breadcrumb=[(back, str(holder))],
        save=lambda d: services.membership_update(
            membership=membership,
            expected_version=d["version"],
            data={k: d[k] for k in ("level", "joined_on", "left_on", "dues_status")},
        ),
        success_url=lambda obj: back,
    )
