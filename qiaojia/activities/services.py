"""Every write to activities. Each service is one transaction with its audit rows.

Photos are checked and re-encoded before anything is written, so a refused file leaves nothing
behind; a file stored for a row that then fails is removed again."""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qiaojia.core import photos as core_photos
from qiaojia.core import uploads
from qiaojia.core.formats import date_text
from qiaojia.core.models import AuditAction
from qiaojia.core.services import (
    ConflictError,
    audit_log,
    claim_form_token,
    create_audited,
    delete_audited,
    update_versioned,
)
from qiaojia.core.storage import files_atomic
from qiaojia.cycle import services as cycle_services
from qiaojia.cycle.models import PlanItem, PlanItemStatus
from qiaojia.members.models import Membership, Person
from qiaojia.notifications.services import notify
from qiaojia.orgs.models import Association, AssociationStatus

from .models import (
    ACTIVE_REGISTRATION,
    Activity,
    ActivityKind,
    ActivityPhoto,
    ActivityRegistration,
    CoOrganiser,
    CoOrganiserStatus,
    RegistrationStatus,
)
from .notices import CO_ORGANISER_ANSWERED, CO_ORGANISER_INVITED

PHOTO_FOLDER = ActivityPhoto.FOLDER
ACTIVITY_FIELDS = (
    "title",
    "kind",
    "starts_on",
    "ends_on",
    "place",
    "city",
    "country",
    "partner",
    "description",
    "outcome",
    "other_participants",
    "is_public",
    "registration_open",
    "registration_capacity",
    "registration_closes_at",
)
# A plan item in one of these states takes no more progress from an activity.
CLOSED_ITEM_STATUSES = (PlanItemStatus.CARRIED_OVER, PlanItemStatus.DROPPED)
MAX_PHOTOS_PER_SUBMIT = 12


def _pick(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in ACTIVITY_FIELDS if k in data}


def _check_values(association: Association, values: dict[str, Any], current: Activity | None = None) -> None:
    starts = values.get("starts_on", current.starts_on if current else None)
    ends = values.get("ends_on", current.ends_on if current else None)
    if starts and ends and ends < starts:
        raise ValidationError({"ends_on": _("The activity cannot end before it starts.")})
    partner = values.get("partner")
    if partner is not None and partner.association_id != association.pk:
        raise ValidationError({"partner": _("Choose a partner organisation of this association.")})
    _check_registration(values, current)
    kind = values.get("kind", current.kind if current else None)
    if kind == ActivityKind.PARTNER_LIAISON and values.get("partner", current.partner if current else None) is None:
        raise ValidationError({"partner": _("Name the partner organisation met.")})


def _check_registration(values: dict[str, Any], current: Activity | None) -> None:
    """Open to registration needs its places and closing time; places never fall below those taken."""

    def value(name):
        return values[name] if name in values else getattr(current, name, None)

    capacity = value("registration_capacity")
    if value("registration_open"):
        if not capacity:
            raise ValidationError({"registration_capacity": _("Say how many places are open for registration.")})
        if not value("registration_closes_at"):
            raise ValidationError({"registration_closes_at": _("Say when registration closes.")})
    if current is not None and capacity:
        taken = current.registrations.filter(status__in=ACTIVE_REGISTRATION).count()
        if capacity < taken:
            raise ValidationError(
                {
                    "registration_capacity": _("%(n)s members have registered already: keep at least as many places.")
                    % {"n": taken}
                }
            )


def _check_members(association: Association, members: Iterable[Person]) -> list[Person]:
    chosen = list(members or [])
    if not chosen:
        return chosen
    ids = {p.pk for p in chosen}
    known = set(
        Membership.objects.filter(association=association, person_id__in=ids).values_list("person_id", flat=True)
    )
    if ids - known:
        raise ValidationError({"members": _("Choose members of this association.")})
    return chosen


def _check_plan_items(
    association: Association, items: Iterable[PlanItem], starts_on, linked: frozenset[int] = frozenset()
) -> list[PlanItem]:
    """The chosen plan items, checked; those `linked` already stay whatever their year or state now."""
    chosen = list(items or [])
    if not chosen:
        return chosen
    rows = {i.pk: i for i in PlanItem.objects.filter(pk__in=[i.pk for i in chosen]).select_related("report")}
    for item in chosen:
        row = rows.get(item.pk)
        if row is None or row.report.association_id != association.pk:
            raise ValidationError({"plan_items": _("Choose plan items of this association.")})
        if row.pk in linked:
            continue
        if starts_on and row.report.plan_year != starts_on.year:
            raise ValidationError(
                {
                    "plan_items": _("Choose plan items of the plan for %(year)s, the year of the activity.")
                    % {"year": starts_on.year}
                }
            )
        if row.status in CLOSED_ITEM_STATUSES:
            raise ValidationError(
                {
                    "plan_items": _("“%(item)s” was carried over or dropped; it takes no more progress.")
                    % {"item": row.title}
                }
            )
    return [rows[i.pk] for i in chosen]


