from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from qiaojia.activities import permissions as activity_permissions
from qiaojia.activities import selectors as activity_selectors
from qiaojia.core.pages import paginate
from qiaojia.events import permissions as event_permissions
from qiaojia.events import selectors as event_selectors
from qiaojia.exports.services import export_list
from qiaojia.members import selectors as member_selectors
from qiaojia.members.models import Membership, Person
from qiaojia.orgs import selectors as org_selectors
from qiaojia.volunteering import selectors as volunteering_selectors

from .exports import AUDIT_EXPORT
from .forms import AuditFilterForm
from .permissions import can_view_audit_trail
from .selectors import audit_entries, audit_page_readable, record_history


@never_cache
def home(request):
    if not request.user.is_authenticated:
        return render(
            request,
            "home/welcome.html",
            {
                "associations": org_selectors.association_public_list()[:12],
            },
        )
    return render(request, "home/home.html", org_selectors.home_summary(viewer=request.user))


@login_required
def audit_list(request):
    """Administrators browse the audit trail; nothing here can change it."""
    if not can_view_audit_trail(request.user):
        raise Http404
    filters = AuditFilterForm(request.GET or None)
    page = paginate(request, audit_entries(filters))
    return render(
        request,
        "home/audit_list.html",
        {"page": page, "entries": audit_page_readable(page.object_list), "filters": filters},
    )


@login_required
def audit_export(request):
    return export_list(request, AUDIT_EXPORT)


def _field_labels(model, names) -> list[str]:
    labels = []
    for name in names:
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:  # a field since removed: its name is all there is
            labels.append(name)
    return labels


def _own_registrations(user):
    rows = activity_selectors.own_registrations(viewer=user)
    now = timezone.now()
    for row in rows:
        row.can_cancel = activity_permissions.can_cancel_registration(user, row, now=now)
    return rows


def _own_join_requests(user):
    rows = event_selectors.own_join_requests(viewer=user)
    for row in rows:
        row.can_withdraw = event_permissions.can_withdraw_join_request(user, row)
    return rows


@login_required
def mine(request):
    """A member's own page: their record, associations, what they took part in or signed up for, and what was
    changed on their record and by whom."""
    own = request.user.person_id
    if not own:
        raise Http404
    person = member_selectors.person_get(viewer=request.user, pk=own)
    memberships = list(member_selectors.person_memberships(viewer=request.user, person=person))
    history = record_history(person_id=person.pk, membership_ids=[m.pk for m in memberships])
    for entry in history:
        model = Person if entry.object_type == "members.person" else Membership
        entry.field_labels = _field_labels(model, entry.changes)
        entry.by_self = entry.actor_id == request.user.pk
    return render(
        request,
        "home/mine.html",
        {
            "person": person,
            "memberships": memberships,
            "signups": volunteering_selectors.my_signups(viewer=request.user),
            "activities": list(activity_selectors.own_activities(viewer=request.user)[:50]),
            "registrations": _own_registrations(request.user),
            "delegates": list(event_selectors.own_delegates(viewer=request.user)[:50]),
            "join_requests": _own_join_requests(request.user),
            "history": history,
        },
    )
