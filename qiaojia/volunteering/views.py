from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.core.pages import form_page, paginate, post_action, require
from qiaojia.exports.formats import export_response
from qiaojia.orgs import permissions as org_permissions
from qiaojia.orgs import selectors as org_selectors
from qiaojia.orgs.models import Association

from . import permissions, selectors, services
from .exports import DONATION_SPEC
from .forms import (
    BeneficiaryCreateForm,
    BeneficiaryEditForm,
    CampaignCreateForm,
    CampaignEditForm,
    CampaignFilterForm,
    DonationCreateForm,
    DonationEditForm,
    DonationFilterForm,
    HoursForm,
    ShiftCreateForm,
    ShiftEditForm,
    SignupForm,
    StatusForm,
    TotalsFilterForm,
    VersionForm,
)
from .models import CAMPAIGN_TRANSITIONS, CampaignStatus

SHIFT_FIELDS = ("task", "starts_at", "ends_at", "place", "capacity")
BENEFICIARY_FIELDS = ("name", "kind", "people", "note")


def _crumbs(campaign=None):
    crumbs = [(reverse("volunteering:campaign-list"), _("Volunteering"))]
    if campaign is not None:
        crumbs.append((reverse("volunteering:campaign-detail", args=[campaign.pk]), campaign.name))
    return crumbs


def _detail_url(campaign, anchor: str = "") -> str:
    return reverse("volunteering:campaign-detail", args=[campaign.pk]) + (f"#{anchor}" if anchor else "")


def _managed_campaign(request, pk: int):
    campaign = selectors.campaign_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_campaign(request.user, campaign))
    return campaign


def _own_associations(user) -> list[Association]:
    return list(org_selectors.officer_associations(viewer=user))


