"""Every write to meetings. Each service is one transaction with one audit row per change."""

import datetime
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiaojia.core import photos, ratelimit, uploads
from qiaojia.core.chinese import search_key, to_simplified, to_traditional
from qiaojia.core.models import AuditAction
from qiaojia.core.ordering import order_move
from qiaojia.core.services import (
    ConflictError,
    audit_log,
    check_form_token,
    create_audited,
    delete_audited,
    update_versioned,
)
from qiaojia.cycle.models import AnnualReport
from qiaojia.members.models import Membership, Person
from qiaojia.notifications import text as notice_text
from qiaojia.notifications.services import notify
from qiaojia.orgs.models import Association, Federation

from . import tokens
from .models import (
    MEETING_TRANSITIONS,
    AgendaItem,
    AgendaItemKind,
    FollowUpTask,
    Meeting,
    MeetingStatus,
    Participant,
    Photo,
    Resolution,
    SignInMethod,
    new_sign_in_key,
)
from .notices import INVITATION

MEETING_FIELDS = ("title", "kind", "starts_at", "ends_at", "place", "description", "sign_in_by_code")
AGENDA_FIELDS = ("kind", "title", "document", "association", "presenter", "content")
PARTICIPANT_FIELDS = ("role", "official", "person", "name", "public_title", "association", "order")
TASK_FIELDS = ("title", "resolution", "owner_association", "owner_name", "due_on", "status", "note")


def _pick(data: dict[str, Any], fields) -> dict[str, Any]:
    return {k: data[k] for k in fields if k in data}


def _check_times(values: dict[str, Any], current: Meeting | None = None) -> None:
    starts = values.get("starts_at", current.starts_at if current else None)
    ends = values.get("ends_at", current.ends_at if current else None)
    if starts and ends and ends < starts:
        raise ValidationError({"ends_at": _("The meeting cannot end before it starts.")})


def _next_order(queryset) -> int:
    return (queryset.aggregate(n=Max("order"))["n"] or 0) + 1


@transaction.atomic
def meeting_create(
    *,
    federation: Federation,
    association: Association | None,
    data: dict[str, Any],
    form_token: uuid.UUID | None = None,
) -> Meeting:
    values = _pick(data, MEETING_FIELDS)
    _check_times(values)
    meeting = Meeting(federation=federation, association=association, **values)
    return create_audited(meeting, form_token=form_token)


@transaction.atomic
def meeting_update(*, meeting: Meeting, expected_version: int, data: dict[str, Any]) -> Meeting:
    values = _pick(data, MEETING_FIELDS)
    _check_times(values, meeting)
    return update_versioned(meeting, expected_version=expected_version, **values)


@transaction.atomic
def meeting_set_status(*, meeting: Meeting, expected_version: int, status: str) -> Meeting:
    current = Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    if status not in MEETING_TRANSITIONS.get(current.status, ()):
        raise ValidationError(
            _("A meeting that is “%(status)s” cannot be changed to that status.")
            % {"status": current.get_status_display()}
        )
    return update_versioned(current, expected_version=expected_version, status=status)


@transaction.atomic
def meeting_minutes_update(*, meeting: Meeting, expected_version: int, minutes: str) -> Meeting:
    return update_versioned(meeting, expected_version=expected_version, minutes=minutes)


@transaction.atomic
def meeting_sign_in_reset(*, meeting: Meeting, expected_version: int) -> Meeting:
    """Withdraw every sign-in link and QR code given out for the meeting."""
    meeting = update_versioned(meeting, expected_version=expected_version, sign_in_key=new_sign_in_key())
    audit_log(action=AuditAction.UPDATE, instance=meeting, changes={"sign_in_key": ["***", "*** (new)"]})
    return meeting


# Agenda ---------------------------------------------------------------------------------------


