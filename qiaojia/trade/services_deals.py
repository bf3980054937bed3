"""Every write to introductions (對接), signed projects, the exchange-rate table and the digest settings:
one transaction, audited, the people who must act next told.

An expression of interest is an introduction side A proposes and side B answers; a brokered one is proposed
by the broker and answered by both sides. Once every side agreed the case is "introduced" and its sides see
each other's contact details; then it moves through INTRODUCTION_TRANSITIONS, each move a note."""

import datetime
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from qiaojia.core import context
from qiaojia.core.chinese import initials_key, pinyin_key, search_key
from qiaojia.core.services import ConflictError, create_audited, update_versioned
from qiaojia.members.models import Enterprise, Membership
from qiaojia.notifications.services import notify
from qiaojia.orgs.models import Association
from qiaojia.search.services import index_object

from . import notices, selectors_deals
from .models import Offer, OfferStatus
from .models_deals import (
    CURRENCIES,
    INTRODUCTION_TRANSITIONS,
    PROJECT_TRANSITIONS,
    CurrencyRate,
    DigestSetting,
    Introduction,
    IntroductionNote,
    IntroductionOrigin,
    IntroductionStage,
    ProjectNote,
    SignedProject,
)

OPEN_STAGES = (
    IntroductionStage.PROPOSED,
    IntroductionStage.INTRODUCED,
    IntroductionStage.MET,
    IntroductionStage.NEGOTIATING,
)


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _url(introduction: Introduction) -> str:
    return reverse("trade:introduction-detail", args=[introduction.pk])


def _whose(introduction: Introduction, sides=("a", "b")) -> dict[str, Any]:
    """The notice's matter: the sides named (their associations, their enterprises' contacts, their authors)."""
    associations, people, authors = [], [], []
    for side in sides:
        associations.append(getattr(introduction, f"{side}_association_id"))
        enterprise = getattr(introduction, f"{side}_enterprise")
        people.append(enterprise.representative_id if enterprise is not None else None)
        authors.append(getattr(introduction, f"{side}_user"))
    return {"associations": associations, "people": people, "authors": authors}


def _note(introduction: Introduction, text: str, stage: str = "", by=None) -> IntroductionNote:
    ctx = context.current()
    return IntroductionNote.objects.create(
        introduction=introduction,
        text=text,
        stage=stage,
        author=_user(by),
        author_name=(ctx.username or "")[:150],
    )


def _check_side(association: Association, enterprise: Enterprise | None) -> None:
    if enterprise is None:
        return
    if not Membership.objects.filter(association=association, enterprise=enterprise, left_on__isnull=True).exists():
        raise ValidationError({"posting": _("This enterprise is not a current member of the association.")})


def _published(offer: Offer) -> None:
    if offer.status != OfferStatus.PUBLISHED or offer.valid_until < timezone.localdate():
        raise ValidationError(_("The item is no longer published."))


@transaction.atomic
def interest_express(
    *,
    offer: Offer,
    association: Association,
    enterprise: Enterprise | None,
    message: str,
    by=None,
    form_token: uuid.UUID | None = None,
) -> Introduction:
    """Side A (`association`, for itself or `enterprise`) tells the poster of a published item it is
    interested; the poster's side is told and answers. No contact details change hands yet."""
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Say what interests you and what you propose.")})
    _published(offer)
    _check_side(association, enterprise)
    if association.pk == offer.association_id and (enterprise.pk if enterprise else None) == offer.enterprise_id:
        raise ValidationError(_("This is your own item."))
    open_one = Introduction.objects.filter(
        offer=offer, a_association=association, a_enterprise=enterprise, stage__in=OPEN_STAGES
    )
    if open_one.exists():
        raise ValidationError(_("Your side has already expressed interest in this item."))
    now = timezone.now()
    introduction = create_audited(
        Introduction(
            origin=IntroductionOrigin.INTEREST,
            offer=offer,
            a_association=association,
            a_enterprise=enterprise,
            a_user=_user(by),
            b_association_id=offer.association_id,
            b_enterprise_id=offer.enterprise_id,
            b_user=offer.created_by,
            message=message,
            a_agreed_at=now,
            created_by=_user(by),
        ),
        form_token=form_token,
    )
    _note(introduction, message, IntroductionStage.PROPOSED, by)
    title = offer.title
    notify(
        notices.INTEREST_EXPRESSED,
        subject=lambda u: str(_("An expression of interest awaits your answer")),
        body=lambda u: (
            _("Someone is interested in “%(title)s”: accept to exchange contact details, or decline.")
            % {"title": title}
        ),
        url=_url(introduction),
        **_whose(introduction, ("b",)),
    )
    return introduction


