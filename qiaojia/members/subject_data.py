"""What the members app holds about a person, for their copy and their erasure (see `rights`)."""

from django.utils.translation import gettext_lazy as _

from .models import ConsentWithdrawal, Enterprise, Membership, PersonMerge
from .rights import register_subject_data

register_subject_data(
    "members.memberships", label=_("Memberships"), model=Membership, order=10,
    records=lambda person: Membership.objects.filter(person=person).select_related("association")
    .order_by("-joined_on", "id"),
    columns=(("association", _("Association")), ("level", _("Level")), ("joined_on", _("Joined")),
             ("left_on", _("Left")), ("dues_status", _("Dues"))),
    row=lambda m: {"association": m.association.name, "level": m.get_level_display(), "joined_on": m.joined_on,
                   "left_on": m.left_on, "dues_status": m.get_dues_status_display()},
)

register_subject_data(
    "members.enterprises", label=_("Enterprises represented"), model=Enterprise, order=11, audit=False,
    records=lambda person: Enterprise.objects.filter(representative=person).order_by("id"),
    columns=(("name", _("Enterprise")), ("credit_code", _("Unified social credit code"))),
    row=lambda e: {"name": e.name, "credit_code": e.credit_code or ""},
)


def _erase_merges(person, label: str) -> int:
    # The merged records were this person too: their kept copies go the same way.
    return PersonMerge.objects.filter(survivor=person).update(merged_name=label, merged_snapshot={},
                                                               kept_from_merged=[])


register_subject_data(
    "members.merges", label=_("Records merged into this one"), model=PersonMerge, order=12, audit=False,
    records=lambda person: PersonMerge.objects.filter(survivor=person).order_by("merged_at", "id"),
    columns=(("merged_person_id", _("Merged record")), ("merged_name", _("Merged name")),
             ("merged_at", _("Merged at")), ("merged_by", _("Merged by")), ("snapshot", _("Merged record's values"))),
    row=lambda m: {"merged_person_id": m.merged_person_id, "merged_name": m.merged_name, "merged_at": m.merged_at,
                   "merged_by": m.merged_by_username,
                   "snapshot": ", ".join(f"{k}: {v}" for k, v in m.merged_snapshot.items() if v not in (None, ""))},
    erase=_erase_merges,
)


def _erase_withdrawal_notes(person, label: str) -> int:
    return ConsentWithdrawal.objects.filter(person=person).exclude(note="").update(note="")


register_subject_data(
    "members.consent_withdrawals", label=_("Consent withdrawals"), model=ConsentWithdrawal, order=13,
    audit_personal=("note",),
    records=lambda person: ConsentWithdrawal.objects.filter(person=person).select_related("recorded_by")
    .order_by("withdrawn_at", "id"),
    columns=(("consent_version", _("Consent version")), ("consent_given_at", _("Consent given at")),
             ("withdrawn_at", _("Withdrawn at")), ("recorded_by", _("Recorded by")),
             ("note", _("How it was received"))),
    row=lambda w: {"consent_version": w.consent_version, "consent_given_at": w.consent_given_at,
                   "withdrawn_at": w.withdrawn_at, "recorded_by": w.recorded_by.username if w.recorded_by else "",
                   "note": w.note},
    erase=_erase_withdrawal_notes,
)