def _check_agenda_refs(meeting: Meeting, values: dict[str, Any]) -> None:
    presenter = values.get("presenter")
    if presenter is not None and presenter.meeting_id != meeting.pk:
        raise ValidationError({"presenter": _("The presenter must be a participant of this meeting.")})
    association = values.get("association")
    if meeting.association_id and association is not None and association.pk != meeting.association_id:
        raise ValidationError({"association": _("An association's meeting can only hear that association's report.")})
    values["annual_report"] = _annual_report_for(meeting, values)


def _annual_report_for(meeting: Meeting, values: dict[str, Any]):
    """A report item hears the association's annual report on the year before the meeting, if there is one."""
    association = values.get("association")
    if values.get("kind") != AgendaItemKind.REPORTS or association is None:
        return None
    year = timezone.localtime(meeting.starts_at).year - 1
    return AnnualReport.objects.filter(association=association, year=year).first()


@transaction.atomic
def agenda_item_create(*, meeting: Meeting, data: dict[str, Any], form_token: uuid.UUID | None = None) -> AgendaItem:
    values = _pick(data, AGENDA_FIELDS)
    _check_agenda_refs(meeting, values)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one numbering at a time
    item = AgendaItem(meeting=meeting, order=_next_order(meeting.agenda_items.all()), **values)
    return create_audited(item, form_token=form_token)


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, expected_version: int, data: dict[str, Any]) -> AgendaItem:
    values = _pick(data, AGENDA_FIELDS)
    _check_agenda_refs(item.meeting, values)
    return update_versioned(item, expected_version=expected_version, **values)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, expected_version: int, direction: str) -> AgendaItem:
    """Move an item one place up or down; the agenda is renumbered 1..n."""
    Meeting.objects.select_for_update().filter(pk=item.meeting_id).first()
    items = list(AgendaItem.objects.filter(meeting_id=item.meeting_id).order_by("order", "id"))
    return order_move(items, row=item, expected_version=expected_version, direction=direction)


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, expected_version: int) -> None:
    delete_audited(item, expected_version=expected_version)


# Participants ---------------------------------------------------------------------------------


def _match_person(association: Association, name: str) -> Person | None:
    """The one officer (current term) or else current member of `association` with this name."""
    key = search_key(name)
    holders = list(Person.objects.filter(terms__association=association, name_key=key).distinct()[:2])
    if len(holders) == 1:
        return holders[0]
    if holders:
        return None
    members = list(
        Person.objects.filter(
            pk__in=Membership.objects.filter(association=association, left_on__isnull=True).values("person_id"),
            name_key=key,
        )[:2]
    )
    return members[0] if len(members) == 1 else None


def _participant_values(meeting: Meeting, data: dict[str, Any]) -> dict[str, Any]:
    values = _pick(data, PARTICIPANT_FIELDS)
    official = values.get("official")
    person = values.get("person")
    name = (values.get("name") or "").strip()
    if official is not None:
        if official.federation_id != meeting.federation_id:
            raise ValidationError({"official": _("Choose an official of this federation.")})
        values["person"] = None
        values["name"] = official.person.name
        values["public_title"] = values.get("public_title") or official.person.public_title
    elif person is not None:
        values["name"] = person.name
        values["public_title"] = values.get("public_title") or person.public_title
    elif name:
        values["name"] = name
        association = values.get("association")
        matched = _match_person(association, name) if association is not None else None
        values["person"] = matched
        if matched is not None:
            # The name as registered, whichever script it was typed in.
            values["name"] = matched.name
            values["public_title"] = values.get("public_title") or matched.public_title
    else:
        raise ValidationError({"name": _("Choose a federation official or type the participant's name.")})
    return values


def _check_not_listed(meeting: Meeting, values: dict[str, Any], exclude: int | None = None) -> None:
    others = Participant.objects.filter(meeting=meeting)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if values.get("official") is not None and others.filter(official=values["official"]).exists():
        raise ValidationError({"official": _("This official is already listed for the meeting.")})
    if values.get("person") is not None and others.filter(person=values["person"]).exists():
        raise ValidationError({"name": _("This person is already listed for the meeting.")})


