"""What the members app holds about a person, for their copy and their erasure (see `rights`)."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import ConsentWithdrawal, Enterprise, Membership, PendingMembership, PersonMerge
from .rights import field_label, register_subject_data

register_subject_data(
    "members.memberships",
    label=_("Memberships"),
    model=Membership,
    order=10,
    records=lambda person: (
        Membership.objects.filter(person=person).select_related("association").order_by("-joined_on", "id")
    ),
    columns=(
        ("association", _("Association")),
        ("level", _("Level")),
        ("joined_on", _("Joined")),
        ("left_on", _("Left")),
        ("dues_status", _("Dues")),
    ),
    row=lambda m: {
        "association": m.association.name,
        "level": m.get_level_display(),
        "joined_on": m.joined_on,
        "left_on": m.left_on,
        "dues_status": m.get_dues_status_display(),
    },
)

register_subject_data(
    "members.enterprises",
    label=_("Enterprises"),
    model=Enterprise,
    order=11,
    audit=False,
    records=lambda person: Enterprise.objects.filter(representative=person).order_by("id"),
    columns=(("name", _("Enterprise")), ("credit_code", _("Unified social credit code")), ("role", _("Role"))),
    row=lambda e: {
        "name": e.name,
        "credit_code": e.credit_code or "",
        "role": str(field_label(Enterprise, "representative")),
    },
)


def _erase_merges(person, label: str) -> int:
    # The merged records were this person too: their kept copies go the same way.
    return PersonMerge.objects.filter(survivor=person).update(
        merged_name=label, merged_snapshot={}, kept_from_merged=[]
    )


register_subject_data(
    "members.merges",
    label=_("Merged records"),
    model=PersonMerge,
    order=12,
    audit=False,
    records=lambda person: PersonMerge.objects.filter(survivor=person).order_by("merged_at", "id"),
    columns=(
        ("merged_person_id", field_label(PersonMerge, "merged_person_id")),
        ("merged_name", field_label(PersonMerge, "merged_name")),
        ("merged_at", _("Time")),
        ("merged_by", _("User")),
        ("snapshot", _("Record")),
    ),
    row=lambda m: {
        "merged_person_id": m.merged_person_id,
        "merged_name": m.merged_name,
        "merged_at": m.merged_at,
        "merged_by": m.merged_by_username,
        "snapshot": ", ".join(f"{k}: {v}" for k, v in m.merged_snapshot.items() if v not in (None, "")),
    },
    erase=_erase_merges,
)


def _erase_withdrawal_notes(person, label: str) -> int:
    return ConsentWithdrawal.objects.filter(person=person).exclude(note="").update(note="")


register_subject_data(
    "members.consent_withdrawals",
    label=capfirst(ConsentWithdrawal._meta.verbose_name_plural),
    model=ConsentWithdrawal,
    order=13,
    audit_personal=("note",),
    records=lambda person: (
        ConsentWithdrawal.objects.filter(person=person).select_related("recorded_by").order_by("withdrawn_at", "id")
    ),
    columns=tuple(
        (name, field_label(ConsentWithdrawal, name))
        for name in ("consent_version", "consent_given_at", "withdrawn_at", "recorded_by", "note")
    ),
    row=lambda w: {
        "consent_version": w.consent_version,
        "consent_given_at": w.consent_given_at,
        "withdrawn_at": w.withdrawn_at,
        "recorded_by": w.recorded_by.username if w.recorded_by else "",
        "note": w.note,
    },
    erase=_erase_withdrawal_notes,
)


def _erase_pending(person, label: str) -> int:
    # What an officer typed when asking to register this person is theirs too.
    return PendingMembership.objects.filter(person=person).update(submitted={"name": label})


register_subject_data(
    "members.pending_memberships",
    label=_("Memberships awaiting confirmation"),
    model=PendingMembership,
    order=14,
    audit_personal=("submitted",),
    records=lambda person: (
        PendingMembership.objects.filter(person=person).select_related("association").order_by("created_at", "id")
    ),
    columns=(
        ("association", _("Association")),
        ("level", _("Level")),
        ("joined_on", _("Joined")),
        ("status", _("Status")),
        ("submitted", _("As entered")),
    ),
    row=lambda p: {
        "association": p.association.name,
        "level": p.get_level_display(),
        "joined_on": p.joined_on,
        "status": p.get_status_display(),
        "submitted": ", ".join(f"{k}: {v}" for k, v in (p.submitted or {}).items() if v not in (None, "")),
    },
    erase=_erase_pending,
)
