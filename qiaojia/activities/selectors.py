"""Reads of activities, always for a viewer. An association's activities are seen by its officers and
federation staff; everything else is 404 — other tenants' ids do not exist."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from qiaojia.accounts import scope
from qiaojia.core.formats import date_text
from qiaojia.cycle.models import PlanItem, PlanItemStatus
from qiaojia.members import selectors as member_selectors
from qiaojia.members.models import Membership, Person
from qiaojia.orgs import selectors as org_selectors
from qiaojia.orgs.models import Association, Partner

from .models import ACTIVE_REGISTRATION, Activity, ActivityKind, ActivityPhoto, ActivityRegistration


def activity_scope(viewer) -> QuerySet[Activity]:
    if scope.is_federation(viewer):
        return Activity.objects.all()
    ids = scope.officer_association_ids(viewer)
    if not ids:
        return Activity.objects.none()
    return Activity.objects.filter(association_id__in=ids)


def activity_list(
    *, viewer, q: str | None = None, kind: str | None = None, year: int | None = None, association: int | None = None
) -> QuerySet[Activity]:
    qs = activity_scope(viewer).select_related("association")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(place__icontains=q) | Q(description__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(starts_on__year=year)
    if association:
        qs = qs.filter(association_id=association)
    return qs.annotate(
        photo_count=Count("photos", distinct=True), member_count=Count("members", distinct=True)
    ).order_by("-starts_on", "-id")


def activity_get(*, viewer, pk: int) -> Activity:
    activity = activity_scope(viewer).select_related("association", "partner", "created_by").filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def activity_record(activity: Activity) -> dict:
    """What the detail page shows, in a fixed number of queries."""
    return {
        "photos": list(activity.photos.order_by("order", "id")),
        "members": list(activity.members.order_by("name", "id")),
        "plan_items": list(activity.plan_items.select_related("report").order_by("report__year", "number")),
    }


def photo_get(*, viewer, pk: int) -> ActivityPhoto:
    photo = ActivityPhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404
    photo.activity = activity_get(viewer=viewer, pk=photo.activity_id)
    return photo


def associations_for(viewer) -> QuerySet[Association]:
    """The associations whose activities the viewer may record."""
    if scope.is_federation(viewer):
        return Association.objects.order_by("name")
    return org_selectors.officer_associations(viewer=viewer)


def member_choices(association_ids, *, activity: Activity | None = None) -> QuerySet[Person]:
    """The current members (people) of the associations, to choose who took part; with those already
    listed on `activity`, who may have left since."""
    condition = Q(pk__in=[])
    for association_id in association_ids:
        condition |= Q(pk__in=member_selectors.association_people(association_id).values("pk"))
    if activity is not None:
        condition |= Q(pk__in=activity.members.values("pk"))
    return Person.objects.filter(condition).order_by("name", "id")


def partner_choices(association_ids) -> QuerySet[Partner]:
    return Partner.objects.filter(association_id__in=association_ids).select_related("association").order_by("name")


def plan_item_choices(association_ids, years=None, *, activity: Activity | None = None) -> QuerySet[PlanItem]:
    """Plan items an activity can advance: of the associations' plans for `years` (this year and last by
    default), not carried over or dropped; with those `activity` is linked to already."""
    if years is None:
        this_year = timezone.localdate().year
        years = (this_year, this_year - 1)
    condition = Q(report__association_id__in=association_ids, report__year__in=[y - 1 for y in years]) & ~Q(
        status__in=(PlanItemStatus.CARRIED_OVER, PlanItemStatus.DROPPED)
    )
    if activity is not None:
        condition |= Q(pk__in=activity.plan_items.values("pk"))
    return (
        PlanItem.objects.filter(condition)
        .select_related("report__association")
        .order_by("-report__year", "report__association__name", "number")
    )


def activity_report_counts(*, association_id: int, year: int) -> dict:
    """The annual report's activity figures for `year`: how many, and a short text by kind with the titles
    (two queries). The kinds are named in the active language."""
    activities = Activity.objects.filter(association_id=association_id, starts_on__year=year)
    by_kind = dict(activities.values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    total = sum(by_kind.values())
    if not total:
        return {"activity_count": 0, "activities": ""}
    labels = dict(ActivityKind.choices)
    counts = ", ".join(f"{labels[k]} {by_kind[k]}" for k in ActivityKind.values if by_kind.get(k))
    titles = [
        f"{title}（{date_text(day)}）" if (get_language() or "").startswith("zh") else f"{title} ({date_text(day)})"
        for title, day in activities.order_by("starts_on", "id").values_list("title", "starts_on")[:30]
    ]
    more = "" if total <= 30 else ", …"
    return {"activity_count": total, "activities": f"{counts}; " + ", ".join(titles) + more}


def plan_item_photos_prefetch() -> Prefetch:
    """For a plan item's progress list: each activity's photos in order (one query for the page)."""
    return Prefetch("activity__photos", queryset=ActivityPhoto.objects.order_by("order", "id"))


def own_activities(*, viewer) -> QuerySet[Activity]:
    """The activities the viewer's own person record took part in, latest first (none without one)."""
    own = scope.own_person_id(viewer)
    if not own:
        return Activity.objects.none()
    return Activity.objects.filter(members=own).select_related("association").order_by("-starts_on", "-id")