@transaction.atomic
def participant_add(*, meeting: Meeting, data: dict[str, Any], form_token: uuid.UUID | None = None) -> Participant:
    values = _participant_values(meeting, data)
    _check_not_listed(meeting, values)
    if not values.get("order"):
        values["order"] = _next_order(meeting.participants.all())
    participant = Participant(meeting=meeting, **values)
    return create_audited(participant, form_token=form_token)


@transaction.atomic
def participants_bulk_add(
    *, meeting: Meeting, entries: list[dict[str, Any]], form_token: uuid.UUID | None = None
) -> tuple[list[Participant], int]:
    """Add several participants at once (an association's officers, people chosen with the picker, a list
    pasted from a spreadsheet), each as `participant_add` takes it, in one transaction; anyone already
    listed, or listed twice in `entries`, is skipped. Returns the participants added and how many were
    skipped. The form token is claimed with the first, so a repeated submission adds nobody twice."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one numbering at a time
    if form_token:
        check_form_token(form_token)
    listed = Participant.objects.filter(meeting=meeting)
    people = set(listed.exclude(person=None).values_list("person_id", flat=True))
    officials = set(listed.exclude(official=None).values_list("official_id", flat=True))
    order = _next_order(meeting.participants.all())
    added: list[Participant] = []
    skipped = 0
    for data in entries:
        values = _participant_values(meeting, data)
        person_id = values["person"].pk if values.get("person") else None
        official_id = values["official"].pk if values.get("official") else None
        if (person_id and person_id in people) or (official_id and official_id in officials):
            skipped += 1
            continue
        if person_id:
            people.add(person_id)
        if official_id:
            officials.add(official_id)
        values["order"] = order
        order += 1
        participant = create_audited(
            Participant(meeting=meeting, **values), form_token=form_token if not added else None
        )
        added.append(participant)
    return added, skipped


@transaction.atomic
def agenda_items_bulk_create(
    *, meeting: Meeting, rows: list[dict[str, Any]], form_token: uuid.UUID | None = None
) -> list[AgendaItem]:
    """Several agenda items at once, in the order given, after the items already on the agenda."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if form_token:
        check_form_token(form_token)
    order = _next_order(meeting.agenda_items.all())
    items: list[AgendaItem] = []
    for data in rows:
        values = _pick(data, AGENDA_FIELDS)
        _check_agenda_refs(meeting, values)
        item = AgendaItem(meeting=meeting, order=order, **values)
        items.append(create_audited(item, form_token=form_token if not items else None))
        order += 1
    return items


@transaction.atomic
def participant_update(*, participant: Participant, expected_version: int, data: dict[str, Any]) -> Participant:
    values = _participant_values(participant.meeting, data)
    _check_not_listed(participant.meeting, values, exclude=participant.pk)
    values.setdefault("official", None)
    values.setdefault("person", None)
    return update_versioned(participant, expected_version=expected_version, **values)


@transaction.atomic
def participant_remove(*, participant: Participant, expected_version: int) -> None:
    delete_audited(participant, expected_version=expected_version)


@transaction.atomic
def meeting_invite(*, meeting: Meeting, base_url: str) -> int:
    """Send the invitation to every listed participant not invited yet; returns how many were sent.

    Each invitation carries the participant's own sign-in link."""
    from django.urls import reverse

    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot send invitations."))
    pending = list(
        meeting.participants.filter(invited_at__isnull=True).select_related(
            "official__person__user", "person__user", "association"
        )
    )
    now = timezone.now()
    detail_url = reverse("meetings:meeting-detail", args=[meeting.pk])
    for participant in pending:
        link = base_url.rstrip("/") + reverse("meetings:sign-in", args=[tokens.make_token(meeting, participant)])
        notify(
            INVITATION,
            person=participant.official.person if participant.official is not None else participant.person,
            association=participant.association,
            params={
                "name": notice_text.person(participant.name),
                "title": meeting.title,
                "when": meeting.starts_at,
                "place": meeting.place,
                "role": participant.role,
                "link": link,
                "code": participant.sign_in_code if meeting.sign_in_by_code else "",
            },
            url=detail_url,
        )
        update_versioned(participant, expected_version=participant.version, invited_at=now)
    return len(pending)


