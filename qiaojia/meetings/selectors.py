"""Reads of meetings, always for a viewer. Out of scope is 404: other tenants' ids do not exist.

A federation meeting is seen by federation staff, by the officers of associations invited to it and
by people listed on it who have an account; an association's meeting by its own officers and
federation staff only."""

from typing import Any, Protocol, cast

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from qiaojia.accounts import scope
from qiaojia.orgs.models import AssociationTitle, Term

from .models import (
    AgendaItem,
    FollowUpTask,
    JointMeeting,
    JointMember,
    JointSeries,
    Meeting,
    Participant,
    Photo,
    Resolution,
)


def meeting_scope(viewer) -> QuerySet[Meeting]:
    qs = Meeting.objects.all()
    if scope.is_federation(viewer):
        return qs
    ids = scope.officer_association_ids(viewer)
    own = scope.own_person_id(viewer)
    condition = Q(pk__in=[])
    # Django combines a Q with any boolean expression into a Q; django-stubs types only Q & Q.
    if ids:
        condition |= Q(association_id__in=ids)
        condition |= Q(association__isnull=True) & Exists(  # type: ignore[assignment]
            Participant.objects.filter(meeting=OuterRef("pk"), association_id__in=ids)
        )
    if own:
        condition |= Q(association__isnull=True) & Exists(  # type: ignore[assignment]
            Participant.objects.filter(Q(person_id=own) | Q(official__person_id=own), meeting=OuterRef("pk"))
        )
    return qs.filter(condition)


def meeting_list(
    *,
    viewer,
    q: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    year: int | None = None,
    association: int | None = None,
) -> QuerySet[Meeting]:
    qs = meeting_scope(viewer).select_related("association", "federation")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(place__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(starts_at__year=year)
    if association:
        qs = qs.filter(association_id=association)
    return qs.order_by("-starts_at", "-id")


def meeting_page_counts(meetings) -> None:
    """Participants and sign-ins for one page of meetings, in one grouped query."""
    ids = [m.pk for m in meetings]
    rows = (
        Participant.objects.filter(meeting_id__in=ids)
        .values("meeting_id")
        .annotate(n=Count("id"), signed=Count("id", filter=Q(signed_in_at__isnull=False)))
    )
    counts = {r["meeting_id"]: (r["n"], r["signed"]) for r in rows}
    for meeting in meetings:
        meeting.participant_count, meeting.signed_in_count = counts.get(meeting.pk, (0, 0))


def meeting_get(*, viewer, pk: int) -> Meeting:
    meeting = meeting_scope(viewer).select_related("association", "federation").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def _child_get(model, *, viewer, pk: int):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404
    obj.meeting = meeting_get(viewer=viewer, pk=obj.meeting_id)
    return obj


def agenda_item_get(*, viewer, pk: int) -> AgendaItem:
    return _child_get(AgendaItem, viewer=viewer, pk=pk)


def participant_get(*, viewer, pk: int) -> Participant:
    return _child_get(Participant, viewer=viewer, pk=pk)


def resolution_get(*, viewer, pk: int) -> Resolution:
    return _child_get(Resolution, viewer=viewer, pk=pk)


def task_get(*, viewer, pk: int) -> FollowUpTask:
    return _child_get(FollowUpTask, viewer=viewer, pk=pk)


def photo_get(*, viewer, pk: int) -> Photo:
    return _child_get(Photo, viewer=viewer, pk=pk)


def meeting_participants(meeting: Meeting) -> QuerySet[Participant]:
    return meeting.participants.select_related("association").order_by("order", "id")


class _PresentedItem(Protocol):
    """An agenda item as the record shows it, with its presenter read from the participants already loaded."""

    presenter_cached: Participant | None


class _NumberedTask(Protocol):
    """A follow-up task as the record shows it, with the number of the resolution it comes from."""

    resolution_number: int | None


def meeting_record(meeting: Meeting) -> dict:
    """Everything the detail page and the printed record show, in a fixed number of queries."""
    participants = list(meeting_participants(meeting))
    by_id = {p.pk: p for p in participants}
    agenda = list(meeting.agenda_items.select_related("association").order_by("order", "id"))
    for item in agenda:
        presenter = by_id.get(item.presenter_id) if item.presenter_id is not None else None
        cast(_PresentedItem, item).presenter_cached = presenter
    resolutions = list(meeting.resolutions.order_by("order", "id"))
    tasks = list(meeting.tasks.select_related("owner_association").order_by("due_on", "id"))
    resolution_numbers = {r.pk: n for n, r in enumerate(resolutions, start=1)}
    for task in tasks:
        number = resolution_numbers.get(task.resolution_id) if task.resolution_id is not None else None
        cast(_NumberedTask, task).resolution_number = number
    return {
        "participants": participants,
        "agenda": agenda,
        "resolutions": resolutions,
        "tasks": tasks,
        "photos": list(meeting.photos.order_by("order", "id")),
        "signed_in": sum(1 for p in participants if p.signed_in_at),
    }


def meeting_with_participants(meeting_id: int) -> Meeting | None:
    return (
        Meeting.objects.filter(pk=meeting_id)
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.order_by("order", "id")))
        .first()
    )


