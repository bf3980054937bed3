"""Pure predicates about volunteering and donations; views and templates ask these."""

from qiaojia.accounts import scope

from .models import Campaign, CampaignStatus, ShiftSignup


def can_view_volunteering(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_create_campaign(user) -> bool:
    return scope.is_federation(user) or bool(scope.officer_association_ids(user))


def can_manage_campaign(user, campaign: Campaign) -> bool:
    """The organiser runs the campaign: federation staff every one, an association's officers their own."""
    if scope.is_federation(user):
        return True
    return campaign.association_id is not None and campaign.association_id in scope.officer_association_ids(user)


def can_sign_up_others(user) -> bool:
    """Officers sign up their association's members; federation staff anyone who is a member somewhere."""
    return scope.is_federation(user) or bool(scope.officer_association_ids(user))


def can_sign_up_self(user) -> bool:
    return scope.own_person_id(user) is not None


def can_sign_up(user, campaign: Campaign) -> bool:
    if campaign.status != CampaignStatus.OPEN:
        return False
    return can_sign_up_others(user) or can_sign_up_self(user)


def can_handle_signup(user, signup: ShiftSignup, campaign: Campaign) -> bool:
    """Record hours and attendance, or cancel: the organiser, or an officer of the volunteer's association."""
    if can_manage_campaign(user, campaign):
        return True
    return signup.association_id is not None and signup.association_id in scope.officer_association_ids(user)


def can_cancel_signup(user, signup: ShiftSignup, campaign: Campaign) -> bool:
    own = scope.own_person_id(user)
    return can_handle_signup(user, signup, campaign) or (own is not None and own == signup.person_id)


def can_confirm_hours(user, signup: ShiftSignup, campaign: Campaign) -> bool:
    """Only the organiser confirms hours, and never the volunteer their own."""
    own = scope.own_person_id(user)
    if own is not None and own == signup.person_id:
        return False
    return can_manage_campaign(user, campaign)


def can_view_donations(user) -> bool:
    return scope.is_federation(user) or bool(scope.officer_association_ids(user))


def can_edit_donation(user, donation) -> bool:
    if scope.is_federation(user):
        return True
    return donation.association_id is not None and donation.association_id in scope.officer_association_ids(user)