# Sign-in --------------------------------------------------------------------------------------


def participant_sign_in(
    *, participant: Participant, method: str, by_user=None, at: datetime.datetime | None = None
) -> tuple[Participant, bool]:
    """Record that the participant is here. Signing in twice changes nothing: returns (participant, False).

    `at` is for staff entering a paper sign-in sheet after the meeting; otherwise it is now."""
    with transaction.atomic():
        now = at or timezone.now()
        rows = Participant.objects.filter(pk=participant.pk, signed_in_at__isnull=True).update(
            signed_in_at=now,
            signed_in_method=method,
            updated_at=timezone.now(),
            signed_in_by=by_user if by_user is not None and by_user.is_authenticated else None,
        )
        participant.refresh_from_db()
        if rows == 1:
            audit_log(
                action=AuditAction.UPDATE,
                instance=participant,
                changes={"signed_in_at": [None, now.isoformat()], "signed_in_method": ["", method]},
            )
        return participant, rows == 1


@transaction.atomic
def participant_sign_in_clear(*, participant: Participant) -> Participant:
    """Staff undo a sign-in marked by mistake."""
    before = participant.signed_in_at
    rows = Participant.objects.filter(pk=participant.pk, signed_in_at__isnull=False).update(
        signed_in_at=None, signed_in_method="", signed_in_by=None, updated_at=timezone.now()
    )
    participant.refresh_from_db()
    if rows == 1:
        audit_log(
            action=AuditAction.UPDATE,
            instance=participant,
            changes={"signed_in_at": [before.isoformat() if before else None, None]},
        )
    return participant


# Every failed sign-in at the meeting link reads the same, whether the name is not listed, the digits
# or code are wrong, the participant is locked or a limit is reached: the page confirms nothing.
SIGN_IN_FAILED = _("We could not sign you in with these details. Check what you typed, or ask the staff at the desk.")


def sign_in_with_token(
    *, token: tokens.SignInToken, name: str = "", secret: str = "", user=None, address: str | None = None
) -> tuple[Participant, bool]:
    """Sign in from a link: the participant's own link, the user's own account, or the meeting's link
    with the name typed and the secret: the last four digits of the phone on record (when there is
    one), or the participant's personal code when the meeting signs in by code.

    Guesses at the meeting link are limited per link, address and participant (QIAOJIA_SIGN_IN_LIMITS),
    and a participant is locked after QIAOJIA_SIGN_IN_LOCKOUT wrong secrets; every refusal is SIGN_IN_FAILED."""
    meeting = Meeting.objects.filter(pk=token.meeting_id).first()
    if meeting is None or meeting.sign_in_key != token.key:
        raise tokens.TokenError()
    state = tokens.sign_in_state(meeting)
    if state != "open":
        raise ValidationError(SIGN_IN_STATE_MESSAGES[state])
    participants = Participant.objects.filter(meeting=meeting).select_related("person", "official__person")
    if token.participant_id is not None:
        participant = participants.filter(pk=token.participant_id).first()
        if participant is None:
            raise tokens.TokenError()
        return participant_sign_in(participant=participant, method=SignInMethod.LINK, by_user=user)
    own_person = getattr(user, "person_id", None) if user is not None and user.is_authenticated else None
    if own_person and not name:
        participant = (
            participants.filter(person_id=own_person).first()
            or participants.filter(official__person_id=own_person).first()
        )
        if participant is None:
            raise ValidationError(_("Your account is not on the list of this meeting. Type your name below."))
        return participant_sign_in(participant=participant, method=SignInMethod.ACCOUNT, by_user=user)
    key = search_key(name)
    if not key:
        raise ValidationError({"name": _("Type your name as the organisers listed it.")})
    limits = settings.QIAOJIA_SIGN_IN_LIMITS
    buckets = [
        ("meetings.sign-in.link", f"{meeting.pk}:{meeting.sign_in_key}", limits["link"]),
        ("meetings.sign-in.address", address or "-", limits["address"]),
    ]
    if any(ratelimit.exceeded(*bucket) for bucket in buckets):
        _sign_in_refused(buckets)
    matches = [p for p in participants.filter(name__in=_name_variants(name)) if search_key(p.name) == key]
    if len(matches) != 1:
        _sign_in_refused(buckets)
    participant = matches[0]
    buckets.append(("meetings.sign-in.participant", str(participant.pk), limits["participant"]))
    if participant.sign_in_locked_at is not None or ratelimit.exceeded(*buckets[-1]):
        _sign_in_refused(buckets)
    if not _secret_matches(meeting, participant, secret):
        participant_sign_in_failed(participant=participant)
        _sign_in_refused(buckets)
    return participant_sign_in(participant=participant, method=SignInMethod.MEETING_LINK, by_user=user)


