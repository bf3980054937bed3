from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qiaojia.core.pages import form_page, paginate, require
from qiaojia.exports.services import export_list
from qiaojia.orgs.models import FederationOfficial

from . import permissions, selectors, services
from .exports import ASSOCIATION_EXPORT, PARTNER_EXPORT
from .exports import association_queryset as _association_queryset
from .exports import partner_queryset as _partner_queryset
from .forms import (
    AssociationCreateForm,
    AssociationEditForm,
    AssociationFilterForm,
    DepartmentCreateForm,
    DepartmentEditForm,
    FederationForm,
    LiaisonForm,
    PartnerCreateForm,
    PartnerEditForm,
    PartnerFilterForm,
    PartyBranchCreateForm,
    PartyBranchEditForm,
    TermCreateForm,
    TermEditForm,
)
from .models import PartyBranch


def _crumbs_association(association=None):
    crumbs = [(reverse("orgs:association-list"), _("Associations"))]
    if association is not None:
        crumbs.append((reverse("orgs:association-detail", args=[association.pk]), association.name))
    return crumbs


@login_required
def association_export(request):
    return export_list(request, ASSOCIATION_EXPORT)


@login_required
def association_list(request):
    require(permissions.can_view_internal_registry(request.user))
    filters = AssociationFilterForm(request.GET or None)
    page = paginate(request, _association_queryset(request.user, filters))
    selectors.association_page_stats(page.object_list)
    return render(
        request,
        "orgs/association_list.html",
        {
            "page": page,
            "filters": filters,
            "can_create": permissions.can_create_association(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def association_create(request):
    require(permissions.can_create_association(request.user))
    form = AssociationCreateForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("New association"),
        breadcrumb=_crumbs_association(),
        save=lambda d: services.association_create(
            federation=selectors.federation_get(), data=d, form_token=d["form_token"]
        ),
        success_url=lambda obj: reverse("orgs:association-detail", args=[getattr(obj, "pk", obj)]),
    )


@login_required
def association_detail(request, pk: int):
    association = selectors.association_get(viewer=request.user, pk=pk)
    terms = list(selectors.association_terms(association=association))
    branch = PartyBranch.objects.filter(association=association).select_related("secretary").first()
    return render(
        request,
        "orgs/association_detail.html",
        {
            "association": association,
            "terms": terms,
            "terms_ending": [t for t in terms if t.ends_within_warning()],
            "branch": branch,
            "partners": selectors.partner_list(viewer=request.user, association=association.pk)[:20],
            "member_count": association.memberships.filter(left_on__isnull=True).count(),
            "can_edit": permissions.can_edit_association(request.user, association),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def association_edit(request, pk: int):
    association = selectors.association_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_association(request.user, association))
    can_set_status = permissions.can_create_association(request.user)
    form = AssociationEditForm(
        request.POST or None,
        instance=association,
        can_set_status=can_set_status,
        initial={"version": association.version},
    )
    return form_page(
        request,
        form=form,
        title=_("Edit association profile"),
        breadcrumb=_crumbs_association(association),
        current=association,
        save=lambda d: services.association_update(
            association=association,
            expected_version=d["version"],
            data={k: v for k, v in d.items() if k in form.fields and not form.fields[k].disabled and k != "version"},
        ),
        success_url=lambda obj: reverse("orgs:association-detail", args=[association.pk]),
    )


def association_public(request, pk: int):
    association = selectors.association_public_get(pk=pk)
    return render(
        request,
        "orgs/association_public.html",
        {
            "association": association,
            "terms": selectors.association_terms(association=association, current_only=True),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_create(request, pk: int):
    association = selectors.association_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_officers(request.user, association))
    form = TermCreateForm(request.POST or None, association=association)
    return form_page(
        request,
        form=form,
        title=_("Add officer"),
        breadcrumb=_crumbs_association(association),
        save=lambda d: services.term_create(
            association=association,
            data={k: d[k] for k in ("person", "title", "starts_on", "ends_on")},
            form_token=d["form_token"],
        ),
        success_url=lambda obj: reverse("orgs:association-detail", args=[association.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_edit(request, pk: int):
    term = selectors.term_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_officers(request.user, term.association))
    form = TermEditForm(
        request.POST or None, instance=term, association=term.association, initial={"version": term.version}
    )
    return form_page(
        request,
        form=form,
        title=_("Edit term of office"),
        breadcrumb=_crumbs_association(term.association),
        current=term,
        save=lambda d: services.term_update(
            term=term,
            expected_version=d["version"],
            data={k: d[k] for k in ("person", "title", "starts_on", "ends_on")},
        ),
        success_url=lambda obj: reverse("orgs:association-detail", args=[term.association_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def party_branch_edit(request, pk: int):
    association = selectors.association_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_association(request.user, association))
    branch = PartyBranch.objects.filter(association=association).first()
    fields = ("name", "secretary", "founded_on", "party_member_count")
    if branch is None:
        form = PartyBranchCreateForm(request.POST or None, association=association)
        save = lambda d: services.party_branch_create(  # noqa: E731
            association=association, data={k: d[k] for k in fields}, form_token=d["form_token"]
        )
    else:
        form = PartyBranchEditForm(
            request.POST or None, instance=branch, association=association, initial={"version": branch.version}
        )
        save = lambda d: services.party_branch_update(  # noqa: E731
            branch=branch, expected_version=d["version"], data={k: d[k] for k in fields}
        )
    return form_page(
        request,
        form=form,
        title=_("Party branch"),
        breadcrumb=_crumbs_association(association),
        current=branch,
        save=save,
        success_url=lambda obj: reverse("orgs:association-detail", args=[association.pk]),
    )


@login_required
def partner_list(request):
    require(permissions.can_view_internal_registry(request.user))
    filters = PartnerFilterForm(request.GET or None)
    qs = _partner_queryset(request.user, filters)
    return render(request, "orgs/partner_list.html", {"page": paginate(request, qs), "filters": filters})


@login_required
def partner_export(request):
    return export_list(request, PARTNER_EXPORT)


@login_required
@require_http_methods(["GET", "POST"])
def partner_create(request):
    require(permissions.can_view_internal_registry(request.user))
    form = PartnerCreateForm(request.POST or None, associations=selectors.association_list(viewer=request.user))
    fields = ("name", "kind", "country", "contact", "notes")
    return form_page(
        request,
        form=form,
        title=_("New partner organisation"),
        breadcrumb=[(reverse("orgs:partner-list"), _("Partner organisations"))],
        save=lambda d: services.partner_create(
            association=d["association"], data={k: d[k] for k in fields}, form_token=d["form_token"]
        ),
        success_url=lambda obj: reverse("orgs:partner-detail", args=[getattr(obj, "pk", obj)]),
    )


@login_required
def partner_detail(request, pk: int):
    partner = selectors.partner_get(viewer=request.user, pk=pk)
    return render(
        request,
        "orgs/partner_detail.html",
        {
            "partner": partner,
            "liaisons": partner.liaisons.all()[:100],
            "can_edit": permissions.can_edit_association(request.user, partner.association),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, pk: int):
    partner = selectors.partner_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_association(request.user, partner.association))
    form = PartnerEditForm(request.POST or None, instance=partner, initial={"version": partner.version})
    fields = ("name", "kind", "country", "contact", "notes")
    return form_page(
        request,
        form=form,
        title=_("Edit partner organisation"),
        current=partner,
        breadcrumb=[
            (reverse("orgs:partner-list"), _("Partner organisations")),
            (reverse("orgs:partner-detail", args=[partner.pk]), partner.name),
        ],
        save=lambda d: services.partner_update(
            partner=partner, expected_version=d["version"], data={k: d[k] for k in fields}
        ),
        success_url=lambda obj: reverse("orgs:partner-detail", args=[partner.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def liaison_create(request, pk: int):
    partner = selectors.partner_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_association(request.user, partner.association))
    form = LiaisonForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("New liaison record"),
        breadcrumb=[
            (reverse("orgs:partner-list"), _("Partner organisations")),
            (reverse("orgs:partner-detail", args=[partner.pk]), partner.name),
        ],
        save=lambda d: services.liaison_create(
            partner=partner, data={"happened_on": d["happened_on"], "summary": d["summary"]}, form_token=d["form_token"]
        ),
        success_url=lambda obj: reverse("orgs:partner-detail", args=[partner.pk]),
    )


@login_required
def department_list(request):
    require(permissions.can_view_internal_registry(request.user) and permissions.can_create_association(request.user))

    return render(
        request,
        "orgs/department_list.html",
        {
            "federation": selectors.federation_get(),
            "departments": selectors.department_list(),
            "officials": FederationOfficial.objects.select_related("person", "department").order_by("order"),
            "can_manage": permissions.can_manage_federation(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_create(request):
    require(permissions.can_manage_federation(request.user))
    form = DepartmentCreateForm(request.POST or None)
    fields = ("name", "name_en", "supervises_associations", "order")
    return form_page(
        request,
        form=form,
        title=_("New department"),
        breadcrumb=[(reverse("orgs:department-list"), _("Federation and departments"))],
        save=lambda d: services.department_create(
            federation=selectors.federation_get(), data={k: d[k] for k in fields}, form_token=d["form_token"]
        ),
        success_url=lambda obj: reverse("orgs:department-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_edit(request, pk: int):
    department = selectors.department_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_federation(request.user))
    form = DepartmentEditForm(request.POST or None, instance=department, initial={"version": department.version})
    fields = ("name", "name_en", "supervises_associations", "order")
    return form_page(
        request,
        form=form,
        title=_("Edit department"),
        current=department,
        breadcrumb=[(reverse("orgs:department-list"), _("Federation and departments"))],
        save=lambda d: services.department_update(
            department=department, expected_version=d["version"], data={k: d[k] for k in fields}
        ),
        success_url=lambda obj: reverse("orgs:department-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def federation_edit(request):
    require(permissions.can_manage_federation(request.user))
    federation = selectors.federation_get()
    if federation is None:
        raise Http404
    form = FederationForm(request.POST or None, instance=federation, initial={"version": federation.version})
    return form_page(
        request,
        form=form,
        title=_("Edit federation"),
        current=federation,
        breadcrumb=[(reverse("orgs:department-list"), _("Federation and departments"))],
        save=lambda d: services.federation_update(
            federation=federation,
            expected_version=d["version"],
            data={k: d[k] for k in ("name", "name_en", "short_name")},
        ),
        success_url=lambda obj: reverse("orgs:department-list"),
    )
