"""Joint meetings (聯席會議) among member associations, the host rotating: every write of the series,
its members and its meetings. One transaction and one audit row per change, as in `services`."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qiaojia.core.services import ConflictError, create_audited, delete_audited, update_versioned
from qiaojia.notifications.services import notify
from qiaojia.orgs.models import Association, AssociationStatus, Federation

from .models import MEETING_TRANSITIONS, JointMeeting, JointMember, JointSeries, MeetingStatus
from .notices import JOINT_SCHEDULED

SERIES_FIELDS = ("name", "description")
JOINT_MEETING_FIELDS = ("starts_at", "place", "city", "country", "agenda", "minutes")


def _pick(data: dict[str, Any], fields) -> dict[str, Any]:
    return {k: data[k] for k in fields if k in data}


@transaction.atomic
def series_create(
    *, federation: Federation, data: dict[str, Any], associations=(), form_token: uuid.UUID | None = None
) -> JointSeries:
    """A new series with its members, in the order given (the order of rotation)."""
    chosen = list(associations)
    if len(chosen) < 2:
        raise ValidationError({"associations": _("A joint meeting needs at least two associations.")})
    series = create_audited(JointSeries(federation=federation, **_pick(data, SERIES_FIELDS)), form_token=form_token)
    for order, association in enumerate(chosen, start=1):
        create_audited(JointMember(series=series, association=association, order=order))
    return series


@transaction.atomic
def series_update(*, series: JointSeries, expected_version: int, data: dict[str, Any]) -> JointSeries:
    return update_versioned(series, expected_version=expected_version, **_pick(data, SERIES_FIELDS))


@transaction.atomic
def member_add(*, series: JointSeries, association: Association) -> JointMember:
    """A new member takes the last place in the rotation."""
    JointSeries.objects.select_for_update().filter(pk=series.pk).first()
    if series.members.filter(association=association).exists():
        raise ValidationError({"association": _("This association takes part already.")})
    last = series.members.aggregate(n=Max("order"))["n"] or 0
    return create_audited(JointMember(series=series, association=association, order=last + 1))


@transaction.atomic
def member_remove(*, member: JointMember, expected_version: int) -> None:
    """The association leaves the series; the meetings it hosted stay on record."""
    current = JointMember.objects.select_for_update().filter(pk=member.pk).first()
    if current is None:
        raise ConflictError()
    if JointMember.objects.filter(series_id=current.series_id).count() <= 2:
        raise ValidationError(_("A joint meeting needs at least two associations."))
    delete_audited(current, expected_version=expected_version)


def next_host(series: JointSeries) -> Association | None:
    """Whose turn it is: the member after the host of the last meeting not cancelled, in the order of
    rotation, skipping associations that are not active (two queries). The first active member when no
    meeting was held yet, or when the last host has left the series."""
    members = list(series.members.select_related("association").order_by("order", "id"))
    last = (
        series.meetings.exclude(status=MeetingStatus.CANCELLED).order_by("-number").values_list("host_id", flat=True)
    ).first()
    hosts = [m.association_id for m in members]
    start = hosts.index(last) + 1 if last in hosts else 0
    for step in range(len(members)):
        association = members[(start + step) % len(members)].association
        if association.status == AssociationStatus.ACTIVE:
            return association
    return None


@transaction.atomic
def joint_meeting_schedule(
    *, series: JointSeries, data: dict[str, Any], form_token: uuid.UUID | None = None
) -> JointMeeting:
    """The next meeting of the series, hosted by the association whose turn it is (`next_host`), numbered
    after the last one; every member association's officers are told."""
    JointSeries.objects.select_for_update().filter(pk=series.pk).first()  # one numbering and one turn at a time
    host = next_host(series)
    if host is None:
        raise ValidationError(_("No member association is active: nobody can host the next meeting."))
    number = (series.meetings.aggregate(n=Max("number"))["n"] or 0) + 1
    values = _pick(data, JOINT_MEETING_FIELDS)
    meeting = create_audited(JointMeeting(series=series, number=number, host=host, **values), form_token=form_token)
    url = reverse("meetings:joint-meeting-detail", args=[meeting.pk])
    for member in series.members.select_related("association"):
        notify(
            JOINT_SCHEDULED,
            association=member.association,
            params={
                "series": series.name,
                "n": number,
                "host": host.name,
                "date": meeting.starts_at,
                "place": meeting.place,
            },
            url=url,
        )
    return meeting


@transaction.atomic
def joint_meeting_update(*, meeting: JointMeeting, expected_version: int, data: dict[str, Any]) -> JointMeeting:
    return update_versioned(meeting, expected_version=expected_version, **_pick(data, JOINT_MEETING_FIELDS))


@transaction.atomic
def joint_meeting_set_status(*, meeting: JointMeeting, expected_version: int, status: str) -> JointMeeting:
    """Held or cancelled; a cancelled meeting gives its host's turn back (the next one is theirs again)."""
    current = JointMeeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    if status not in MEETING_TRANSITIONS.get(current.status, ()):
        raise ValidationError(
            _("A meeting that is “%(status)s” cannot be changed to that status.")
            % {"status": current.get_status_display()}
        )
    return update_versioned(current, expected_version=expected_version, status=status)
