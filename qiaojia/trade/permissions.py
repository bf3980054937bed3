"""Pure predicates about trade profiles and offers and needs; views and templates ask these.

An item is managed (changed, submitted, withdrawn, given files) by the officers of the association it is
posted through and by the contact of the enterprise it is posted for (the person who represents it);
it is reviewed by that association's officers. Federation staff see every item past its draft and the
suggestions of every item, to broker introductions."""

from qiaojia.accounts import scope

from .models import EDITABLE, OFFER_TRANSITIONS, Offer, OfferStatus
from .models_deals import INTRODUCTION_TRANSITIONS, IntroductionStage


def can_view_trade(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_contact_of(user, enterprise_representative_id: int | None) -> bool:
    own = scope.own_person_id(user)
    return own is not None and own == enterprise_representative_id


def can_manage_offer(user, offer: Offer) -> bool:
    if offer.association_id in scope.officer_association_ids(user):
        return True
    return offer.enterprise_id is not None and is_contact_of(user, offer.enterprise.representative_id)


def can_edit_offer(user, offer: Offer) -> bool:
    return offer.status in EDITABLE and can_manage_offer(user, offer)


def can_submit_offer(user, offer: Offer) -> bool:
    return OfferStatus.SUBMITTED in OFFER_TRANSITIONS[offer.status] and can_manage_offer(user, offer)


def can_withdraw_offer(user, offer: Offer) -> bool:
    return OfferStatus.WITHDRAWN in OFFER_TRANSITIONS[offer.status] and can_manage_offer(user, offer)


def can_review_offer(user, offer: Offer) -> bool:
    """The posting association's officers review what is posted through it."""
    return offer.status == OfferStatus.SUBMITTED and offer.association_id in scope.officer_association_ids(user)


def can_see_poster(user, offer: Offer) -> bool:
    """The enterprise behind an item, its files before publication and its review: the posting side and
    the federation. Others learn who it is only through an accepted expression of interest (later)."""
    return scope.is_federation(user) or can_manage_offer(user, offer)


def can_view_suggestions(user, offer: Offer) -> bool:
    return scope.is_federation(user) or can_manage_offer(user, offer)


def can_view_match_list(user) -> bool:
    """The province-wide list of suggestions, from which staff broker introductions."""
    return scope.is_federation(user)


def can_edit_profile(user, *, representative_id: int | None, association_ids: set[int]) -> bool:
    """An enterprise's trade profile (and its directory opt-in): its contact, the officers of an association
    it belongs to, and federation staff."""
    if scope.is_federation(user) or is_contact_of(user, representative_id):
        return True
    return bool(association_ids & scope.officer_association_ids(user))


# Introductions and signed projects -----------------------------------------------------------------


def sides_of(user, introduction) -> set[str]:
    """Which sides of an introduction the user acts for: "a" (who expressed interest, or the broker's first
    party) and "b" (the poster): an officer of the side's association, its enterprise's contact, or the
    account that acted for it."""
    ids = scope.officer_association_ids(user)
    own = scope.own_person_id(user)
    sides = set()
    for side in ("a", "b"):
        enterprise = getattr(introduction, f"{side}_enterprise")
        if (
            getattr(introduction, f"{side}_association_id") in ids
            or (enterprise is not None and own is not None and enterprise.representative_id == own)
            or (user.is_authenticated and getattr(introduction, f"{side}_user_id") == user.pk)
        ):
            sides.add(side)
    return sides


def can_express_interest(user, offer: Offer, *, can_post: bool) -> bool:
    """A member who may post (an officer, an enterprise's contact) expresses interest in another side's
    published item."""
    return offer.status == OfferStatus.PUBLISHED and can_post and not can_manage_offer(user, offer)


def can_broker(user) -> bool:
    return scope.is_federation(user) or bool(scope.officer_association_ids(user))


def can_broker_between(user, first: Offer, second: Offer) -> bool:
    """Staff broker between any two published items; an officer between an item of their association and
    another's."""
    if first.status != OfferStatus.PUBLISHED or second.status != OfferStatus.PUBLISHED:
        return False
    if scope.is_federation(user):
        return True
    ids = scope.officer_association_ids(user)
    return first.association_id in ids or second.association_id in ids


def can_view_introduction(user, introduction) -> bool:
    return (
        scope.is_federation(user)
        or (user.is_authenticated and introduction.broker_id == user.pk)
        or bool(sides_of(user, introduction))
    )


def answering_sides(user, introduction) -> set[str]:
    """The sides whose answer the user may give now: a case awaiting an answer, a side that has not agreed."""
    if introduction.stage != IntroductionStage.PROPOSED:
        return set()
    return {s for s in sides_of(user, introduction) if getattr(introduction, f"{s}_agreed_at") is None}


def can_move_introduction(user, introduction) -> bool:
    if not introduction.agreed or not INTRODUCTION_TRANSITIONS[introduction.stage]:
        return False
    return can_view_introduction(user, introduction)


def can_note_introduction(user, introduction) -> bool:
    return can_view_introduction(user, introduction)


def can_record_project(user, association_id: int | None = None) -> bool:
    """Federation staff record any association's projects; an officer their association's."""
    if scope.is_federation(user):
        return True
    ids = scope.officer_association_ids(user)
    return bool(ids) if association_id is None else association_id in ids


def can_view_project(user, project) -> bool:
    return scope.is_federation(user) or project.association_id in scope.officer_association_ids(user)


def can_manage_rates(user) -> bool:
    return scope.is_federation(user)