@transaction.atomic
def introduction_broker(
    *, first: Offer, second: Offer, message: str, by=None, form_token: uuid.UUID | None = None
) -> Introduction:
    """A broker (staff, an officer) proposes to introduce the posters of two published items; each side
    consents or declines before anything is exchanged."""
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Say why the two sides should meet.")})
    _published(first)
    _published(second)
    if first.pk == second.pk or (
        first.association_id == second.association_id and first.enterprise_id == second.enterprise_id
    ):
        raise ValidationError(_("Choose an item of another side."))
    if Introduction.objects.filter(offer=second, a_offer=first, stage__in=OPEN_STAGES).exists():
        raise ValidationError(_("These two items are already in an introduction."))
    introduction = create_audited(
        Introduction(
            origin=IntroductionOrigin.BROKERED,
            offer=second,
            a_offer=first,
            a_association_id=first.association_id,
            a_enterprise_id=first.enterprise_id,
            a_user=first.created_by,
            b_association_id=second.association_id,
            b_enterprise_id=second.enterprise_id,
            b_user=second.created_by,
            broker=_user(by),
            message=message,
            created_by=_user(by),
        ),
        form_token=form_token,
    )
    _note(introduction, message, IntroductionStage.PROPOSED, by)
    notify(
        notices.INTRODUCTION_PROPOSED,
        subject=lambda u: str(_("An introduction is proposed to you")),
        body=lambda u: (
            _("“%(first)s” and “%(second)s” could work together: consent to be introduced, or decline.")
            % {"first": first.title, "second": second.title}
        ),
        url=_url(introduction),
        **_whose(introduction),
    )
    return introduction


