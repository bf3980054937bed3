"""Reads of trade profiles and offers and needs, always for a viewer. Out of scope is 404.

A published item is seen by every logged-in member of every association, without who posted it; an item
on its way (submitted, returned) or out of publication (withdrawn, expired) by its association's officers,
its enterprise's contact and federation staff; a draft by its association's officers and its enterprise's
contact only. A trade profile is seen by everyone logged in once listed in the directory, otherwise by
whoever sees its enterprise in the registry and by its contact."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qiaojia.accounts import scope
from qiaojia.members import selectors as member_selectors
from qiaojia.members.models import Enterprise, Membership
from qiaojia.orgs.models import Association
from qiaojia.search import selectors as search_selectors

from . import matching, permissions
from .models import SIDE_OF_KIND, Offer, OfferAttachment, OfferStatus, TradeProfile

OFFER_KIND = "trade-offer"
PROFILE_KIND = "trade-profile"


def _represented(viewer) -> QuerySet[Enterprise]:
    own = scope.own_person_id(viewer)
    return Enterprise.objects.filter(representative_id=own) if own else Enterprise.objects.none()


# Offers and needs -----------------------------------------------------------------------------


def offer_scope(viewer) -> QuerySet[Offer]:
    qs = Offer.objects.all()
    if not viewer.is_authenticated or not viewer.is_active:
        return qs.none()
    condition = Q(status=OfferStatus.PUBLISHED)
    if scope.is_federation(viewer):
        condition |= ~Q(status=OfferStatus.DRAFT)
    ids = scope.officer_association_ids(viewer)
    if ids:
        condition |= Q(association_id__in=ids)
    own = scope.own_person_id(viewer)
    if own:
        condition |= Q(enterprise__representative_id=own)
    return qs.filter(condition)


def offer_list(
    *,
    viewer,
    q: str | None = None,
    kind: str | None = None,
    side: str | None = None,
    division: str | None = None,
    section: str | None = None,
    country: str | None = None,
    status: str | None = None,
    association: int | None = None,
    mine: bool = False,
) -> QuerySet[Offer]:
    qs = offer_scope(viewer).select_related("association", "enterprise")
    if q:
        qs = qs.filter(pk__in=search_selectors.matching_ids(kind=OFFER_KIND, q=q))
    if kind:
        qs = qs.filter(kind=kind)
    if side:
        qs = qs.filter(kind__in=[k for k, s in SIDE_OF_KIND.items() if s == side])
    if division:
        qs = qs.filter(division=division)
    elif section:
        qs = qs.filter(section=section)
    if country:
        qs = qs.filter(countries__contains=country)
    if status:
        qs = qs.filter(status=status)
    if association:
        qs = qs.filter(association_id=association)
    if mine:
        qs = qs.filter(
            Q(association_id__in=scope.officer_association_ids(viewer))
            | Q(enterprise__representative_id=scope.own_person_id(viewer) or 0)
        )
    return qs.order_by("-published_at", "-id")


def offer_get(*, viewer, pk: int) -> Offer:
    offer = offer_scope(viewer).select_related("association", "enterprise").filter(pk=pk).first()
    if offer is None:
        raise Http404
    return offer


def offer_visible_ids(viewer) -> QuerySet:
    return offer_scope(viewer).values("pk")


def offer_attachments(*, viewer, offer: Offer) -> list[OfferAttachment]:
    """An item's files: for everyone who sees it once published, before that for the posting side."""
    if offer.status != OfferStatus.PUBLISHED and not permissions.can_see_poster(viewer, offer):
        return []
    return list(offer.attachments.order_by("id"))


def attachment_get(*, viewer, pk: int) -> OfferAttachment:
    attachment = OfferAttachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    attachment.offer = offer_get(viewer=viewer, pk=attachment.offer_id)
    if attachment.offer.status != OfferStatus.PUBLISHED and not permissions.can_see_poster(viewer, attachment.offer):
        raise Http404
    return attachment


def offer_contact(*, viewer, offer: Offer):
    """Who to contact about an item, for this viewer: the poster, once they accepted the viewer's side's
    expression of interest (`selectors_deals.offer_contact`); never before."""
    from . import selectors_deals  # knot: introductions read offers, the offer page reads introductions

    return selectors_deals.offer_contact(viewer=viewer, offer=offer)