def _check_progress(status: str | None, percent: int | None) -> None:
    if status and (status not in PlanItemStatus.values or status in CLOSED_ITEM_STATUSES):
        raise ValidationError({"progress_status": _("Choose a status.")})
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError({"progress_percent": _("The progress is a percentage from 0 to 100.")})


def _clean_photos(photos: Sequence[tuple[Any, str]]) -> list[tuple[uploads.CleanImage, str]]:
    """Every photo checked and re-encoded before anything is stored; the first refusal says which one."""
    if len(photos) > MAX_PHOTOS_PER_SUBMIT:
        raise ValidationError({"photos": _("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS_PER_SUBMIT}})
    cleaned = []
    for uploaded, caption in photos:
        try:
            cleaned.append((uploads.clean_image(uploaded), (caption or "").strip()[:200]))
        except ValidationError as exc:
            name = getattr(uploaded, "name", "") or ""
            raise ValidationError(
                {"photos": [_("%(name)s: %(reason)s") % {"name": name, "reason": m} for m in exc.messages]}
            ) from exc
    return cleaned


def _store_photos(activity: Activity, cleaned: list[tuple[uploads.CleanImage, str]]) -> list[ActivityPhoto]:
    """Write the files and their rows, inside the caller's `files_atomic` (its rollback deletes the files)."""
    order = activity.photos.aggregate(n=Max("order"))["n"] or 0
    photos = []
    for image, caption in cleaned:
        order += 1
        photo = ActivityPhoto(activity=activity, caption=caption, order=order)
        photos.append(core_photos.photo_store(photo, image))
    return photos


def progress_note(activity: Activity) -> str:
    """The line a linked plan item's progress shows: the activity's title and date."""
    note = gettext("Activity: %(title)s (%(date)s)") % {"title": activity.title, "date": date_text(activity.starts_on)}
    return note[:300]


def _record_progress(activity: Activity, items: list[PlanItem], status: str | None, percent: int | None, user) -> None:
    for item in items:
        item_status = status or (
            item.status
            if item.status in (PlanItemStatus.IN_PROGRESS, PlanItemStatus.DONE, PlanItemStatus.DELAYED)
            else PlanItemStatus.IN_PROGRESS
        )
        cycle_services.progress_record(
            item=item,
            note=progress_note(activity),
            status=item_status,
            percent=item.percent if percent is None else percent,
            user=user,
            activity=activity,
        )


def _set_m2m(activity: Activity, field: str, chosen: list) -> list:
    """Replace a many-to-many list and audit the change; returns the objects newly added."""
    manager = getattr(activity, field)
    before = set(manager.values_list("pk", flat=True))
    after = {obj.pk for obj in chosen}
    if before != after:
        manager.set(chosen)
        audit_log(action=AuditAction.UPDATE, instance=activity, changes={field: [sorted(before), sorted(after)]})
    return [obj for obj in chosen if obj.pk not in before]


def activity_create(
    *,
    association: Association,
    data: dict[str, Any],
    members: Iterable[Person] = (),
    plan_items: Iterable[PlanItem] = (),
    progress_status: str | None = None,
    progress_percent: int | None = None,
    photos: Sequence[tuple[Any, str]] = (),
    user=None,
    form_token: uuid.UUID | None = None,
) -> Activity:
    """Record an activity with its participants and photos in one step; each linked plan item gets a
    progress note naming the activity (status and percentage as chosen, by default in progress at its
    current percentage)."""
    values = _pick(data)
    _check_values(association, values)
    chosen_members = _check_members(association, members)
    chosen_items = _check_plan_items(association, plan_items, values.get("starts_on"))
    _check_progress(progress_status, progress_percent)
    cleaned = _clean_photos(photos)
    with files_atomic():
        activity = Activity(
            association=association,
            created_by=user if user is not None and user.is_authenticated else None,
            **values,
        )
        create_audited(activity, form_token=form_token)
        _set_m2m(activity, "members", chosen_members)
        _set_m2m(activity, "plan_items", chosen_items)
        _record_progress(activity, chosen_items, progress_status, progress_percent, user)
        _store_photos(activity, cleaned)
    return activity


def activity_update(
    *,
    activity: Activity,
    expected_version: int,
    data: dict[str, Any],
    members: Iterable[Person] = (),
    plan_items: Iterable[PlanItem] = (),
    progress_status: str | None = None,
    progress_percent: int | None = None,
    photos: Sequence[tuple[Any, str]] = (),
    user=None,
) -> Activity:
    """Save the edits; plan items newly linked get their progress note, items unlinked keep theirs."""
    association = activity.association
    values = _pick(data)
    _check_values(association, values, activity)
    chosen_members = _check_members(association, members)
    linked = frozenset(activity.plan_items.values_list("pk", flat=True))
    chosen_items = _check_plan_items(association, plan_items, values.get("starts_on", activity.starts_on), linked)
    _check_progress(progress_status, progress_percent)
    cleaned = _clean_photos(photos)
    with files_atomic():
        activity = update_versioned(activity, expected_version=expected_version, **values)
        _set_m2m(activity, "members", chosen_members)
        added = _set_m2m(activity, "plan_items", chosen_items)
        _record_progress(activity, added, progress_status, progress_percent, user)
        _store_photos(activity, cleaned)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, expected_version: int) -> None:
    """Remove the activity and its photos; the progress notes it left on plan items stay, as text."""
    current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
    if current is None:
        raise ConflictError()
    for photo in current.photos.all():
        core_photos.photo_delete(photo=photo)
    delete_audited(current, expected_version=expected_version)


def photo_add(
    *, activity: Activity, photos: Sequence[tuple[Any, str]], form_token: uuid.UUID | None = None
) -> list[ActivityPhoto]:
    """Add one or more photos, each with its caption; all are refused if one is."""
    if not photos:
        raise ValidationError({"photos": _("Choose at least one photo.")})
    cleaned = _clean_photos(photos)
    with files_atomic():
        if form_token:
            # One submission adds its photos once: the token is claimed with a marker row's type.

            submission = claim_form_token(form_token, ActivityPhoto)
        Activity.objects.select_for_update().filter(pk=activity.pk).first()  # one numbering at a time
        added = _store_photos(activity, cleaned)
        if form_token and submission is not None:
            type(submission).objects.filter(pk=submission.pk).update(object_id=str(activity.pk))
    return added


def photo_update(*, photo: ActivityPhoto, expected_version: int, caption: str) -> ActivityPhoto:
    return core_photos.photo_caption_update(photo=photo, expected_version=expected_version, caption=caption)


def photo_move(*, photo: ActivityPhoto, expected_version: int, direction: str) -> ActivityPhoto:
    return core_photos.photo_move(photo=photo, expected_version=expected_version, direction=direction)


def photo_delete(*, photo: ActivityPhoto, expected_version: int) -> None:
    core_photos.photo_delete(photo=photo, expected_version=expected_version)


# Members' own registrations ------------------------------------------------------------------


def _lock_activity(activity: Activity) -> Activity:
    """The activity's row, locked: registrations for one activity are counted and written one at a time."""
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _check_open(activity: Activity) -> None:
    if not activity.registration_open:
        raise ValidationError(_("This activity does not take registrations."))
    if activity.registration_closes_at is None or timezone.now() > activity.registration_closes_at:
        raise ValidationError(_("Registration for this activity has closed."))


@transaction.atomic
def registration_create(*, activity: Activity, person: Person, by=None) -> ActivityRegistration:
    """Register `person` for `activity`: only a current member of its association, while registration is open,
    while places are left. A cancelled registration is taken up again."""
    locked = _lock_activity(activity)
    _check_open(locked)
    if not Membership.objects.filter(
        association_id=locked.association_id, person=person, left_on__isnull=True
    ).exists():
        raise ValidationError(_("Only members of %(association)s can register.") % {"association": locked.association})
    existing = ActivityRegistration.objects.filter(activity=locked, person=person).first()
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        raise ValidationError(_("You have already registered for this activity."))
    taken = ActivityRegistration.objects.filter(activity=locked, status__in=ACTIVE_REGISTRATION).count()
    if taken >= (locked.registration_capacity or 0):
        raise ValidationError(
            _("This activity is full: all %(n)s places are taken.") % {"n": locked.registration_capacity}
        )
    now = timezone.now()
    by = by if by is not None and by.is_authenticated else None
    if existing is not None:
        return update_versioned(
            existing,
            expected_version=existing.version,
            status=RegistrationStatus.REGISTERED,
            registered_at=now,
            registered_by=by,
        )
    registration = ActivityRegistration(activity=locked, person=person, registered_at=now, registered_by=by)
    return create_audited(registration)


@transaction.atomic
def registration_cancel(*, registration: ActivityRegistration, expected_version: int) -> ActivityRegistration:
    """The member gives their place up, while registration is open and before attendance is taken."""
    _check_open(_lock_activity(registration.activity))
    if registration.status != RegistrationStatus.REGISTERED:
        raise ValidationError(_("Only a registration not yet marked at the activity can be cancelled."))
    return update_versioned(registration, expected_version=expected_version, status=RegistrationStatus.CANCELLED)


@transaction.atomic
def registration_attendance(
    *, activity: Activity, expected_version: int, attended: Iterable[ActivityRegistration]
) -> Activity:
    """Take attendance from the registrations: those ticked came, the other registered members did not. Those who
    came are among the activity's members taking part; registered members marked absent are not."""
    locked = _lock_activity(activity)
    if locked.version != expected_version:
        raise ConflictError()
    came = {r.pk for r in attended}
    rows = list(locked.registrations.filter(status__in=ACTIVE_REGISTRATION).select_related("person"))
    unknown = came - {r.pk for r in rows}
    if unknown:
        raise ValidationError({"attended": _("Choose members registered for this activity.")})
    for row in rows:
        status = RegistrationStatus.ATTENDED if row.pk in came else RegistrationStatus.ABSENT
        if row.status != status:
            update_versioned(row, expected_version=row.version, status=status)
    registered = {r.person_id for r in rows}
    current = set(locked.members.values_list("pk", flat=True))
    wanted = (current - registered) | {r.person_id for r in rows if r.pk in came}
    _set_m2m(locked, "members", list(Person.objects.filter(pk__in=wanted)))
    return update_versioned(locked, expected_version=expected_version)


# Co-organisers -----------------------------------------------------------------------------------

# Who answers: the invited association moves its own row; the host only invites and removes.
CO_ORGANISER_ANSWERS: dict[str, tuple[str, ...]] = {
    CoOrganiserStatus.INVITED: (CoOrganiserStatus.CONFIRMED, CoOrganiserStatus.DECLINED),
    CoOrganiserStatus.CONFIRMED: (CoOrganiserStatus.DECLINED,),
    CoOrganiserStatus.DECLINED: (CoOrganiserStatus.CONFIRMED,),
}


@transaction.atomic
def co_organiser_invite(*, activity: Activity, association: Association, user=None) -> CoOrganiser:
    """Ask another active association to co-organise the activity; its officers are told and confirm."""
    if association.pk == activity.association_id:
        raise ValidationError({"association": _("The host association organises the activity already.")})
    if association.status != AssociationStatus.ACTIVE:
        raise ValidationError({"association": _("Choose an active association.")})
    Activity.objects.select_for_update().filter(pk=activity.pk).first()  # one invitation at a time
    if CoOrganiser.objects.filter(activity=activity, association=association).exists():
        raise ValidationError({"association": _("This association was asked already.")})
    row = create_audited(CoOrganiser(activity=activity, association=association))
    url = reverse("activities:activity-detail", args=[activity.pk])
    notify(
        CO_ORGANISER_INVITED,
        association=association,
        params={"host": activity.association.name, "title": activity.title, "date": activity.starts_on},
        url=url,
    )
    return row


@transaction.atomic
def co_organiser_answer(*, row: CoOrganiser, expected_version: int, status: str, user=None) -> CoOrganiser:
    """The invited association confirms (the activity then counts in its report) or declines."""
    if status not in CO_ORGANISER_ANSWERS.get(row.status, ()):
        raise ValidationError(_("This answer is not possible now."))
    row = update_versioned(
        row,
        expected_version=expected_version,
        status=status,
        responded_by=user if user is not None and user.is_authenticated else None,
        responded_at=timezone.now(),
    )
    activity = row.activity
    notify(
        CO_ORGANISER_ANSWERED,
        association=activity.association,
        params={"association": row.association.name, "answer": status, "title": activity.title},
        url=reverse("activities:activity-detail", args=[activity.pk]),
    )
    return row


@transaction.atomic
def co_organiser_remove(*, row: CoOrganiser, expected_version: int) -> None:
    """The host takes a co-organiser off the activity; it no longer sees or counts it."""
    current = CoOrganiser.objects.select_for_update().filter(pk=row.pk).first()
    if current is None:
        raise ConflictError()
    delete_audited(current, expected_version=expected_version)
