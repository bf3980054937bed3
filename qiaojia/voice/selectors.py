"""Every read of opinions, for a viewer: the list each role sees, one case, its timeline, the similar
earlier cases from the search index, the public tracking lookup, and the three rates."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from qiaojia.accounts import scope
from qiaojia.orgs.models import Association
from qiaojia.search.selectors import matching_ids

from . import permissions
from .models import OPEN, Opinion, OpinionEvent, OpinionRating, OpinionStatus

OPINION_KIND = "voice.opinion"


def _visible(viewer) -> Q | None:
    """None: every case (federation staff); else the condition on the viewer's cases."""
    if scope.is_federation(viewer):
        return None
    condition = Q(pk__in=[])
    officer_of = scope.officer_association_ids(viewer)
    if officer_of:
        condition |= Q(association_id__in=officer_of) | Q(handler_association_id__in=officer_of)
    own = scope.own_person_id(viewer)
    if own is not None:
        condition |= Q(person_id=own)
    if viewer.is_authenticated:
        condition |= Q(submitted_by_id=viewer.pk) & ~Q(channel="officer")
    return condition


def opinion_visible_ids(viewer) -> QuerySet | None:
    condition = _visible(viewer)
    if condition is None:
        return None
    return Opinion.objects.filter(condition).values("pk")


def opinion_list(
    *,
    viewer,
    q: str | None = None,
    status: str | None = None,
    category: str | None = None,
    overdue: bool = False,
    handled_by_me: bool = False,
) -> QuerySet[Opinion]:
    qs = Opinion.objects.select_related("handler_department", "handler_association", "association")
    condition = _visible(viewer)
    if condition is not None:
        qs = qs.filter(condition)
    if q:
        qs = qs.filter(Q(pk__in=matching_ids(kind=OPINION_KIND, q=q)) | Q(code=q.strip().upper()))
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if overdue:
        qs = qs.filter(status__in=OPEN, answer_due__lt=timezone.localdate())
    if handled_by_me:
        officer_of = scope.officer_association_ids(viewer)
        qs = (
            qs.filter(handler_association_id__in=officer_of)
            if officer_of
            else qs.filter(handler_department__isnull=False)
        )
    return qs.order_by("-received_at", "-id")


def opinion_get(*, viewer, pk: int) -> Opinion:
    opinion = (
        Opinion.objects.select_related(
            "handler_department", "handler_association", "association", "person", "merged_into"
        )
        .filter(pk=pk)
        .first()
    )
    if opinion is None or not permissions.can_view_opinion(viewer, opinion):
        raise Http404
    return opinion


def opinion_timeline(*, opinion: Opinion, public: bool = False) -> list[OpinionEvent]:
    events = OpinionEvent.objects.filter(opinion=opinion).select_related("department", "association", "by")
    rows = list(events.order_by("at", "id"))
    return [e for e in rows if e.is_public] if public else rows


def opinion_similar(*, viewer, opinion: Opinion, limit: int = 5) -> list[Opinion]:
    """Earlier cases whose subject the search index finds by this one's (script-insensitive, pinyin-aware),
    most recent first, within what the viewer may see."""
    if not opinion.title:
        return []
    qs = Opinion.objects.filter(pk__in=matching_ids(kind=OPINION_KIND, q=opinion.title)).exclude(pk=opinion.pk)
    words = [w for w in opinion.title.replace("，", " ").split() if len(w) >= 2]
    if not qs.exists() and words:
        condition = Q()
        for word in words[:4]:
            condition |= Q(pk__in=matching_ids(kind=OPINION_KIND, q=word))
        qs = Opinion.objects.filter(condition).exclude(pk=opinion.pk)
    visible = _visible(viewer)
    if visible is not None:
        qs = qs.filter(visible)
    return list(qs.select_related("handler_department", "handler_association").order_by("-received_at")[:limit])


def opinion_track(*, code: str) -> Opinion | None:
    """The case a receipt code opens on the public tracking page (a merged case shows the one it joined)."""
    if not code:
        return None
    opinion = Opinion.objects.filter(code=code).select_related("merged_into").first()
    return opinion


# The three rates ----------------------------------------------------------------------------------


@dataclass
class Rates:
    """One row of the three rates: cases received in a month by one handler."""

    month: datetime.date
    handler: str
    received: int
    responded: int
    resolved: int
    rated: int
    satisfied: int

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def response_rate(self) -> float | None:
        """響應率: cases acknowledged within the acknowledgement deadline, of those received."""
        return self._share(self.responded, self.received)

    @property
    def resolution_rate(self) -> float | None:
        """解決率: cases answered within the answer deadline (an extension counts), of those received."""
        return self._share(self.resolved, self.received)

    @property
    def satisfaction_rate(self) -> float | None:
        """滿意率: ratings satisfied or basically satisfied, of the cases rated."""
        return self._share(self.satisfied, self.rated)


def opinion_rates(*, viewer, year: int | None = None, month: int | None = None, by: str = "handler") -> list[Rates]:
    """The three rates per month and per handler (`by="handler"`) or per association the cases came through
    (`by="association"`), in one grouped query. Merged duplicates are not counted."""
    if not permissions.can_view_rates(viewer):
        raise Http404
    qs = Opinion.objects.exclude(status=OpinionStatus.MERGED)
    if year:
        qs = qs.filter(received_at__year=year)
    if month:
        qs = qs.filter(received_at__month=month)
    keys: tuple[str, ...]
    if by == "association":
        keys = ("association__name",)
    else:
        keys = ("handler_department__name", "handler_association__name")
    rows = (
        qs.annotate(month=TruncMonth("received_at"))
        .values("month", *keys)
        .annotate(
            received=Count("id"),
            responded=Count(
                "id", filter=Q(acknowledged_at__isnull=False, acknowledged_at__date__lte=F("acknowledge_due"))
            ),
            resolved=Count("id", filter=Q(answered_on_time=True)),
            rated=Count("id", filter=~Q(rating="")),
            satisfied=Count("id", filter=Q(rating__in=[OpinionRating.SATISFIED, OpinionRating.BASICALLY])),
        )
        .order_by("-month", *keys)
    )
    out = []
    for row in rows:
        name = next((row[k] for k in keys if row[k]), "")
        month_value = row["month"]
        if isinstance(month_value, datetime.datetime):
            month_value = (
                timezone.localtime(month_value).date() if timezone.is_aware(month_value) else month_value.date()
            )
        out.append(
            Rates(
                month=month_value,
                handler=name,
                received=row["received"],
                responded=row["responded"],
                resolved=row["resolved"],
                rated=row["rated"],
                satisfied=row["satisfied"],
            )
        )
    return out


def writing_associations(user) -> QuerySet[Association]:
    """The associations an officer sends opinions for (none for others: they write for themselves)."""
    return Association.objects.filter(pk__in=scope.officer_association_ids(user)).order_by("name")
