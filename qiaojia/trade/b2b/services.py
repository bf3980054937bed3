"""Every write of B2B matchmaking: one transaction each, audited.

Booking is decided by the database: a meeting takes one seat per participant in its slot and, once
accepted, one table in that slot, each under a unique constraint. Two people booking the same seat at the
same moment both pass the checks that read; the second insert then fails on the constraint and its author
is told, in their language, what was taken (`BookingConflict`), with nothing changed."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiaojia.core.services import create_audited, update_versioned
from qiaojia.events.models import FlagshipEvent
from qiaojia.members.models import Enterprise
from qiaojia.notifications.services import notify
from qiaojia.orgs.models import Association
from qiaojia.trade.models import Offer, OfferStatus

from . import notices
from .models import (
    MEETING_TRANSITIONS,
    STANDING,
    B2BParticipant,
    B2BSeat,
    B2BSession,
    B2BSessionStatus,
    B2BSlot,
    B2BTable,
    BusinessMeeting,
    MeetingStatus,
)

# A session is laid out on one page and an agenda on one sheet: these bound every list of it.
MAX_SLOTS = 40
MAX_TABLES = 200


class BookingConflict(ValidationError):
    """A booking lost to another one: the message says what was taken."""


SEAT_TAKEN = _("%(name)s already has a meeting in this slot. Choose another slot.")
PAIR_TAKEN = _("These two participants already have a meeting. Each pair meets once.")
NO_TABLE = _("Every table is taken in this slot. Ask for another slot.")


@transaction.atomic
def session_open(
    *,
    event: FlagshipEvent,
    day: datetime.date,
    first_starts: datetime.time,
    minutes: int,
    slot_count: int,
    table_count: int,
    place: str = "",
    by=None,
) -> B2BSession:
    """Open B2B matchmaking for an event: `slot_count` consecutive slots of `minutes` on `day` from
    `first_starts`, and tables numbered 1..`table_count`."""
    if B2BSession.objects.filter(event=event).exists():
        raise ValidationError(_("B2B matchmaking is already open for this event."))
    if not 1 <= slot_count <= MAX_SLOTS:
        raise ValidationError({"slot_count": _("Between 1 and %(max)s slots.") % {"max": MAX_SLOTS}})
    if not 1 <= table_count <= MAX_TABLES:
        raise ValidationError({"table_count": _("Between 1 and %(max)s tables.") % {"max": MAX_TABLES}})
    if not 5 <= minutes <= 240:
        raise ValidationError({"minutes": _("A slot lasts between 5 and 240 minutes.")})
    last_day = event.ends_on or event.starts_on
    if not event.starts_on <= day <= last_day:
        raise ValidationError({"day": _("Choose a day of the event.")})
    session = create_audited(
        B2BSession(event=event, place=place, created_by=by if by is not None and by.is_authenticated else None)
    )
    start = timezone.make_aware(datetime.datetime.combine(day, first_starts))
    step = datetime.timedelta(minutes=minutes)
    B2BSlot.objects.bulk_create(
        [
            B2BSlot(session=session, starts_at=start + n * step, ends_at=start + (n + 1) * step)
            for n in range(slot_count)
        ]
    )
    B2BTable.objects.bulk_create([B2BTable(session=session, number=n + 1) for n in range(table_count)])
    return session


@transaction.atomic
def session_set_status(*, session: B2BSession, status: str, expected_version: int) -> B2BSession:
    return update_versioned(session, expected_version=expected_version, status=status)


@transaction.atomic
def participant_join(
    *,
    session: B2BSession,
    enterprise: Enterprise,
    association: Association,
    offers_text: str = "",
    seeks_text: str = "",
    offers=(),
) -> B2BParticipant:
    """Register an enterprise for the session, with what it offers and seeks there. Its contact is its
    representative; the offers linked must be its own published ones."""
    if not (offers_text.strip() or seeks_text.strip() or offers):
        raise ValidationError(_("Say what the enterprise offers or seeks at the event."))
    if B2BParticipant.objects.filter(session=session, enterprise=enterprise).exists():
        raise ValidationError(_("This enterprise already takes part."))
    participant = create_audited(
        B2BParticipant(
            session=session,
            enterprise=enterprise,
            association=association,
            contact_id=enterprise.representative_id,
            offers_text=offers_text.strip(),
            seeks_text=seeks_text.strip(),
        )
    )
    ids = [o.pk for o in offers]
    if ids:
        own = Offer.objects.filter(pk__in=ids, enterprise=enterprise, status=OfferStatus.PUBLISHED)
        participant.offers.set(own)
    return participant


def _when(slot: B2BSlot) -> datetime.datetime:
    """A slot's start as a notice's parameter: written in each reader's own format when read."""
    return slot.starts_at


def _params(meeting: BusinessMeeting) -> dict[str, Any]:
    return {
        "event": meeting.session.event.name,
        "requester": meeting.requester.enterprise.name,
        "invitee": meeting.invitee.enterprise.name,
        "time": _when(meeting.slot),
        "table": str(meeting.table.number) if meeting.table is not None else "—",
    }


def _agenda_url(participant: B2BParticipant) -> str:
    return reverse("trade:b2b-agenda", args=[participant.pk])


def _seat_taken(slot: B2BSlot, requester: B2BParticipant, invitee: B2BParticipant) -> BookingConflict | None:
    for side in (requester, invitee):
        if B2BSeat.objects.filter(slot=slot, participant=side).exists():
            return BookingConflict(SEAT_TAKEN % {"name": side.enterprise.name}, code="seat")
    return None


def _pair_taken(session, low: int, high: int) -> bool:
    return BusinessMeeting.objects.filter(session=session, pair_low=low, pair_high=high, status__in=STANDING).exists()