def _secret_matches(meeting: Meeting, participant: Participant, secret: str) -> bool:
    if meeting.sign_in_by_code:
        typed = "".join(ch for ch in secret.upper() if ch.isalnum())
        return secrets.compare_digest(typed.encode(), participant.sign_in_code.encode())
    person = participant.official.person if participant.official is not None else participant.person
    phone = person.phone if person is not None else ""
    if not phone:
        return True
    typed = "".join(ch for ch in secret if ch in "0123456789")[-4:]
    return secrets.compare_digest(typed.encode(), phone[-4:].encode())


def _sign_in_refused(buckets) -> None:
    for bucket in buckets:
        ratelimit.record_failure(*bucket)
    raise ValidationError(SIGN_IN_FAILED)


@transaction.atomic
def participant_sign_in_failed(*, participant: Participant) -> Participant:
    """Count a wrong secret typed for the participant; at the limit, lock them (audited)."""
    Participant.objects.filter(pk=participant.pk).update(sign_in_failures=F("sign_in_failures") + 1)
    locked = Participant.objects.filter(
        pk=participant.pk, sign_in_locked_at__isnull=True, sign_in_failures__gte=settings.QIAOJIA_SIGN_IN_LOCKOUT
    ).update(sign_in_locked_at=timezone.now())
    participant.refresh_from_db()
    if locked and participant.sign_in_locked_at is not None:  # set by the update above
        audit_log(
            action=AuditAction.UPDATE,
            instance=participant,
            changes={
                "sign_in_locked_at": [None, participant.sign_in_locked_at.isoformat()],
                "sign_in_failures": [participant.sign_in_failures - 1, participant.sign_in_failures],
            },
        )
    return participant


@transaction.atomic
def participant_sign_in_unlock(*, participant: Participant) -> Participant:
    """Staff let a locked participant sign in at the meeting link again (and forget their failures)."""
    before = Participant.objects.select_for_update().get(pk=participant.pk)
    Participant.objects.filter(pk=participant.pk).update(
        sign_in_failures=0, sign_in_locked_at=None, updated_at=timezone.now()
    )
    ratelimit.clear("meetings.sign-in.participant", str(participant.pk), settings.QIAOJIA_SIGN_IN_LIMITS["participant"])
    participant.refresh_from_db()
    if before.sign_in_locked_at is not None or before.sign_in_failures:
        audit_log(
            action=AuditAction.UPDATE,
            instance=participant,
            changes={
                "sign_in_locked_at": [before.sign_in_locked_at.isoformat() if before.sign_in_locked_at else None, None],
                "sign_in_failures": [before.sign_in_failures, 0],
            },
        )
    return participant


def _name_variants(name: str) -> set[str]:
    name = name.strip()
    return {name, to_simplified(name), to_traditional(name)}


SIGN_IN_STATE_MESSAGES = {
    "not_yet": _("Sign-in for this meeting has not opened yet; it opens three hours before the start."),
    "closed": _("Sign-in for this meeting has closed."),
    "cancelled": _("This meeting was cancelled."),
}