def offer_suggestions(*, viewer, offer: Offer, limit: int = 10) -> list[matching.Suggestion]:
    """The complementary published items for `offer`, with the reasons; for the posting side and staff."""
    if not permissions.can_view_suggestions(viewer, offer):
        return []
    return matching.suggestions(offer, limit=limit)


@dataclass
class BoardRow:
    offer: Offer
    suggestions: list[matching.Suggestion]


def match_list(*, viewer, offers: list[Offer], per_item: int = 3) -> list[BoardRow]:
    """Staff's province-wide view: for each item of the page, its best suggestions."""
    if not permissions.can_view_match_list(viewer):
        raise Http404
    ranked = {o.pk: matching.suggestion_ids(o, limit=per_item) for o in offers}
    ids = {s.offer_id for r in ranked.values() for s in r}
    today = timezone.localdate()
    loaded = {
        o.pk: o
        for o in Offer.objects.filter(pk__in=ids, status=OfferStatus.PUBLISHED, valid_until__gte=today).select_related(
            "association"
        )
    }
    rows = []
    for offer in offers:
        chosen = []
        for s in ranked[offer.pk]:
            other = loaded.get(s.offer_id)
            if other is None or (offer.enterprise_id and other.enterprise_id == offer.enterprise_id):
                continue
            s.offer = other
            s.reasons = matching.explain(offer, s)
            chosen.append(s)
            if len(chosen) == per_item:
                break
        rows.append(BoardRow(offer=offer, suggestions=chosen))
    return rows


