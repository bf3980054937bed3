"""Who does what in B2B matchmaking. Federation staff organise it (open it, see every meeting, record what
was held and what came of it). A participant is acted for by its contact (the enterprise's representative)
and by the officers of the association it came with; they book, answer and read its agenda."""

from qiaojia.accounts import scope

from .models import MEETING_TRANSITIONS, B2BSessionStatus, MeetingStatus


def can_organise_b2b(user) -> bool:
    return scope.is_federation(user)


def can_act_for(user, participant) -> bool:
    if participant.association_id in scope.officer_association_ids(user):
        return True
    own = scope.own_person_id(user)
    return own is not None and own == participant.contact_id


def can_book(user, session, requester) -> bool:
    return session.status == B2BSessionStatus.OPEN and can_act_for(user, requester)


def can_answer_meeting(user, meeting) -> bool:
    return meeting.status == MeetingStatus.REQUESTED and can_act_for(user, meeting.invitee)


def can_cancel_meeting(user, meeting) -> bool:
    return MeetingStatus.CANCELLED in MEETING_TRANSITIONS[meeting.status] and (
        can_act_for(user, meeting.requester) or can_act_for(user, meeting.invitee)
    )


def can_record_meeting(user, meeting) -> bool:
    """The organisers; the service refuses a meeting that was not accepted."""
    return can_organise_b2b(user)


def can_view_agenda(user, participant) -> bool:
    return can_organise_b2b(user) or can_act_for(user, participant)
