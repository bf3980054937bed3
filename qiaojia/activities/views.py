from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.core import photo_views
from qiaojia.core.pages import form_page, paginate, post_action, require
from qiaojia.core.services import ConflictError
from qiaojia.exports.formats import export_response
from qiaojia.orgs import selectors as org_selectors

from . import permissions, selectors, services
from .exports import ACTIVITY_SPEC
from .forms import (
    ActivityCreateForm,
    ActivityEditForm,
    ActivityFilterForm,
    AssociationPickForm,
    AttendanceForm,
    CoOrganiserAnswerForm,
    CoOrganiserForm,
    PhotoForm,
    VersionForm,
)

ACTIVITY_FIELDS = services.ACTIVITY_FIELDS


def _crumbs(activity=None):
    crumbs = [(reverse("activities:activity-list"), pgettext("activity", "Activities"))]
    if activity is not None:
        crumbs.append((reverse("activities:activity-detail", args=[activity.pk]), activity.title))
    return crumbs


def _detail_url(activity, anchor: str = "") -> str:
    return reverse("activities:activity-detail", args=[activity.pk]) + (f"#{anchor}" if anchor else "")


def _managed_activity(request, pk: int):
    activity = selectors.activity_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_activity(request.user, activity))
    return activity


def _filters(request):
    return ActivityFilterForm(request.GET or None, associations=selectors.associations_for(request.user))


def _activity_queryset(request, filters):
    # Through the one scoped parser every list and export uses: another association's id is not found.
    association = org_selectors.association_filter(viewer=request.user, raw=request.GET.get("association"))
    return selectors.activity_list(
        viewer=request.user,
        q=filters.value("q"),
        kind=filters.value("kind"),
        year=filters.value("year"),
        association=association.pk if association else None,
    )


@login_required
def activity_list(request):
    require(permissions.can_view_activities(request.user))
    filters = _filters(request)
    page = paginate(request, _activity_queryset(request, filters))
    return render(
        request,
        "activities/activity_list.html",
        {
            "page": page,
            "filters": filters,
            "can_create": permissions.can_record_activity(request.user),
            "many_associations": selectors.associations_for(request.user)[:2].count() > 1,
            "invitations": selectors.co_organiser_invitations(viewer=request.user),
            "co_organised": selectors.co_organised_here(request.user, page.object_list),
        },
    )


@login_required
def activity_export(request):
    require(permissions.can_view_activities(request.user))
    return export_response(
        request,
        queryset=_activity_queryset(request, _filters(request)),
        columns=ACTIVITY_SPEC,
        name="activities",
        label=pgettext("activity", "Activities"),
    )


def _form_kwargs(association, activity=None):
    ids = [association.pk]
    this_year = timezone.localdate().year
    years = {this_year, this_year - 1}
    if activity is not None:
        years.add(activity.starts_on.year)
    return {
        "association": association,
        "member_choices": selectors.member_choices(ids, activity=activity),
        "partner_choices": selectors.partner_choices(ids),
        "plan_item_choices": selectors.plan_item_choices(ids, years=sorted(years), activity=activity),
    }


