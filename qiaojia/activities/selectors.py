"""Reads of activities, always for a viewer. An association's activities are seen by its officers, the
officers of its co-organisers (invited or confirmed) and federation staff; a public activity's page by every
signed-in user; everything else is 404 — other tenants' ids do not exist."""

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
from qiaojia.orgs.models import Association, AssociationStatus, Partner

from .models import (
    ACTIVE_REGISTRATION,
    VISIBLE_CO_ORGANISER,
    Activity,
    ActivityKind,
    ActivityPhoto,
    ActivityRegistration,
    CoOrganiser,
    CoOrganiserStatus,
)


def _organised_by(association_ids, statuses=VISIBLE_CO_ORGANISER) -> Q:
    """Activities the associations host, or co-organise in one of `statuses` (a subquery: no duplicate rows)."""
    co = CoOrganiser.objects.filter(association_id__in=association_ids, status__in=statuses).values("activity_id")
    return Q(association_id__in=association_ids) | Q(pk__in=co)


def activity_scope(viewer) -> QuerySet[Activity]:
    """The activities in the viewer's lists: their associations' own and those they co-organise."""
    if scope.is_federation(viewer):
        return Activity.objects.all()
    ids = scope.officer_association_ids(viewer)
    if not ids:
        return Activity.objects.none()
    return Activity.objects.filter(_organised_by(ids))


def activity_visible(viewer) -> QuerySet[Activity]:
    """What the viewer may open: the activities in their lists, and every public one."""
    if scope.is_federation(viewer):
        return Activity.objects.all()
    if not viewer.is_authenticated:
        return Activity.objects.filter(is_public=True)
    ids = scope.officer_association_ids(viewer)
    if not ids:
        return Activity.objects.filter(is_public=True)
    return Activity.objects.filter(Q(is_public=True) | _organised_by(ids))


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
        qs = qs.filter(_organised_by([association]))
    return qs.annotate(
        photo_count=Count("photos", distinct=True), member_count=Count("members", distinct=True)
    ).order_by("-starts_on", "-id")


def activity_get(*, viewer, pk: int, public: bool = False) -> Activity:
    """One activity of the viewer's lists; with `public`, also a public activity of any association."""
    base = activity_visible(viewer) if public else activity_scope(viewer)
    activity = base.select_related("association", "partner", "created_by").filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def activity_record(activity: Activity, *, full: bool = True) -> dict:
    """What the detail page shows, in a fixed number of queries. Without `full` (a public activity seen by
    another association) nobody's name: no members, no plan items of the host."""
    return {
        "photos": list(activity.photos.order_by("order", "id")),
        "members": list(activity.members.order_by("name", "id")) if full else [],
        "plan_items": list(activity.plan_items.select_related("report").order_by("report__year", "number"))
        if full
        else [],
        "co_organisers": list(activity.co_organisers.select_related("association").order_by("association__name")),
    }


def activity_in_lists(viewer, activity: Activity) -> bool:
    """Whether the activity is the viewer's own business (host, co-organiser, federation), not only public."""
    return activity_scope(viewer).filter(pk=activity.pk).exists()


def photo_get(*, viewer, pk: int) -> ActivityPhoto:
    photo = ActivityPhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404
    photo.activity = activity_get(viewer=viewer, pk=photo.activity_id, public=True)
    return photo


def co_organiser_get(*, viewer, pk: int) -> CoOrganiser:
    """A co-organiser row, for the host's managers and the co-organising association's officers."""
    row = CoOrganiser.objects.select_related("activity__association", "association").filter(pk=pk).first()
    if row is None:
        raise Http404
    ids = scope.officer_association_ids(viewer)
    if not (scope.is_federation(viewer) or row.association_id in ids or row.activity.association_id in ids):
        raise Http404
    return row


def co_organiser_choices(activity: Activity) -> QuerySet[Association]:
    """Associations the host may invite: active ones other than itself and those already asked."""
    asked = activity.co_organisers.values("association_id")
    return (
        Association.objects.filter(status=AssociationStatus.ACTIVE)
        .exclude(pk=activity.association_id)
        .exclude(pk__in=asked)
        .order_by("name")
    )


def co_organised_here(viewer, activities) -> set[int]:
    """Of a page of activities, those the viewer's associations co-organise rather than host."""
    if scope.is_federation(viewer):
        return set()
    ids = scope.officer_association_ids(viewer)
    return {a.pk for a in activities if a.association_id not in ids}


def co_organiser_invitations(*, viewer) -> list[CoOrganiser]:
    """Invitations the viewer's associations have not answered yet (for the activity list)."""
    ids = scope.officer_association_ids(viewer)
    if not ids:
        return []
    return list(
        CoOrganiser.objects.filter(association_id__in=ids, status=CoOrganiserStatus.INVITED)
        .select_related("activity__association", "association")
        .order_by("activity__starts_on", "id")[:50]
    )


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
    (two queries). An activity co-organised with other associations counts in the report of each one that
    confirmed. The kinds are named in the active language."""
    activities = Activity.objects.filter(
        _organised_by([association_id], (CoOrganiserStatus.CONFIRMED,)), starts_on__year=year
    )
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


def calendar_activities(
    *,
    viewer,
    start,
    end,
    association: int | None = None,
    association_kind: str | None = None,
    city: str | None = None,
    country: str | None = None,
    limit: int = 500,
) -> list[Activity]:
    """The activities of a window of dates the viewer may see in the shared calendar, each with its
    confirmed co-organisers (two queries, at most `limit` rows)."""
    confirmed = (CoOrganiserStatus.CONFIRMED,)
    qs = (
        activity_visible(viewer)
        .filter(starts_on__lte=end)
        .filter(Q(ends_on__gte=start) | Q(ends_on__isnull=True, starts_on__gte=start))
    )
    if association:
        qs = qs.filter(_organised_by([association], confirmed))
    if association_kind:
        co = CoOrganiser.objects.filter(association__kind=association_kind, status__in=confirmed)
        qs = qs.filter(Q(association__kind=association_kind) | Q(pk__in=co.values("activity_id")))
    if city:
        qs = qs.filter(city__icontains=city)
    if country:
        qs = qs.filter(country=country)
    co_prefetch = Prefetch(
        "co_organisers",
        queryset=CoOrganiser.objects.filter(status__in=confirmed).select_related("association").order_by("id"),
        to_attr="confirmed_co_organisers",
    )
    return list(qs.select_related("association").prefetch_related(co_prefetch).order_by("starts_on", "id")[:limit])


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
