"""Pages of joint meetings (聯席會議): the series, who takes part in which order, and each meeting."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.core.pages import form_page, post_action, require
from qiaojia.orgs import selectors as org_selectors
from qiaojia.orgs.models import Association, AssociationStatus

from . import permissions, selectors
from . import services_joint as services
from .forms import (
    JointMeetingCreateForm,
    JointMeetingEditForm,
    JointMemberForm,
    JointSeriesForm,
    JointStatusForm,
    VersionForm,
)
from .models import MEETING_TRANSITIONS, MeetingStatus


def _crumbs(series=None):
    crumbs = [(reverse("meetings:joint-list"), _("Joint meetings"))]
    if series is not None:
        crumbs.append((reverse("meetings:joint-detail", args=[series.pk]), series.name))
    return crumbs


def _series_url(series) -> str:
    return reverse("meetings:joint-detail", args=[series.pk])


def _active_associations():
    return Association.objects.filter(status=AssociationStatus.ACTIVE).order_by("name")


@login_required
def joint_list(request):
    require(permissions.can_view_joint_meetings(request.user))
    return render(
        request,
        "meetings/joint_list.html",
        {
            "series_list": selectors.joint_series_list(viewer=request.user),
            "can_create": permissions.can_manage_joint_series(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def joint_create(request):
    require(permissions.can_manage_joint_series(request.user))
    form = JointSeriesForm(request.POST or None, associations=_active_associations())
    return form_page(
        request,
        form=form,
        title=_("New joint meeting series"),
        breadcrumb=_crumbs(),
        save=lambda d: services.series_create(
            federation=org_selectors.federation_get(),
            data=d,
            associations=d["associations"],
            form_token=d["form_token"],
        ),
        success_url=lambda obj: reverse("meetings:joint-detail", args=[getattr(obj, "pk", obj)]),
    )


@login_required
def joint_detail(request, pk: int):
    series = selectors.joint_series_get(viewer=request.user, pk=pk)
    record = selectors.joint_series_record(series)
    host = services.next_host(series)
    return render(
        request,
        "meetings/joint_detail.html",
        {
            "series": series,
            **record,
            "next_host": host,
            "can_manage": permissions.can_manage_joint_series(request.user),
            "can_schedule": permissions.can_schedule_joint_meeting(request.user, host),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def joint_member_create(request, pk: int):
    series = selectors.joint_series_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_joint_series(request.user))
    choices = _active_associations().exclude(pk__in=series.members.values("association_id"))
    form = JointMemberForm(request.POST or None, associations=choices)
    return form_page(
        request,
        form=form,
        title=_("Add a member association"),
        breadcrumb=_crumbs(series),
        save=lambda d: services.member_add(series=series, association=d["association"]),
        success_url=lambda obj: _series_url(series),
    )


@login_required
@require_POST
def joint_member_delete(request, pk: int):
    member = selectors.joint_member_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_joint_series(request.user))
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.member_remove(member=member, expected_version=d["version"]),
        success=_("The association no longer takes part."),
        back=_series_url(member.series),
    )


@login_required
@require_http_methods(["GET", "POST"])
def joint_schedule(request, pk: int):
    """Schedule the next meeting: the host is whoever's turn it is, shown before saving."""
    series = selectors.joint_series_get(viewer=request.user, pk=pk)
    host = services.next_host(series)
    require(permissions.can_schedule_joint_meeting(request.user, host))
    form = JointMeetingCreateForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("Schedule the next joint meeting"),
        breadcrumb=_crumbs(series),
        template="meetings/joint_schedule.html",
        extra={"series": series, "next_host": host},
        save=lambda d: services.joint_meeting_schedule(series=series, data=d, form_token=d["form_token"]),
        success_url=lambda obj: reverse("meetings:joint-meeting-detail", args=[getattr(obj, "pk", obj)]),
    )


@login_required
def joint_meeting_detail(request, pk: int):
    meeting = selectors.joint_meeting_get(viewer=request.user, pk=pk)
    return render(
        request,
        "meetings/joint_meeting_detail.html",
        {
            "meeting": meeting,
            "series": meeting.series,
            "members": selectors.joint_series_record(meeting.series)["members"],
            "can_manage": permissions.can_manage_joint_meeting(request.user, meeting),
            "transitions": [(s, MeetingStatus(s).label) for s in MEETING_TRANSITIONS.get(meeting.status, ())],
        },
    )


def _managed_joint_meeting(request, pk: int):
    meeting = selectors.joint_meeting_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_joint_meeting(request.user, meeting))
    return meeting


@login_required
@require_http_methods(["GET", "POST"])
def joint_meeting_edit(request, pk: int):
    meeting = _managed_joint_meeting(request, pk)
    initial = {
        "version": meeting.version,
        **{k: getattr(meeting, k) for k in services.JOINT_MEETING_FIELDS},
    }
    initial["starts_at"] = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M")
    form = JointMeetingEditForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form=form,
        title=_("Edit joint meeting"),
        breadcrumb=_crumbs(meeting.series),
        current=meeting,
        save=lambda d: services.joint_meeting_update(meeting=meeting, expected_version=d["version"], data=d),
        success_url=lambda obj: reverse("meetings:joint-meeting-detail", args=[meeting.pk]),
    )


@login_required
@require_POST
def joint_meeting_status(request, pk: int):
    meeting = _managed_joint_meeting(request, pk)
    back = reverse("meetings:joint-meeting-detail", args=[meeting.pk])
    return post_action(
        request,
        JointStatusForm(request.POST),
        lambda d: services.joint_meeting_set_status(meeting=meeting, expected_version=d["version"], status=d["status"]),
        success=_("The meeting's status was changed."),
        back=back,
    )