def public_list(*, q: str | None = None, kind: str | None = None) -> QuerySet[Offer]:
    """What visitors see: published items their posters opted in, still valid; no enterprise, no person."""
    qs = Offer.objects.filter(status=OfferStatus.PUBLISHED, public=True, valid_until__gte=timezone.localdate())
    if q:
        qs = qs.filter(pk__in=search_selectors.matching_ids(kind=OFFER_KIND, q=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("association").order_by("-published_at", "-id")


def public_get(*, pk: int) -> Offer:
    offer = public_list().filter(pk=pk).first()
    if offer is None:
        raise Http404
    return offer


# Posting ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostingOption:
    """One way the viewer may post: through an association, for one of its member enterprises or not."""

    association: Association
    enterprise: Enterprise | None

    @property
    def key(self) -> str:
        return f"{self.association.pk}:{self.enterprise.pk if self.enterprise else ''}"


def posting_options(*, viewer) -> list[PostingOption]:
    """An officer posts through their associations (for the association itself or one of its member
    enterprises); an enterprise's contact for their enterprise, through each association it belongs to."""
    options: list[PostingOption] = []
    ids = scope.officer_association_ids(viewer)
    memberships = Membership.objects.filter(left_on__isnull=True, enterprise__isnull=False).select_related(
        "association", "enterprise"
    )
    if ids:
        associations = list(Association.objects.filter(pk__in=ids).order_by("name"))
        by_association: dict[int, list[Enterprise]] = {}
        for m in memberships.filter(association_id__in=ids).order_by("enterprise__name_pinyin")[:2000]:
            if m.enterprise is not None:
                by_association.setdefault(m.association_id, []).append(m.enterprise)
        for association in associations:
            options.append(PostingOption(association, None))
            options += [PostingOption(association, e) for e in by_association.get(association.pk, [])]
    own = scope.own_person_id(viewer)
    if own:
        for m in memberships.filter(enterprise__representative_id=own).order_by("association__name"):
            if m.association_id not in ids:
                options.append(PostingOption(m.association, m.enterprise))
    return options


def can_post(viewer) -> bool:
    if scope.officer_association_ids(viewer):
        return True
    own = scope.own_person_id(viewer)
    return bool(own) and Membership.objects.filter(left_on__isnull=True, enterprise__representative_id=own).exists()


# Trade profiles --------------------------------------------------------------------------------


def profile_scope(viewer) -> QuerySet[TradeProfile]:
    qs = TradeProfile.objects.all()
    if not viewer.is_authenticated or not viewer.is_active:
        return qs.none()
    if scope.is_federation(viewer):
        return qs
    condition = Q(listed=True)
    ids = scope.officer_association_ids(viewer)
    if ids:
        condition |= Q(
            Exists(Membership.objects.filter(enterprise_id=OuterRef("enterprise_id"), association_id__in=ids))
        )
    own = scope.own_person_id(viewer)
    if own:
        condition |= Q(enterprise__representative_id=own)
    return qs.filter(condition)


def profile_list(
    *,
    viewer,
    q: str | None = None,
    division: str | None = None,
    section: str | None = None,
    country: str | None = None,
    association: int | None = None,
    listed_only: bool = False,
) -> QuerySet[TradeProfile]:
    qs = profile_scope(viewer).select_related("enterprise")
    if q:
        qs = qs.filter(pk__in=search_selectors.matching_ids(kind=PROFILE_KIND, q=q))
    if division:
        qs = qs.filter(division=division)
    elif section:
        qs = qs.filter(section=section)
    if country:
        qs = qs.filter(countries__contains=country)
    if association:
        qs = qs.filter(
            Exists(
                Membership.objects.filter(
                    enterprise_id=OuterRef("enterprise_id"), association_id=association, left_on__isnull=True
                )
            )
        )
    if listed_only:
        qs = qs.filter(listed=True)
    return qs.order_by("enterprise__name_pinyin", "id")


def profile_association_names(profiles) -> dict[int, list[str]]:
    """The associations each enterprise of a page belongs to (its memberships), in one query."""
    ids = [p.enterprise_id for p in profiles]
    out: dict[int, list[str]] = {}
    rows = (
        Membership.objects.filter(enterprise_id__in=ids, left_on__isnull=True)
        .order_by("association__name")
        .values_list("enterprise_id", "association__name")
    )
    for enterprise_id, name in rows:
        out.setdefault(enterprise_id, []).append(name)
    return out


@dataclass
class ProfilePage:
    enterprise: Enterprise
    profile: TradeProfile | None
    association_ids: set[int]
    associations: list[str]


def _profile_page(enterprise: Enterprise, profile: TradeProfile | None) -> ProfilePage:
    memberships = list(
        Membership.objects.filter(enterprise=enterprise, left_on__isnull=True)
        .select_related("association")
        .order_by("association__name")
    )
    return ProfilePage(
        enterprise=enterprise,
        profile=profile,
        association_ids={m.association_id for m in memberships},
        associations=[m.association.name for m in memberships],
    )


def profile_get(*, viewer, pk: int) -> ProfilePage:
    """A trade profile: listed, or of an enterprise the viewer sees in the registry, or their own."""
    profile = profile_scope(viewer).select_related("enterprise").filter(pk=pk).first()
    if profile is None:
        raise Http404
    return _profile_page(profile.enterprise, profile)


def profile_for_enterprise(*, viewer, enterprise_pk: int) -> ProfilePage:
    """An enterprise's trade profile (or none yet), for one who sees the enterprise or represents it."""
    enterprise = (
        member_selectors.enterprise_scope(viewer).filter(pk=enterprise_pk).first()
        or _represented(viewer).filter(pk=enterprise_pk).first()
    )
    if enterprise is None:
        raise Http404
    return _profile_page(enterprise, TradeProfile.objects.filter(enterprise=enterprise).first())


def enterprises_without_profile(*, viewer, limit: int = 20) -> list[Enterprise]:
    """Enterprises the viewer may give a trade profile that have none yet (their associations' or their own)."""
    if scope.is_federation(viewer):
        return []
    ids = scope.officer_association_ids(viewer)
    condition = Q(pk__in=[])
    if ids:
        condition |= Q(
            pk__in=Membership.objects.filter(association_id__in=ids, left_on__isnull=True).values("enterprise_id")
        )
    own = scope.own_person_id(viewer)
    if own:
        condition |= Q(representative_id=own)
    return list(Enterprise.objects.filter(condition, trade_profile__isnull=True).order_by("name_pinyin", "id")[:limit])


def profile_visible_ids(viewer) -> QuerySet:
    return profile_scope(viewer).values("pk")
