"""Every write to trade profiles, offers and needs, their files and match keys: one transaction, audited.

An item moves through OFFER_TRANSITIONS, one service per move. Publishing writes its match keys and
leaving publication (withdrawn, expired) removes them, so the matching reads published items only."""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiaojia.core import storage
from qiaojia.core.bulk import insert_rows
from qiaojia.core.chinese import initials_key, pinyin_key, search_key
from qiaojia.core.services import (
    ConflictError,
    create_audited,
    create_audited_bulk,
    delete_audited,
    update_versioned,
)
from qiaojia.cycle import files as checked_files
from qiaojia.members.models import Enterprise, Membership
from qiaojia.notifications.services import notify
from qiaojia.orgs.models import Association
from qiaojia.search.services import index_new_objects, index_object

from . import industries, matching, notices
from .models import (
    EDITABLE,
    OFFER_TRANSITIONS,
    MatchToken,
    Offer,
    OfferAttachment,
    OfferStatus,
    TradeProfile,
)

PROFILE_FIELDS = ("division", "products", "countries", "size_band", "overseas_presence", "listed")
OFFER_FIELDS = (
    "kind",
    "title",
    "description",
    "keywords",
    "division",
    "countries",
    "amount_band",
    "valid_from",
    "valid_until",
    "public",
)


def _pick(data: dict[str, Any], fields) -> dict[str, Any]:
    return {k: data[k] for k in fields if k in data}


def _division(values: dict[str, Any]) -> None:
    if "division" in values:
        division = values["division"] or ""
        if division and division not in industries.SECTION_OF:
            raise ValidationError({"division": _("Choose an industry from the list.")})
        values["section"] = industries.SECTION_OF.get(division, "")


# Trade profiles ---------------------------------------------------------------------------------


@transaction.atomic
def profile_save(*, enterprise: Enterprise, data: dict[str, Any], expected_version: int | None = None) -> TradeProfile:
    """Create the enterprise's trade profile, or change it (the version it was read at is checked)."""
    values = _pick(data, PROFILE_FIELDS)
    _division(values)
    current = TradeProfile.objects.select_for_update().filter(enterprise=enterprise).first()
    if current is None:
        profile = create_audited(TradeProfile(enterprise=enterprise, **values))
    else:
        if expected_version is None:
            raise ConflictError()
        profile = update_versioned(current, expected_version=expected_version, **values)
    profile.enterprise = enterprise
    index_object(profile)
    return profile


# Offers and needs -------------------------------------------------------------------------------


def _keys(values: dict[str, Any]) -> None:
    if "title" in values:
        values["title_key"] = search_key(values["title"])[:200]
        values["title_pinyin"] = pinyin_key(values["title"])[:800]
        values["title_initials"] = initials_key(values["title"])[:200]


def _check(values: dict[str, Any], current: Offer | None = None) -> None:
    starts = values.get("valid_from", current.valid_from if current else None)
    ends = values.get("valid_until", current.valid_until if current else None)
    if starts and ends and ends < starts:
        raise ValidationError({"valid_until": _("The item cannot stop being valid before it starts.")})


def _check_enterprise(association: Association, enterprise: Enterprise | None) -> None:
    if enterprise is None:
        return
    current = Membership.objects.filter(association=association, enterprise=enterprise, left_on__isnull=True)
    if not current.exists():
        raise ValidationError({"enterprise": _("This enterprise is not a current member of the association.")})


@transaction.atomic
def offer_create(
    *,
    association: Association,
    enterprise: Enterprise | None,
    data: dict[str, Any],
    by=None,
    form_token: uuid.UUID | None = None,
) -> Offer:
    """A new offer or need, as a draft of the association it is posted through."""
    values = _pick(data, OFFER_FIELDS)
    _check(values)
    _check_enterprise(association, enterprise)
    _division(values)
    _keys(values)
    offer = create_audited(
        Offer(
            association=association,
            enterprise=enterprise,
            created_by=by if by is not None and by.is_authenticated else None,
            **values,
        ),
        form_token=form_token,
    )
    index_object(offer)
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, expected_version: int, data: dict[str, Any]) -> Offer:
    """Change a draft, or an item returned for changes."""
    if offer.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned item can be changed; withdraw it and post it again."))
    values = _pick(data, OFFER_FIELDS)
    _check(values, offer)
    _division(values)
    _keys(values)
    offer = update_versioned(offer, expected_version=expected_version, **values)
    index_object(offer)
    return offer