# Minutes: resolutions and follow-up tasks ------------------------------------------------------


@transaction.atomic
def resolution_create(*, meeting: Meeting, text: str, form_token: uuid.UUID | None = None) -> Resolution:
    resolution = Resolution(meeting=meeting, order=_next_order(meeting.resolutions.all()), text=text)
    return create_audited(resolution, form_token=form_token)


@transaction.atomic
def resolution_update(*, resolution: Resolution, expected_version: int, text: str) -> Resolution:
    return update_versioned(resolution, expected_version=expected_version, text=text)


def _check_task(meeting: Meeting, values: dict[str, Any]) -> None:
    resolution = values.get("resolution")
    if resolution is not None and resolution.meeting_id != meeting.pk:
        raise ValidationError({"resolution": _("Choose a resolution of this meeting.")})
    if values.get("owner_association") is None and not (values.get("owner_name") or "").strip():
        raise ValidationError({"owner_name": _("Name who is responsible: an association, a person, or both.")})


@transaction.atomic
def task_create(*, meeting: Meeting, data: dict[str, Any], form_token: uuid.UUID | None = None) -> FollowUpTask:
    values = _pick(data, TASK_FIELDS)
    _check_task(meeting, values)
    task = FollowUpTask(meeting=meeting, **values)
    return create_audited(task, form_token=form_token)


@transaction.atomic
def task_update(*, task: FollowUpTask, expected_version: int, data: dict[str, Any]) -> FollowUpTask:
    values = _pick(data, TASK_FIELDS)
    _check_task(task.meeting, {"owner_association": task.owner_association, "owner_name": task.owner_name, **values})
    return update_versioned(task, expected_version=expected_version, **values)


# Photos ---------------------------------------------------------------------------------------

PHOTO_FOLDER = Photo.FOLDER


def photo_add(*, meeting: Meeting, uploaded, caption: str = "", form_token: uuid.UUID | None = None) -> Photo:
    """Check and re-encode the file first (nothing is written if it is refused), then store it and
    its row together; a failed transaction removes the file again."""
    image = uploads.clean_image(uploaded)
    return photos.photo_store(Photo(meeting=meeting, caption=caption), image, form_token=form_token)


def photo_update(*, photo: Photo, expected_version: int, caption: str) -> Photo:
    return photos.photo_caption_update(photo=photo, expected_version=expected_version, caption=caption)


def photo_move(*, photo: Photo, expected_version: int, direction: str) -> Photo:
    return photos.photo_move(photo=photo, expected_version=expected_version, direction=direction)


def photo_delete(*, photo: Photo, expected_version: int) -> None:
    photos.photo_delete(photo=photo, expected_version=expected_version)


# Retention ------------------------------------------------------------------------------------


def _sign_in_details_kept():
    """Sign-ins already reduced to "present": at the meeting's start, with no method and no marker."""
    return Q(signed_in_method="", signed_in_by__isnull=True, signed_in_at=F("meeting__starts_at"))


def participant_sign_in_expire(*, before: datetime.datetime, dry_run: bool = False) -> int:
    """Reduce the sign-ins of meetings that started before `before` to the fact of attendance: the time
    becomes the meeting's start, the link or account used and the staff who marked it are forgotten.
    Returns how many sign-ins were (with `dry_run`, would be) reduced; the caller audits the run."""
    expired = Participant.objects.filter(meeting__starts_at__lt=before, signed_in_at__isnull=False).exclude(
        _sign_in_details_kept()
    )
    if dry_run:
        return expired.count()
    with transaction.atomic():
        pks = list(expired.values_list("pk", flat=True))
        start = Meeting.objects.filter(pk=OuterRef("meeting_id")).values("starts_at")[:1]
        for at in range(0, len(pks), 1000):
            Participant.objects.filter(pk__in=pks[at : at + 1000]).update(
                signed_in_at=Subquery(start), signed_in_method="", signed_in_by=None
            )
    return len(pks)