# Joint meetings -----------------------------------------------------------------------------------


def joint_series_scope(viewer) -> QuerySet[JointSeries]:
    """Federation staff see every series; an officer the series their associations take part in."""
    if scope.is_federation(viewer):
        return JointSeries.objects.all()
    ids = scope.officer_association_ids(viewer)
    if not ids:
        return JointSeries.objects.none()
    return JointSeries.objects.filter(pk__in=JointMember.objects.filter(association_id__in=ids).values("series_id"))


def joint_series_list(*, viewer) -> list[Any]:
    """The viewer's series, each with its members in rotation order and its latest meeting (three queries)."""
    series: list[Any] = list(
        joint_series_scope(viewer)
        .prefetch_related(Prefetch("members", queryset=JointMember.objects.select_related("association")))
        .annotate(meeting_count=Count("meetings"))
        .order_by("name", "id")
    )
    latest = {}
    for m in JointMeeting.objects.filter(series__in=series).select_related("host").order_by("series_id", "number"):
        latest[m.series_id] = m
    for s in series:
        s.latest = latest.get(s.pk)
    return series


def joint_series_get(*, viewer, pk: int) -> JointSeries:
    series = joint_series_scope(viewer).filter(pk=pk).first()
    if series is None:
        raise Http404
    return series


def joint_series_record(series: JointSeries) -> dict:
    return {
        "members": list(series.members.select_related("association").order_by("order", "id")),
        "meetings": list(series.meetings.select_related("host").order_by("-number")),
    }


def joint_member_get(*, viewer, pk: int) -> JointMember:
    member = JointMember.objects.select_related("series", "association").filter(pk=pk).first()
    if member is None or not joint_series_scope(viewer).filter(pk=member.series_id).exists():
        raise Http404
    return member


def joint_meeting_scope(viewer) -> QuerySet[JointMeeting]:
    return JointMeeting.objects.filter(series__in=joint_series_scope(viewer))


def joint_meeting_get(*, viewer, pk: int) -> JointMeeting:
    meeting = joint_meeting_scope(viewer).select_related("series", "host").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def calendar_joint_meetings(
    *,
    viewer,
    start,
    end,
    association: int | None = None,
    association_kind: str | None = None,
    city: str | None = None,
    country: str | None = None,
    limit: int = 500,
) -> list[JointMeeting]:
    """The joint meetings of a window of dates the viewer takes part in, not cancelled (one query plus one
    for the members of their series)."""
    if not viewer.is_authenticated:
        return []
    qs = joint_meeting_scope(viewer).exclude(status="cancelled")
    qs = qs.filter(starts_at__date__gte=start, starts_at__date__lte=end)
    if association:
        qs = qs.filter(series__in=JointMember.objects.filter(association_id=association).values("series_id"))
    if association_kind:
        qs = qs.filter(series__in=JointMember.objects.filter(association__kind=association_kind).values("series_id"))
    if city:
        qs = qs.filter(city__icontains=city)
    if country:
        qs = qs.filter(country=country)
    members = Prefetch("series__members", queryset=JointMember.objects.select_related("association"))
    return list(qs.select_related("series", "host").prefetch_related(members).order_by("starts_at", "id")[:limit])


def current_officers(association_id: int) -> QuerySet[Term]:
    """The association's officers today (their current terms), by the rank of their titles."""
    rank = Case(
        *(When(title=value, then=Value(n)) for n, value in enumerate(AssociationTitle.values)),
        default=Value(len(AssociationTitle.values)),
        output_field=IntegerField(),
    )
    return (
        Term.objects.current()
        .filter(association_id=association_id, person__erased_at__isnull=True)
        .select_related("person", "association")
        .order_by(rank, "starts_on", "pk")
    )