def _locked(introduction: Introduction, expected_version: int) -> Introduction:
    current = Introduction.objects.select_for_update().filter(pk=introduction.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    return current


@transaction.atomic
def introduction_answer(
    *, introduction: Introduction, expected_version: int, sides: set[str], accept: bool, note: str = "", by=None
) -> Introduction:
    """A side's answer: consent (when every side has, the case is introduced and contact details are
    exchanged) or decline (the case ends, nothing exchanged)."""
    current = _locked(introduction, expected_version)
    if current.stage != IntroductionStage.PROPOSED:
        raise ValidationError(_("This introduction was already answered."))
    sides = {s for s in sides if getattr(current, f"{s}_agreed_at") is None}
    if not sides:
        raise ValidationError(_("Your side has already answered."))
    now = timezone.now()
    values: dict[str, Any] = {f"{s}_agreed_at": now for s in sides} if accept else {}
    a_agreed = values.get("a_agreed_at", current.a_agreed_at)
    b_agreed = values.get("b_agreed_at", current.b_agreed_at)
    if not accept:
        values["stage"] = IntroductionStage.DECLINED
    elif a_agreed and b_agreed:
        values["stage"] = IntroductionStage.INTRODUCED
    for s in sides:
        if getattr(current, f"{s}_user_id") is None and _user(by) is not None:
            values[f"{s}_user"] = by
    moved = update_versioned(current, expected_version=expected_version, **values)
    stage = values.get("stage", "")
    _note(moved, (note or "").strip(), stage, by)
    if stage:
        title = moved.offer.title
        notify(
            notices.INTRODUCTION_ANSWERED,
            subject=lambda u: str(
                _("An introduction was accepted")
                if stage == IntroductionStage.INTRODUCED
                else _("An introduction was declined")
            ),
            body=lambda u: (
                (
                    _("Both sides agreed about “%(title)s”: each now sees the other's contact details.")
                    if stage == IntroductionStage.INTRODUCED
                    else _("The introduction about “%(title)s” was declined.")
                )
                % {"title": title}
            ),
            url=_url(moved),
            **_whose(moved),
        )
    return moved


@transaction.atomic
def introduction_move(
    *, introduction: Introduction, expected_version: int, stage: str = "", note: str = "", by=None
) -> Introduction:
    """A note on the case, moving it to `stage` if given (met, negotiating, signed, closed)."""
    note = (note or "").strip()
    current = _locked(introduction, expected_version)
    if not current.agreed:
        raise ValidationError(_("The introduction has not been accepted by both sides yet."))
    if stage and stage not in INTRODUCTION_TRANSITIONS[current.stage]:
        raise ValidationError(
            _("An introduction that is “%(stage)s” cannot move to that stage.") % {"stage": current.get_stage_display()}
        )
    if not stage and not note:
        raise ValidationError({"note": _("Write a note or choose the next stage.")})
    moved = update_versioned(current, expected_version=expected_version, stage=stage) if stage else current
    _note(moved, note, stage, by)
    if stage:
        title = moved.offer.title
        label = moved.get_stage_display()
        notify(
            notices.INTRODUCTION_MOVED,
            subject=lambda u: str(_("An introduction moved on")),
            body=lambda u: (
                _("The introduction about “%(title)s” is now: %(stage)s.") % {"title": title, "stage": label}
            ),
            url=_url(moved),
            **_whose(moved),
        )
    return moved


# Exchange rates and signed projects ----------------------------------------------------------------


@transaction.atomic
def rate_create(*, currency: str, rate: Decimal, effective_from: datetime.date) -> CurrencyRate:
    """A new row of the rate table: yuan per unit of `currency` from `effective_from` on."""
    currency = (currency or "").upper()
    if currency not in CURRENCIES or currency == "CNY":
        raise ValidationError({"currency": _("Choose a currency from the list.")})
    if CurrencyRate.objects.filter(currency=currency, effective_from=effective_from).exists():
        raise ValidationError({"effective_from": _("This currency already has a rate from that day.")})
    return create_audited(CurrencyRate(currency=currency, rate=rate, effective_from=effective_from))


PROJECT_FIELDS = ("title", "parties", "kind", "amount", "currency", "city", "country", "signed_on", "event")


def _project_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in PROJECT_FIELDS if k in data}
    if "currency" in values and values["currency"] not in CURRENCIES:
        raise ValidationError({"currency": _("Choose a currency from the list.")})
    if "title" in values:
        values["title_key"] = search_key(values["title"])[:200]
        values["title_pinyin"] = pinyin_key(values["title"])[:800]
        values["title_initials"] = initials_key(values["title"])[:200]
    return values


def _check_place(project: SignedProject) -> None:
    if bool(project.city) == bool(project.country):
        raise ValidationError({"city": _("Give either a city in Henan or a country abroad.")})