def _move(offer: Offer, expected_version: int, status: str, **values: Any) -> Offer:
    current = Offer.objects.select_for_update().filter(pk=offer.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    if status not in OFFER_TRANSITIONS.get(current.status, ()):
        raise ValidationError(
            _("An item that is “%(status)s” cannot be changed to that status.")
            % {"status": current.get_status_display()}
        )
    moved = update_versioned(current, expected_version=expected_version, status=status, **values)
    index_object(moved)
    return moved


def _url(offer: Offer) -> str:
    return reverse("trade:offer-detail", args=[offer.pk])


@transaction.atomic
def offer_submit(*, offer: Offer, expected_version: int) -> Offer:
    """Send the item to its association's officers for review."""
    if offer.valid_until < timezone.localdate():
        raise ValidationError(_("The item's validity has already ended: change its dates before submitting it."))
    if not offer.division:
        raise ValidationError(_("Choose the item's industry before submitting it."))
    moved = _move(offer, expected_version, OfferStatus.SUBMITTED, submitted_at=timezone.now(), return_reason="")
    title = moved.title
    notify(
        notices.OFFER_SUBMITTED,
        association=moved.association_id,
        subject=lambda u: str(_("An offer or need awaits review")),
        body=lambda u: _("“%(title)s” was submitted for review.") % {"title": title},
        url=_url(moved),
    )
    return moved


@transaction.atomic
def offer_publish(*, offer: Offer, expected_version: int, by=None) -> Offer:
    """The association's officer approves the item: every logged-in member of every association sees it,
    and it is matched from now on."""
    if offer.valid_until < timezone.localdate():
        raise ValidationError(_("The item's validity has already ended: return it so that its dates are changed."))
    moved = _move(offer, expected_version, OfferStatus.PUBLISHED, published_at=timezone.now(), reviewed_by=by)
    MatchToken.objects.filter(offer_id=moved.pk).delete()
    MatchToken.objects.bulk_create(matching.token_rows(moved))
    title = moved.title
    notify(
        notices.OFFER_PUBLISHED,
        association=moved.association_id,
        author=moved.created_by,
        subject=lambda u: str(_("An offer or need was published")),
        body=lambda u: _("“%(title)s” is now seen by the members of every association.") % {"title": title},
        url=_url(moved),
    )
    return moved


@transaction.atomic
def offer_return(*, offer: Offer, expected_version: int, reason: str, by=None) -> Offer:
    """The officer sends the item back for changes, saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what should be changed.")})
    moved = _move(offer, expected_version, OfferStatus.RETURNED, return_reason=reason, reviewed_by=by)
    title = moved.title
    notify(
        notices.OFFER_RETURNED,
        association=moved.association_id,
        author=moved.created_by,
        subject=lambda u: str(_("An offer or need was returned for changes")),
        body=lambda u: _("“%(title)s” was returned: %(reason)s") % {"title": title, "reason": reason},
        url=_url(moved),
    )
    return moved


@transaction.atomic
def offer_withdraw(*, offer: Offer, expected_version: int) -> Offer:
    moved = _move(offer, expected_version, OfferStatus.WITHDRAWN)
    MatchToken.objects.filter(offer_id=moved.pk).delete()
    return moved


@transaction.atomic
def offers_expire(*, today: datetime.date | None = None) -> int:
    """The daily task: published items whose validity ended leave publication (and the matching)."""
    today = today or timezone.localdate()
    due = list(
        Offer.objects.select_for_update().filter(status=OfferStatus.PUBLISHED, valid_until__lt=today).order_by("pk")
    )
    for offer in due:
        update_versioned(offer, expected_version=offer.version, status=OfferStatus.EXPIRED)
        index_object(offer)
    MatchToken.objects.filter(offer_id__in=[o.pk for o in due]).delete()
    return len(due)


@transaction.atomic
def offers_bulk_publish(*, association: Association, rows: list[dict[str, Any]], by=None) -> list[int]:
    """Many published items at once (scale data, demo), as `offer_create` and `offer_publish` would leave
    them: the rows, their audit rows, their search entries and their match keys."""
    now = timezone.now()
    values = []
    for row in rows:
        item = _pick(row, OFFER_FIELDS)
        _check(item)
        _division(item)
        _keys(item)
        countries = item.pop("countries", []) or []
        item["countries"] = ",".join(str(c) for c in countries)
        values.append(
            {
                "association_id": association.pk,
                "enterprise_id": getattr(row.get("enterprise"), "pk", row.get("enterprise")),
                "status": OfferStatus.PUBLISHED,
                "published_at": row.get("published_at", now),
                "submitted_at": row.get("published_at", now),
                "reviewed_by_id": getattr(by, "pk", None),
                "created_by_id": getattr(by, "pk", None),
                **item,
            }
        )
    records = create_audited_bulk(Offer, values, now=now)
    index_new_objects(records, Offer)
    tokens = []
    for record in records:
        codes = [c for c in record.countries.split(",") if c]
        for token in matching.tokens_of(
            division=record.division, countries=codes, title=record.title, keywords=record.keywords
        ):
            tokens.append((record.pk, record.kind, token))
    insert_rows(MatchToken, ("offer_id", "kind", "token"), tokens)
    return [r.pk for r in records]


# Files -----------------------------------------------------------------------------------------


@storage.files_atomic()
def attachment_add(*, offer: Offer, uploaded, by=None) -> OfferAttachment:
    """Attach a checked PDF or image to a draft or returned item."""
    if offer.status not in EDITABLE:
        raise ValidationError(_("Files can be added while the item is a draft or returned for changes."))
    content, content_type, extension = checked_files.clean_upload(uploaded)
    name = storage.save_new(f"{OfferAttachment.FOLDER}/{uuid.uuid4().hex}{extension}", content)
    attachment = OfferAttachment(
        offer=offer,
        file=name,
        original_name=checked_files.original_name(uploaded, extension),
        content_type=content_type,
        size=len(content),
        created_by=by if by is not None and by.is_authenticated else None,
    )
    return create_audited(attachment)


@transaction.atomic
def attachment_delete(*, attachment: OfferAttachment) -> None:
    if attachment.offer.status not in EDITABLE:
        raise ValidationError(_("Files can be removed while the item is a draft or returned for changes."))
    name = attachment.file.name
    delete_audited(attachment)
    storage.delete_on_commit(name)