@transaction.atomic
def meeting_request(
    *,
    requester: B2BParticipant,
    invitee: B2BParticipant,
    slot: B2BSlot,
    message: str = "",
    by=None,
) -> BusinessMeeting:
    """Ask another participant for a meeting in a slot. Both are held in that slot until the answer."""
    session = requester.session
    if session.status != B2BSessionStatus.OPEN:
        raise ValidationError(_("Booking is closed for this event."))
    if invitee.session_id != session.pk or slot.session_id != session.pk:
        raise ValidationError(_("Choose a participant and a slot of this event."))
    if invitee.pk == requester.pk:
        raise ValidationError(_("A participant cannot meet itself."))
    low, high = sorted((requester.pk, invitee.pk))
    if _pair_taken(session, low, high):
        raise BookingConflict(PAIR_TAKEN, code="pair")
    taken = _seat_taken(slot, requester, invitee)
    if taken is not None:
        raise taken
    meeting = BusinessMeeting(
        session=session,
        slot=slot,
        requester=requester,
        invitee=invitee,
        pair_low=low,
        pair_high=high,
        message=message.strip()[:300],
        requested_by=by if by is not None and by.is_authenticated else None,
    )
    try:
        # The checks above read; two requests at once both pass them. The constraints decide, and the
        # savepoint keeps the loser's transaction usable to say why.
        with transaction.atomic():
            meeting = create_audited(meeting)
            B2BSeat.objects.bulk_create(
                [
                    B2BSeat(meeting=meeting, slot=slot, participant=requester),
                    B2BSeat(meeting=meeting, slot=slot, participant=invitee),
                ]
            )
    except (IntegrityError, ValidationError) as exc:
        if _pair_taken(session, low, high):
            raise BookingConflict(PAIR_TAKEN, code="pair") from exc
        taken = _seat_taken(slot, requester, invitee)
        if taken is not None:
            raise taken from exc
        raise
    notify(
        notices.MEETING_REQUESTED,
        person=invitee.contact_id,
        association=invitee.association_id,
        params=_params(meeting),
        url=_agenda_url(invitee),
    )
    return meeting


def _free_tables(meeting: BusinessMeeting) -> list[B2BTable]:
    used = BusinessMeeting.objects.filter(slot=meeting.slot, status__in=STANDING, table__isnull=False).values(
        "table_id"
    )
    return list(B2BTable.objects.filter(session=meeting.session_id).exclude(pk__in=used).order_by("number")[:20])


def _move(meeting: BusinessMeeting, status: str) -> None:
    if status not in MEETING_TRANSITIONS[meeting.status]:
        raise ValidationError(_("This meeting can no longer be changed that way."))


@transaction.atomic
def meeting_accept(*, meeting: BusinessMeeting, expected_version: int) -> BusinessMeeting:
    """Accept a meeting asked for: the first free table of its slot is assigned. When two acceptances in
    one slot reach for the same table, the constraint lets one have it and the other takes the next."""
    _move(meeting, MeetingStatus.ACCEPTED)
    accepted = None
    for table in _free_tables(meeting):
        try:
            with transaction.atomic():
                accepted = update_versioned(
                    meeting,
                    expected_version=expected_version,
                    status=MeetingStatus.ACCEPTED,
                    table=table,
                    answered_at=timezone.now(),
                )
            break
        except (IntegrityError, ValidationError) as exc:
            if (
                isinstance(exc, ValidationError)
                and not BusinessMeeting.objects.filter(slot=meeting.slot, table=table, status__in=STANDING).exists()
            ):
                raise
            continue
    if accepted is None:
        raise BookingConflict(NO_TABLE, code="table")
    accepted.session = meeting.session
    notify(
        notices.MEETING_ACCEPTED,
        person=accepted.requester.contact_id,
        association=accepted.requester.association_id,
        params=_params(accepted),
        url=_agenda_url(accepted.requester),
    )
    return accepted


def _release(meeting: BusinessMeeting, status: str, expected_version: int) -> BusinessMeeting:
    _move(meeting, status)
    B2BSeat.objects.filter(meeting=meeting).delete()
    return update_versioned(meeting, expected_version=expected_version, status=status, table=None)


@transaction.atomic
def meeting_decline(*, meeting: BusinessMeeting, expected_version: int) -> BusinessMeeting:
    declined = _release(meeting, MeetingStatus.DECLINED, expected_version)
    declined.answered_at = timezone.now()
    BusinessMeeting.objects.filter(pk=declined.pk).update(answered_at=declined.answered_at)
    declined.session = meeting.session
    notify(
        notices.MEETING_DECLINED,
        person=declined.requester.contact_id,
        association=declined.requester.association_id,
        params=_params(declined),
        url=_agenda_url(declined.requester),
    )
    return declined


@transaction.atomic
def meeting_cancel(*, meeting: BusinessMeeting, expected_version: int) -> BusinessMeeting:
    """Either side calls a meeting off; the slot is free again for both."""
    return _release(meeting, MeetingStatus.CANCELLED, expected_version)


@transaction.atomic
def meeting_record(
    *, meeting: BusinessMeeting, status: str, outcome: str, outcome_note: str, expected_version: int
) -> BusinessMeeting:
    """The organiser marks an accepted meeting held or a no-show, and records what came of it."""
    if status not in (MeetingStatus.HELD, MeetingStatus.NO_SHOW):
        raise ValidationError(_("Mark the meeting held or a no-show."))
    if status != meeting.status:
        _move(meeting, status)
    if status == MeetingStatus.NO_SHOW and outcome:
        raise ValidationError({"outcome": _("A meeting that did not take place has no outcome.")})
    return update_versioned(
        meeting, expected_version=expected_version, status=status, outcome=outcome, outcome_note=outcome_note.strip()
    )