@transaction.atomic
def project_create(
    *,
    association: Association,
    data: dict[str, Any],
    introduction: Introduction | None = None,
    by=None,
    form_token: uuid.UUID | None = None,
) -> SignedProject:
    """Record a signed project of `association`; from an introduction, that case is marked signed."""
    values = _project_values(data)
    if introduction is not None:
        if not introduction.agreed:
            raise ValidationError(_("The introduction has not been accepted by both sides yet."))
        if association.pk not in (introduction.a_association_id, introduction.b_association_id):
            raise ValidationError(_("The project is recorded by one of the introduction's associations."))
    project = SignedProject(association=association, introduction=introduction, created_by=_user(by), **values)
    _check_place(project)
    project = create_audited(project, form_token=form_token)
    index_object(project)
    if introduction is not None and IntroductionStage.SIGNED in INTRODUCTION_TRANSITIONS[introduction.stage]:
        introduction_move(
            introduction=introduction,
            expected_version=introduction.version,
            stage=IntroductionStage.SIGNED,
            note=str(_("Signed project recorded: %(title)s") % {"title": project.title}),
            by=by,
        )
    return project


@transaction.atomic
def project_update(*, project: SignedProject, expected_version: int, data: dict[str, Any]) -> SignedProject:
    values = _project_values(data)
    current = SignedProject.objects.select_for_update().filter(pk=project.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    for k, v in values.items():
        setattr(current, k, v)
    _check_place(current)
    project = update_versioned(project, expected_version=expected_version, **values)
    index_object(project)
    return project


@transaction.atomic
def project_follow_up(
    *, project: SignedProject, expected_version: int, stage: str = "", note: str = "", by=None
) -> SignedProject:
    """A follow-up note, moving the project on (signed → started → in operation) if `stage` is given."""
    note = (note or "").strip()
    if stage and stage not in PROJECT_TRANSITIONS[project.stage]:
        raise ValidationError(
            _("A project that is “%(stage)s” cannot move to that stage.") % {"stage": project.get_stage_display()}
        )
    if not stage and not note:
        raise ValidationError({"note": _("Write a note or choose the next stage.")})
    current = SignedProject.objects.select_for_update().filter(pk=project.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    moved = update_versioned(current, expected_version=expected_version, stage=stage) if stage else current
    ProjectNote.objects.create(
        project=moved, text=note, stage=stage, author=_user(by), author_name=(context.current().username or "")[:150]
    )
    return moved


DIGEST_INTRO = _("Published this week and matching what your side posted:")


# The weekly digest --------------------------------------------------------------------------------


@transaction.atomic
def digest_setting_save(*, user, weekly: bool) -> DigestSetting:
    setting, _created = DigestSetting.objects.select_for_update().get_or_create(user=user)
    if setting.weekly != weekly:
        setting.weekly = weekly
        setting.save(update_fields=["weekly"])
    return setting


def _digest_subject(count: int) -> Callable[[Any], str]:
    def subject(user: Any) -> str:
        return ngettext("%(count)d new match for your items", "%(count)d new matches for your items", count) % {
            "count": count
        }

    return subject


def _digest_body(text: str) -> Callable[[Any], str]:
    def body(user: Any) -> str:
        return f"{DIGEST_INTRO}\n{text}"

    return body


def digest_send(*, now: datetime.datetime | None = None, days: int = 7) -> int:
    """The weekly task: each user who manages a published item and has not switched the digest off hears,
    by notice and e-mail, of the items published in the last `days` that match theirs. Returns how many
    users were told."""
    now = now or timezone.now()
    told = 0
    for user, matches in selectors_deals.digest_matches(since=now - datetime.timedelta(days=days)).items():
        with transaction.atomic():
            setting, _created = DigestSetting.objects.select_for_update().get_or_create(user=user)
            if not setting.weekly or (setting.last_sent_at and setting.last_sent_at > now - datetime.timedelta(days=6)):
                continue
            lines = [f"· {new.title} → {own.title}" for own, new in matches[:20]]
            notify(
                notices.WEEKLY_DIGEST,
                subject=_digest_subject(len(matches)),
                body=_digest_body("\n".join(lines)),
                url=reverse("trade:offer-list") + "?mine=1",
                user=user,
            )
            DigestSetting.objects.filter(pk=setting.pk).update(last_sent_at=now)
            told += 1
    return told