def _save_kwargs(d):
    return {
        "data": {k: d[k] for k in ACTIVITY_FIELDS if k in d},
        "members": d["members"],
        "plan_items": d["plan_items"],
        "progress_status": d["progress_status"] or None,
        "progress_percent": d["progress_percent"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    """Record an activity on one page: what, when, who, the photos and the plan items it advances."""
    require(permissions.can_record_activity(request.user))
    associations = selectors.associations_for(request.user)
    chosen = request.POST.get("association") or request.GET.get("association")
    association = associations.filter(pk=chosen).first() if chosen and str(chosen).isdigit() else None
    if association is None:
        only = list(associations[:2])
        if len(only) != 1:
            pick = AssociationPickForm(request.GET or None, associations=associations)
            return render(
                request,
                "activities/association_pick.html",
                {"form": pick, "title": _("New activity"), "breadcrumb": _crumbs()},
            )
        association = only[0]
    form = ActivityCreateForm(
        request.POST or None,
        request.FILES or None,
        **_form_kwargs(association),
        initial={"starts_on": timezone.localdate()},
    )
    return form_page(
        request,
        form=form,
        title=_("New activity"),
        breadcrumb=_crumbs(),
        template="activities/activity_form.html",
        extra={"association": association},
        save=lambda d: services.activity_create(
            association=association,
            **_save_kwargs(d),
            photos=form.photos(),
            user=request.user,
            form_token=d["form_token"],
        ),
        success_url=lambda obj: reverse("activities:activity-detail", args=[getattr(obj, "pk", obj)]),
    )


@login_required
def activity_detail(request, pk: int):
    """The host's and co-organisers' page of the activity; a public one is shown to any signed-in user,
    without who took part."""
    activity = selectors.activity_get(viewer=request.user, pk=pk, public=True)
    own = selectors.activity_in_lists(request.user, activity)
    record = selectors.activity_record(activity, full=own)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            **record,
            "own": own,
            "can_manage": permissions.can_manage_activity(request.user, activity),
            "answerable": [r for r in record["co_organisers"] if permissions.can_answer_co_organiser(request.user, r)],
            "registrations": selectors.registration_counts(activity) if activity.registration_open else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = _managed_activity(request, pk)
    initial = {
        "version": activity.version,
        **{k: getattr(activity, k) for k in ACTIVITY_FIELDS},
        "members": list(activity.members.all()),
        "plan_items": list(activity.plan_items.all()),
    }
    form = ActivityEditForm(
        request.POST or None, request.FILES or None, **_form_kwargs(activity.association, activity), initial=initial
    )
    return form_page(
        request,
        form=form,
        title=_("Edit activity"),
        breadcrumb=_crumbs(activity),
        current=activity,
        template="activities/activity_form.html",
        extra={"association": activity.association, "activity": activity},
        save=lambda d: services.activity_update(
            activity=activity, expected_version=d["version"], **_save_kwargs(d), photos=form.photos(), user=request.user
        ),
        success_url=lambda obj: _detail_url(activity),
    )


@login_required
@require_POST
def activity_delete(request, pk: int):
    activity = _managed_activity(request, pk)
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.activity_delete(activity=activity, expected_version=d["version"]),
        success=_("The activity was removed."),
        back=_detail_url(activity),
        done=reverse("activities:activity-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def photo_create(request, pk: int):
    activity = _managed_activity(request, pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    return photo_views.photo_upload_page(
        request,
        form=form,
        title=_("Add photos"),
        breadcrumb=_crumbs(activity),
        save=lambda d: services.photo_add(activity=activity, photos=form.photos(), form_token=d["form_token"]),
        back=_detail_url(activity, "photos"),
    )


@login_required
def photo_file(request, pk: int):
    return photo_views.photo_file(selectors.photo_get(viewer=request.user, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def photo_edit(request, pk: int):
    photo = selectors.photo_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_activity(request.user, photo.activity))
    return photo_views.photo_caption_page(
        request,
        photo=photo,
        breadcrumb=_crumbs(photo.activity),
        save=lambda d: services.photo_update(photo=photo, expected_version=d["version"], caption=d["caption"]),
        back=_detail_url(photo.activity, "photos"),
    )


@login_required
@require_POST
def photo_move(request, pk: int):
    photo = selectors.photo_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_activity(request.user, photo.activity))
    return photo_views.photo_move_action(
        request, photo=photo, move=services.photo_move, back=_detail_url(photo.activity, "photos")
    )


@login_required
@require_POST
def photo_delete(request, pk: int):
    photo = selectors.photo_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_activity(request.user, photo.activity))
    return photo_views.photo_delete_action(
        request, photo=photo, delete=services.photo_delete, back=_detail_url(photo.activity, "photos")
    )


@login_required
@require_http_methods(["GET", "POST"])
def co_organiser_create(request, pk: int):
    """The host invites another association to co-organise the activity."""
    activity = selectors.activity_get(viewer=request.user, pk=pk)
    require(permissions.can_invite_co_organiser(request.user, activity))
    form = CoOrganiserForm(request.POST or None, associations=selectors.co_organiser_choices(activity))
    return form_page(
        request,
        form=form,
        title=_("Invite a co-organiser"),
        breadcrumb=_crumbs(activity),
        save=lambda d: services.co_organiser_invite(activity=activity, association=d["association"], user=request.user),
        success_url=lambda obj: _detail_url(activity, "co-organisers"),
        success_message=lambda obj: (
            _("%(association)s was invited to co-organise.") % {"association": obj.association.name}
        ),
    )


@login_required
@require_POST
def co_organiser_answer(request, pk: int):
    row = selectors.co_organiser_get(viewer=request.user, pk=pk)
    require(permissions.can_answer_co_organiser(request.user, row))
    form = CoOrganiserAnswerForm(request.POST)
    confirmed = request.POST.get("status") == "confirmed"
    return post_action(
        request,
        form,
        lambda d: services.co_organiser_answer(
            row=row, expected_version=d["version"], status=d["status"], user=request.user
        ),
        success=_("You confirmed: the activity counts in your association's report.")
        if confirmed
        else _("You declined to co-organise this activity."),
        back=_detail_url(row.activity, "co-organisers"),
    )


@login_required
@require_POST
def co_organiser_delete(request, pk: int):
    row = selectors.co_organiser_get(viewer=request.user, pk=pk)
    require(permissions.can_invite_co_organiser(request.user, row.activity))
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.co_organiser_remove(row=row, expected_version=d["version"]),
        success=_("The co-organiser was removed."),
        back=_detail_url(row.activity, "co-organisers"),
    )


# Members' own registrations ------------------------------------------------------------------


@login_required
def open_list(request):
    """The activities the member may register for themselves, with their own registration on each."""
    activities = selectors.registrable_list(viewer=request.user)
    now = timezone.now()
    for activity in activities:
        activity.can_register = activity.mine is None or activity.mine.status == "cancelled"
        activity.can_register = activity.can_register and permissions.can_register_for_activity(
            request.user, activity, now=now
        )
        activity.can_cancel = activity.mine is not None and permissions.can_cancel_registration(
            request.user, activity.mine, now=now
        )
        activity.left = max((activity.registration_capacity or 0) - activity.taken, 0)
    return render(
        request,
        "activities/open_list.html",
        {"activities": activities, "has_person": request.user.person_id is not None},
    )


def _back(request) -> str:
    """Back to My page when the button was there, else to the open activities."""
    return reverse("home:mine") if request.POST.get("from") == "mine" else reverse("activities:open-list")


@login_required
@require_POST
def registration_create(request, pk: int):
    activity = selectors.registrable_get(viewer=request.user, pk=pk)
    person = request.user.person
    return post_action(
        request,
        forms.Form(request.POST),
        lambda d: services.registration_create(activity=activity, person=person, by=request.user),
        success=_("You are registered for “%(title)s”.") % {"title": activity.title},
        back=_back(request),
    )


@login_required
@require_POST
def registration_cancel(request, pk: int):
    registration = selectors.own_registration_get(viewer=request.user, pk=pk)
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.registration_cancel(registration=registration, expected_version=d["version"]),
        success=_("Your registration for “%(title)s” is cancelled.") % {"title": registration.activity.title},
        back=_back(request),
    )


def _registrations_page(request, activity, form, status=200):
    rows = list(selectors.registration_list(viewer=request.user, activity=activity))
    return render(
        request,
        "activities/registration_list.html",
        {
            "activity": activity,
            "rows": rows,
            "form": form,
            "counts": selectors.registration_counts(activity),
            "breadcrumb": _crumbs(activity),
            "is_open": permissions.registration_open_now(activity, timezone.now()),
        },
        status=status,
    )


def _attendance_form(activity, data=None):
    active = selectors.registration_list(viewer=None, activity=activity).exclude(status="cancelled")
    return AttendanceForm(
        data,
        registrations=active,
        initial={"version": activity.version, "attended": [r for r in active if r.status == "attended"]},
    )


@login_required
def registration_list(request, pk: int):
    """The organiser's list of members' registrations, with the attendance form and the export."""
    activity = selectors.activity_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_registrations(request.user, activity))
    return _registrations_page(request, activity, _attendance_form(activity))


@login_required
@require_POST
def attendance_record(request, pk: int):
    activity = selectors.activity_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_registrations(request.user, activity))
    form = _attendance_form(activity, request.POST)
    if form.is_valid():
        try:
            services.registration_attendance(
                activity=activity, expected_version=form.cleaned_data["version"], attended=form.cleaned_data["attended"]
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Attendance is recorded; those who came are among the members taking part."))
            return redirect(reverse("activities:registration-list", args=[activity.pk]))
    return _registrations_page(request, activity, form, status=400)