# Campaigns ------------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    filters = CampaignFilterForm(request.GET or None)
    qs = selectors.campaign_list(
        viewer=request.user,
        q=filters.value("q"),
        brand=filters.value("brand"),
        status=filters.value("status"),
        year=filters.value("year"),
    )
    page = paginate(request, qs)
    selectors.campaign_page_counts(page.object_list)
    return render(
        request,
        "volunteering/campaign_list.html",
        {
            "page": page,
            "filters": filters,
            "can_create": permissions.can_create_campaign(request.user),
            "can_view_donations": permissions.can_view_donations(request.user),
            "my_signups": selectors.my_signups(viewer=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    require(permissions.can_create_campaign(request.user))
    form = CampaignCreateForm(
        request.POST or None,
        associations=_own_associations(request.user),
        federation_allowed=org_permissions.can_act_for_federation(request.user),
    )
    return form_page(
        request,
        form=form,
        title=_("New volunteer campaign"),
        breadcrumb=_crumbs(),
        save=lambda d: services.campaign_create(
            federation=org_selectors.federation_get(), association=d["organiser"], data=d, form_token=d["form_token"]
        ),
        success_url=lambda obj: reverse("volunteering:campaign-detail", args=[getattr(obj, "pk", obj)]),
    )


@login_required
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_get(viewer=request.user, pk=pk)
    record = selectors.campaign_record(viewer=request.user, campaign=campaign)
    user = request.user
    for shift in record["shifts"]:
        for signup in shift.visible_signups:
            signup.can_handle = permissions.can_handle_signup(user, signup, campaign)
            signup.can_cancel = permissions.can_cancel_signup(user, signup, campaign)
            signup.can_confirm = permissions.can_confirm_hours(user, signup, campaign)
    return render(
        request,
        "volunteering/campaign_detail.html",
        {
            "campaign": campaign,
            **record,
            "can_manage": permissions.can_manage_campaign(user, campaign),
            "can_sign_up": permissions.can_sign_up(user, campaign),
            "can_view_donations": permissions.can_view_donations(user),
            "transitions": [(s, CampaignStatus(s).label) for s in CAMPAIGN_TRANSITIONS.get(campaign.status, ())],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    campaign = _managed_campaign(request, pk)
    form = CampaignEditForm(request.POST or None, instance=campaign, initial={"version": campaign.version})
    return form_page(
        request,
        form=form,
        title=_("Edit campaign"),
        breadcrumb=_crumbs(campaign),
        current=campaign,
        save=lambda d: services.campaign_update(campaign=campaign, expected_version=d["version"], data=d),
        success_url=lambda obj: _detail_url(campaign),
    )


@login_required
@require_POST
def campaign_status(request, pk: int):
    campaign = _managed_campaign(request, pk)
    return post_action(
        request,
        StatusForm(request.POST),
        lambda d: services.campaign_set_status(campaign=campaign, expected_version=d["version"], status=d["status"]),
        success=_("The campaign status was changed."),
        back=_detail_url(campaign),
    )


# Shifts and sign-ups --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def shift_create(request, pk: int):
    campaign = _managed_campaign(request, pk)
    form = ShiftCreateForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("New shift"),
        breadcrumb=_crumbs(campaign),
        save=lambda d: services.shift_create(
            campaign=campaign, data={k: d[k] for k in SHIFT_FIELDS}, form_token=d["form_token"]
        ),
        success_url=lambda obj: _detail_url(campaign, "shifts"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def shift_edit(request, pk: int):
    shift = selectors.shift_get(viewer=request.user, pk=pk)
    campaign = shift.campaign
    require(permissions.can_manage_campaign(request.user, campaign))
    form = ShiftEditForm(request.POST or None, instance=shift, initial={"version": shift.version})
    return form_page(
        request,
        form=form,
        title=_("Edit shift"),
        breadcrumb=_crumbs(campaign),
        current=shift,
        save=lambda d: services.shift_update(
            shift=shift, expected_version=d["version"], data={k: d[k] for k in SHIFT_FIELDS}
        ),
        success_url=lambda obj: _detail_url(campaign, "shifts"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def signup_create(request, pk: int):
    """An officer signs up one of their association's members; a member signs themselves up."""
    shift = selectors.shift_get(viewer=request.user, pk=pk)
    campaign = shift.campaign
    user = request.user
    if campaign.status != CampaignStatus.OPEN:
        messages.error(request, _("This campaign is not open for sign-up."))
        return redirect(_detail_url(campaign, "shifts"))
    require(permissions.can_sign_up(user, campaign))
    others = permissions.can_sign_up_others(user)
    form = SignupForm(request.POST or None, people=selectors.signup_people(viewer=user) if others else None)

    def save(data):
        person = data["person"] if others else user.person
        association = selectors.signup_association(viewer=user, person=person)
        return services.signup_create(
            shift=shift, person=person, association=association, by=user, form_token=data["form_token"]
        )

    title = _("Sign up a volunteer") if others else _("Sign me up")
    return form_page(
        request,
        form=form,
        title=f"{title}: {shift.task}",
        breadcrumb=_crumbs(campaign),
        save=save,
        success_url=lambda obj: _detail_url(campaign, "shifts"),
        template="volunteering/signup_form.html",
        extra={"shift": shift, "campaign": campaign},
    )


@login_required
@require_POST
def signup_cancel(request, pk: int):
    signup = selectors.signup_get(viewer=request.user, pk=pk)
    campaign = signup.shift.campaign
    require(permissions.can_cancel_signup(request.user, signup, campaign))
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.signup_cancel(signup=signup, expected_version=d["version"]),
        success=_("The sign-up was cancelled."),
        back=_detail_url(campaign, "shifts"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def hours_record(request, pk: int):
    signup = selectors.signup_get(viewer=request.user, pk=pk)
    campaign = signup.shift.campaign
    require(permissions.can_handle_signup(request.user, signup, campaign))
    length = signup.shift.length_hours
    initial = {"version": signup.version, "hours": signup.hours if signup.hours is not None else length}
    if signup.status in ("attended", "no_show"):
        initial["status"] = signup.status
    form = HoursForm(request.POST or None, length=length, initial=initial)
    return form_page(
        request,
        form=form,
        title=_("Hours of %(name)s") % {"name": signup.person.name},
        breadcrumb=_crumbs(campaign),
        current=signup,
        template="volunteering/hours_form.html",
        extra={"signup": signup, "shift": signup.shift},
        save=lambda d: services.hours_record(
            signup=signup, expected_version=d["version"], status=d["status"], hours=d["hours"], by=request.user
        ),
        success_url=lambda obj: _detail_url(campaign, "shifts"),
    )


@login_required
@require_POST
def hours_confirm(request, pk: int):
    signup = selectors.signup_get(viewer=request.user, pk=pk)
    campaign = signup.shift.campaign
    require(permissions.can_manage_campaign(request.user, campaign))
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.hours_confirm(signup=signup, expected_version=d["version"], by=request.user),
        success=_("The hours were confirmed."),
        back=_detail_url(campaign, "shifts"),
    )


# Beneficiaries --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def beneficiary_create(request, pk: int):
    campaign = _managed_campaign(request, pk)
    form = BeneficiaryCreateForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("New beneficiary"),
        breadcrumb=_crumbs(campaign),
        save=lambda d: services.beneficiary_create(
            campaign=campaign, data={k: d[k] for k in BENEFICIARY_FIELDS}, form_token=d["form_token"]
        ),
        success_url=lambda obj: _detail_url(campaign, "beneficiaries"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def beneficiary_edit(request, pk: int):
    beneficiary = selectors.beneficiary_get(viewer=request.user, pk=pk)
    campaign = beneficiary.campaign
    form = BeneficiaryEditForm(request.POST or None, instance=beneficiary, initial={"version": beneficiary.version})
    return form_page(
        request,
        form=form,
        title=_("Edit beneficiary"),
        breadcrumb=_crumbs(campaign),
        current=beneficiary,
        save=lambda d: services.beneficiary_update(
            beneficiary=beneficiary, expected_version=d["version"], data={k: d[k] for k in BENEFICIARY_FIELDS}
        ),
        success_url=lambda obj: _detail_url(campaign, "beneficiaries"),
    )


# Donations ------------------------------------------------------------------------------------


def _donation_crumbs():
    return [(reverse("volunteering:donation-list"), _("Donations"))]


def _filter_associations(user):
    return list(selectors.donation_associations(viewer=user))


def _campaign_choices(user):
    return selectors.campaign_scope(user).order_by("-starts_on", "-id")


def _donation_filters(request):
    user = request.user
    return DonationFilterForm(
        request.GET or None,
        associations=_filter_associations(user),
        campaigns=list(_campaign_choices(user).only("id", "name")[:200]),
    )


def _donation_queryset(request, filters):
    # Through the one scoped parser every list and export uses: another association's id is not found.
    association = org_selectors.association_filter(viewer=request.user, raw=request.GET.get("association"))
    return selectors.donation_list(
        viewer=request.user,
        q=filters.value("q"),
        association=association.pk if association else None,
        year=filters.value("year"),
        kind=filters.value("kind"),
        campaign=filters.value("campaign"),
    )


@login_required
def donation_list(request):
    require(permissions.can_view_donations(request.user))
    filters = _donation_filters(request)
    qs = _donation_queryset(request, filters)
    page = paginate(request, qs)
    return render(
        request,
        "volunteering/donation_list.html",
        {"page": page, "filters": filters, "totals": selectors.donation_list_totals(qs)},
    )


@login_required
def donation_export(request):
    require(permissions.can_view_donations(request.user))
    filters = _donation_filters(request)
    return export_response(
        request,
        queryset=_donation_queryset(request, filters),
        columns=DONATION_SPEC,
        name="donations",
        label=_("Donations"),
    )


def _donation_form_kwargs(user):
    return {"campaigns": _campaign_choices(user), "beneficiaries": selectors.beneficiary_choices(viewer=user)}


@login_required
@require_http_methods(["GET", "POST"])
def donation_create(request):
    user = request.user
    require(permissions.can_view_donations(user))
    form = DonationCreateForm(
        request.POST or None,
        associations=_own_associations(user),
        federation_allowed=org_permissions.can_act_for_federation(user),
        initial={"received_on": timezone.localdate()},
        **_donation_form_kwargs(user),
    )
    return form_page(
        request,
        form=form,
        title=_("New donation"),
        breadcrumb=_donation_crumbs(),
        save=lambda d: services.donation_create(
            federation=org_selectors.federation_get(), association=d["organiser"], data=d, form_token=d["form_token"]
        ),
        success_url=lambda obj: reverse("volunteering:donation-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def donation_edit(request, pk: int):
    donation = selectors.donation_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_donation(request.user, donation))
    form = DonationEditForm(
        request.POST or None,
        instance=donation,
        initial={"version": donation.version},
        **_donation_form_kwargs(request.user),
    )
    return form_page(
        request,
        form=form,
        title=_("Edit donation"),
        breadcrumb=_donation_crumbs(),
        current=donation,
        save=lambda d: services.donation_update(donation=donation, expected_version=d["version"], data=d),
        success_url=lambda obj: reverse("volunteering:donation-list"),
        template="volunteering/donation_form.html",
        extra={"donation": donation},
    )


@login_required
@require_POST
def donation_delete(request, pk: int):
    donation = selectors.donation_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_donation(request.user, donation))
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.donation_delete(donation=donation, expected_version=d["version"]),
        success=_("The donation was deleted."),
        back=reverse("volunteering:donation-list"),
    )


# Totals ---------------------------------------------------------------------------------------


def _chart(rows) -> bool:
    """Bar widths (percent of the largest) for the rows that have anything to show."""
    top_value = max([r["domestic"] + r["foreign"] for r in rows] + [0])
    top_hours = max([r["hours"] for r in rows] + [0])
    for row in rows:
        row["home_pct"] = round(100 * row["domestic"] / top_value, 1) if top_value else 0
        row["abroad_pct"] = round(100 * row["foreign"] / top_value, 1) if top_value else 0
        row["hours_pct"] = round(100 * row["hours"] / top_hours, 1) if top_hours else 0
        row["charted"] = bool(row["domestic"] or row["foreign"] or row["hours"])
    return any(row["charted"] for row in rows)


@login_required
def totals(request):
    user = request.user
    require(permissions.can_view_donations(user))
    this_year = timezone.localdate().year
    form = TotalsFilterForm(request.GET or None, initial={"year": this_year})
    year = (form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None) or this_year
    by_association = selectors.association_totals(viewer=user, year=year)
    campaigns = list(selectors.totals_campaigns(viewer=user, year=year)[:200])
    per_campaign = selectors.campaign_totals(viewer=user, campaigns=campaigns)
    for campaign in campaigns:
        campaign.totals = per_campaign[campaign.pk]
    charted = _chart(by_association["rows"])
    return render(
        request,
        "volunteering/totals.html",
        {
            "form": form,
            "year": year,
            **by_association,
            "campaigns": campaigns,
            "charted": charted,
        },
    )
