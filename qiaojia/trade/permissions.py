"""Pure predicates about trade profiles and offers and needs; views and templates ask these.

An item is managed (changed, submitted, withdrawn, given files) by the officers of the association it is
posted through and by the contact of the enterprise it is posted for (the person who represents it);
it is reviewed by that association's officers. Federation staff see every item past its draft and the
suggestions of every item, to broker introductions."""

from qiaojia.accounts import scope

from .models import EDITABLE, OFFER_TRANSITIONS, Offer, OfferStatus


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