def _taken():
    return Count("registrations", filter=Q(registrations__status__in=ACTIVE_REGISTRATION), distinct=True)


def registrable_scope(*, viewer) -> QuerySet[Activity]:
    """Activities the viewer may register for themselves: open to registration, of an association they are a
    current member of, not yet over (the closing time is checked when registering)."""
    own = scope.own_person_id(viewer)
    if not own:
        return Activity.objects.none()
    today = timezone.localdate()
    associations = Membership.objects.filter(person_id=own, left_on__isnull=True).values("association_id")
    return Activity.objects.filter(registration_open=True, association_id__in=associations).filter(
        Q(ends_on__gte=today) | Q(ends_on__isnull=True, starts_on__gte=today)
    )


def registrable_list(*, viewer) -> list[Activity]:
    """The open activities for the viewer's page, soonest first, each with `taken` places and `mine` (the
    viewer's own registration or None), in three queries."""
    activities: list[Activity] = list(
        registrable_scope(viewer=viewer)
        .select_related("association")
        .annotate(taken=_taken())
        .order_by("starts_on", "id")[:100]
    )
    own = scope.own_person_id(viewer)
    mine = {
        r.activity_id: r
        for r in ActivityRegistration.objects.filter(person_id=own or 0, activity__in=[a.pk for a in activities])
    }
    for activity in activities:
        registration = mine.get(activity.pk)
        if registration is not None:
            registration.activity = activity
        activity.mine = registration  # type: ignore[attr-defined]  # the viewer's own, read by the page
    return activities


def registrable_get(*, viewer, pk: int) -> Activity:
    activity = registrable_scope(viewer=viewer).select_related("association").filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def own_registration_get(*, viewer, pk: int) -> ActivityRegistration:
    """The viewer's own registration; anyone else's does not exist for them."""
    own = scope.own_person_id(viewer)
    registration = (
        ActivityRegistration.objects.select_related("activity__association").filter(pk=pk, person_id=own).first()
        if own
        else None
    )
    if registration is None:
        raise Http404
    return registration


def own_registrations(*, viewer) -> list[ActivityRegistration]:
    """The viewer's own registrations, latest activity first (one query)."""
    own = scope.own_person_id(viewer)
    if not own:
        return []
    return list(
        ActivityRegistration.objects.filter(person_id=own)
        .select_related("activity__association")
        .order_by("-activity__starts_on", "-id")[:50]
    )


def registration_list(*, viewer, activity: Activity) -> QuerySet[ActivityRegistration]:
    """An activity's registrations for its organiser, in the order they came (the caller has checked the viewer
    may manage the activity)."""
    return activity.registrations.select_related("person", "activity__association").order_by("registered_at", "id")


def registration_counts(activity: Activity) -> dict:
    taken = activity.registrations.filter(status__in=ACTIVE_REGISTRATION).count()
    return {"taken": taken, "left": max((activity.registration_capacity or 0) - taken, 0)}
