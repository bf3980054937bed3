from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.core.pages import form_page, paginate, post_action, require
from qiaojia.core.qr import qr_svg_base64
from qiaojia.exports.formats import export_response
from qiaojia.orgs import selectors as org_selectors

from . import permissions, selectors, services
from .exports import DELEGATE_SPEC
from .forms import (
    DelegateCreateForm,
    DelegateEditForm,
    DelegationCreateForm,
    DelegationEditForm,
    DoorForm,
    EventCreateForm,
    EventEditForm,
    EventFilterForm,
    JoinAskForm,
    JoinDecideForm,
    QuotaForm,
    ReviewForm,
    StatusForm,
    VersionForm,
)
from .models import (
    ACTIVE_DELEGATION,
    DELEGATION_TRANSITIONS,
    EVENT_TRANSITIONS,
    DelegateRole,
    DelegationStatus,
    EventStatus,
)


def _crumbs(event=None, delegation=None):
    crumbs = [(reverse("events:event-list"), _("Flagship events"))]
    if event is not None:
        crumbs.append((reverse("events:event-detail", args=[event.pk]), event.name))
    if delegation is not None:
        crumbs.append((reverse("events:delegation-detail", args=[delegation.pk]), delegation.association.name))
    return crumbs


def _event_url(event, anchor: str = "") -> str:
    return reverse("events:event-detail", args=[event.pk]) + (f"#{anchor}" if anchor else "")


def _delegation_url(delegation) -> str:
    return reverse("events:delegation-detail", args=[delegation.pk])


def _managed_event(request, pk: int):
    require(permissions.can_manage_events(request.user))
    return selectors.event_get(viewer=request.user, pk=pk)


def _check_in_link(request, event, delegate) -> str:
    return request.build_absolute_uri(reverse("events:check-in", args=[event.pk, delegate.badge_token]))


# Events ---------------------------------------------------------------------------------------


@login_required
def event_list(request):
    require(permissions.can_view_events(request.user))
    filters = EventFilterForm(request.GET or None)
    qs = selectors.event_list(
        viewer=request.user, q=filters.value("q"), status=filters.value("status"), year=filters.value("year")
    )
    page = paginate(request, qs)
    selectors.event_page_counts(page.object_list)
    return render(
        request,
        "events/event_list.html",
        {"page": page, "filters": filters, "can_manage": permissions.can_manage_events(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    require(permissions.can_manage_events(request.user))
    form = EventCreateForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("New flagship event"),
        breadcrumb=_crumbs(),
        save=lambda d: services.event_create(
            federation=org_selectors.federation_get(), data=d, form_token=d["form_token"]
        ),
        success_url=lambda obj: reverse("events:event-detail", args=[getattr(obj, "pk", obj)]),
    )


@login_required
def event_detail(request, pk: int):
    event = selectors.event_get(viewer=request.user, pk=pk)
    can_manage = permissions.can_manage_events(request.user)
    own = list(selectors.delegation_list(viewer=request.user, event=event)) if not can_manage else []
    # An officer of several associations may register one delegation for each of them.
    registered = {d.association_id for d in own if d.status in ACTIVE_DELEGATION}
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "can_manage": can_manage,
            "summary": selectors.event_summary(event),
            "own_delegations": own,
            "can_register": permissions.can_register_another(
                request.user, event, registered=registered, today=timezone.localdate()
            ),
            "transitions": [(s, EventStatus(s).label) for s in EVENT_TRANSITIONS.get(event.status, ())],
            "public_url": reverse("events:event-public", args=[event.slug]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int):
    event = _managed_event(request, pk)
    form = EventEditForm(request.POST or None, instance=event, initial={"version": event.version})
    return form_page(
        request,
        form=form,
        title=_("Edit event"),
        breadcrumb=_crumbs(event),
        current=event,
        save=lambda d: services.event_update(event=event, expected_version=d["version"], data=d),
        success_url=lambda obj: _event_url(event),
    )


@login_required
@require_POST
def event_status(request, pk: int):
    event = _managed_event(request, pk)
    return post_action(
        request,
        StatusForm(request.POST),
        lambda d: services.event_set_status(event=event, expected_version=d["version"], status=d["status"]),
        success=_("The event status was changed."),
        back=_event_url(event),
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_quotas(request, pk: int):
    event = _managed_event(request, pk)
    form = QuotaForm(request.POST or None, rows=selectors.event_quota_rows(event), initial={"version": event.version})
    return form_page(
        request,
        form=form,
        title=_("Quotas per association"),
        breadcrumb=_crumbs(event),
        current=event,
        save=lambda d: services.event_quotas_set(event=event, expected_version=d["version"], quotas=form.quotas()),
        success_url=lambda obj: _event_url(event),
        template="events/quota_form.html",
        extra={"event": event},
    )


@login_required
@require_POST
def waitlist_promote(request, pk: int):
    event = _managed_event(request, pk)
    promoted = services.waitlist_promote(event=event, by_user=request.user)
    if promoted:
        messages.success(
            request,
            _("Admitted from the waiting list: %(names)s.")
            % {"names": "、".join(d.association.name for d in promoted)},
        )
    else:
        messages.info(request, _("No waiting delegation fits in the places left."))
    return redirect(reverse("events:delegation-list", args=[event.pk]))


@login_required
def event_check_ins(request, pk: int):
    event = _managed_event(request, pk)
    delegates = list(selectors.event_delegates(event))
    return render(
        request,
        "events/event_check_ins.html",
        {"event": event, "delegates": delegates, "checked_in": sum(1 for d in delegates if d.checked_in_at)},
    )


@login_required
def event_export(request, pk: int):
    event = _managed_event(request, pk)
    return export_response(
        request,
        queryset=selectors.event_delegates(event),
        columns=DELEGATE_SPEC,
        name=f"event-{event.pk}-delegates",
        label=_("Delegates"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_door(request, pk: int):
    """Staff at the door type or paste a badge's code when the camera cannot read it."""
    event = _managed_event(request, pk)
    form = DoorForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            token = form.token()
            try:
                selectors.delegate_by_token(event=event, token=token)
            except Http404:
                form.add_error("code", _("No badge of this event has this code."))
            else:
                return redirect(reverse("events:check-in", args=[event.pk, token]))
        return render(request, "events/door.html", {"event": event, "form": form}, status=400)
    return render(request, "events/door.html", {"event": event, "form": form})


def event_public(request, slug: str):
    """The public page of a published event: what, when, where, and counts. No personal data."""
    event = selectors.published_event(slug)
    return render(request, "events/event_public.html", {"event": event, "counts": selectors.public_counts(event)})


# Delegations ----------------------------------------------------------------------------------


@login_required
def delegation_list(request, pk: int):
    event = selectors.event_get(viewer=request.user, pk=pk)
    status = request.GET.get("status") or None
    if status not in DelegationStatus.values:
        status = None
    page = paginate(request, selectors.delegation_list(viewer=request.user, event=event, status=status))
    return render(
        request,
        "events/delegation_list.html",
        {
            "event": event,
            "page": page,
            "status": status,
            "statuses": DelegationStatus.choices,
            "can_manage": permissions.can_manage_events(request.user),
            "summary": selectors.event_summary(event),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegation_create(request, pk: int):
    event = selectors.event_get(viewer=request.user, pk=pk)
    require(permissions.can_register(request.user))
    if not permissions.registration_open(event, timezone.localdate()):
        messages.error(request, _("Registration for this event is not open."))
        return redirect(_event_url(event))
    associations = list(org_selectors.officer_associations(viewer=request.user))
    form = DelegationCreateForm(request.POST or None, associations=associations)
    return form_page(
        request,
        form=form,
        title=_("Register a delegation"),
        breadcrumb=_crumbs(event),
        save=lambda d: services.delegation_create(
            event=event, association=d["association"], data=d, form_token=d["form_token"]
        ),
        success_url=lambda obj: reverse("events:delegation-detail", args=[getattr(obj, "pk", obj)]),
    )


@login_required
def delegation_detail(request, pk: int):
    delegation = selectors.delegation_get(viewer=request.user, pk=pk)
    delegates = selectors.delegation_delegates(delegation)
    event = delegation.event
    return render(
        request,
        "events/delegation_detail.html",
        {
            "delegation": delegation,
            "event": event,
            "delegates": delegates,
            "quota": services.quota_for(event, delegation.association_id),
            "can_edit": permissions.can_edit_delegation(request.user, delegation),
            "can_change": permissions.can_change_delegates(request.user, delegation),
            "can_review": permissions.can_review_delegation(request.user, delegation),
            "review_moves": [m for m in ("approved", "waitlisted", "refused") if m in _moves(delegation)],
            "can_withdraw": "withdrawn" in _moves(delegation),
            "is_draft": delegation.status == DelegationStatus.DRAFT,
            "is_approved": delegation.status == DelegationStatus.APPROVED,
            "join_requests": _join_requests(request.user, delegation),
        },
    )


def _join_requests(user, delegation):
    rows = selectors.delegation_join_requests(delegation)
    for row in rows:
        row.can_decide = permissions.can_decide_join_request(user, row)
    return rows


def _moves(delegation):
    return DELEGATION_TRANSITIONS.get(delegation.status, ())


def _own_delegation(request, pk: int):
    delegation = selectors.delegation_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_delegation(request.user, delegation))
    return delegation


@login_required
@require_http_methods(["GET", "POST"])
def delegation_edit(request, pk: int):
    delegation = _own_delegation(request, pk)
    form = DelegationEditForm(request.POST or None, instance=delegation, initial={"version": delegation.version})
    return form_page(
        request,
        form=form,
        title=_("Edit delegation"),
        breadcrumb=_crumbs(delegation.event, delegation),
        current=delegation,
        save=lambda d: services.delegation_update(delegation=delegation, expected_version=d["version"], data=d),
        success_url=lambda obj: _delegation_url(delegation),
    )


@login_required
@require_POST
def delegation_submit(request, pk: int):
    delegation = _own_delegation(request, pk)
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.delegation_submit(delegation=delegation, expected_version=d["version"]),
        success=_("The delegation was submitted to the federation."),
        back=_delegation_url(delegation),
    )


@login_required
@require_POST
def delegation_withdraw(request, pk: int):
    delegation = _own_delegation(request, pk)
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.delegation_withdraw(
            delegation=delegation, expected_version=d["version"], by_user=request.user
        ),
        success=_("The delegation was withdrawn."),
        back=_delegation_url(delegation),
    )


@login_required
@require_POST
def delegation_review(request, pk: int):
    delegation = selectors.delegation_get(viewer=request.user, pk=pk)
    require(permissions.can_review_delegation(request.user, delegation))

    def decide(d):
        common = {"delegation": delegation, "expected_version": d["version"], "by_user": request.user}
        if d["decision"] == "approve":
            result = services.delegation_approve(**common)
            if result.status == DelegationStatus.WAITLISTED:
                messages.warning(request, _("The event is full: the delegation was put on the waiting list."))
        elif d["decision"] == "waitlist":
            services.delegation_waitlist(**common)
        else:
            services.delegation_refuse(**common, reason=d["reason"])

    return post_action(
        request,
        ReviewForm(request.POST),
        decide,
        success=_("The decision was recorded."),
        back=_delegation_url(delegation),
    )


# Delegates and badges -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def delegate_create(request, pk: int):
    delegation = _own_delegation(request, pk)
    form = DelegateCreateForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("Add delegate"),
        breadcrumb=_crumbs(delegation.event, delegation),
        save=lambda d: services.delegate_add(delegation=delegation, data=d, form_token=d["form_token"]),
        success_url=lambda obj: _delegation_url(delegation),
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegate_edit(request, pk: int):
    delegate = selectors.delegate_get(viewer=request.user, pk=pk)
    delegation = delegate.delegation
    require(permissions.can_edit_delegation(request.user, delegation))
    form = DelegateEditForm(
        request.POST or None,
        instance=delegate,
        leader=delegate.role == DelegateRole.LEADER,
        initial={"version": delegate.version},
    )
    return form_page(
        request,
        form=form,
        title=_("Edit delegate"),
        breadcrumb=_crumbs(delegation.event, delegation),
        current=delegate,
        save=lambda d: services.delegate_update(delegate=delegate, expected_version=d["version"], data=d),
        success_url=lambda obj: _delegation_url(delegation),
    )


@login_required
@require_POST
def delegate_delete(request, pk: int):
    delegate = selectors.delegate_get(viewer=request.user, pk=pk)
    require(permissions.can_edit_delegation(request.user, delegate.delegation))
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.delegate_remove(delegate=delegate, expected_version=d["version"]),
        success=_("The delegate was removed."),
        back=_delegation_url(delegate.delegation),
    )


def _badges(request, delegation, delegates):
    event = delegation.event
    approved = delegation.status == DelegationStatus.APPROVED
    badges = []
    if approved:
        for delegate in delegates:
            link = _check_in_link(request, event, delegate)
            badges.append({"delegate": delegate, "link": link, "qr": qr_svg_base64(link)})
    return render(
        request,
        "events/badges.html",
        {"delegation": delegation, "event": event, "badges": badges, "approved": approved},
    )


@login_required
def delegation_badges(request, pk: int):
    delegation = selectors.delegation_get(viewer=request.user, pk=pk)
    return _badges(request, delegation, selectors.delegation_delegates(delegation))


@login_required
def delegate_badge(request, pk: int):
    delegate = selectors.delegate_get(viewer=request.user, pk=pk)
    return _badges(request, delegate.delegation, [delegate])


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request, pk: int, token: str):
    """The page a badge's QR code opens: federation staff at the door see the person and check them in."""
    require(permissions.can_check_in(request.user))
    event = selectors.event_get(viewer=request.user, pk=pk)
    delegate = selectors.delegate_by_token(event=event, token=token)
    context = {
        "event": event,
        "delegate": delegate,
        "delegation": delegate.delegation,
        "approved": delegate.delegation.status == DelegationStatus.APPROVED,
    }
    if request.method == "POST":
        try:
            delegate, changed = services.delegate_check_in(delegate=delegate, by_user=request.user)
        except ValidationError as exc:
            return render(request, "events/check_in.html", {**context, "error": " ".join(exc.messages)}, status=400)
        return render(
            request, "events/check_in.html", {**context, "delegate": delegate, "done": True, "changed": changed}
        )
    return render(request, "events/check_in.html", context)


# Members' own requests to join their association's delegation ------------------------------------


@login_required
def joinable_list(request):
    """The events a member may ask to join, once for each of their associations, with their own request."""
    today = timezone.localdate()
    rows = []
    for event, association, mine in selectors.joinable_list(viewer=request.user):
        rows.append(
            {
                "event": event,
                "association": association,
                "mine": mine,
                "mine_here": mine is not None and mine.delegation.association_id == association.pk,
                "can_ask": mine is None and permissions.can_ask_to_join(request.user, event, today=today),
            }
        )
    return render(
        request,
        "events/joinable_list.html",
        {"rows": rows, "has_person": request.user.person_id is not None, "form": JoinAskForm()},
    )


def _back_to(request) -> str:
    return reverse("home:mine") if request.POST.get("from") == "mine" else reverse("events:joinable-list")


@login_required
@require_POST
def join_request_create(request, pk: int, association: int):
    event, chosen = selectors.joinable_get(viewer=request.user, pk=pk, association_id=association)
    person = request.user.person
    return post_action(
        request,
        JoinAskForm(request.POST),
        lambda d: services.join_request_create(
            event=event, association=chosen, person=person, note=d["note"], by=request.user
        ),
        success=_("Your request to join the delegation of %(association)s to “%(event)s” was sent to its officers.")
        % {"association": chosen.name, "event": event.name},
        back=_back_to(request),
        done=reverse("home:mine") + "#my-join-requests",
    )


@login_required
@require_POST
def join_request_withdraw(request, pk: int):
    join_request = selectors.own_join_request_get(viewer=request.user, pk=pk)
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.join_request_withdraw(request=join_request, expected_version=d["version"]),
        success=_("Your request to join the delegation to “%(event)s” is withdrawn.")
        % {"event": join_request.event.name},
        back=_back_to(request),
    )


@login_required
@require_POST
def join_request_decide(request, pk: int):
    join_request = selectors.join_request_get(viewer=request.user, pk=pk)
    back = _delegation_url(join_request.delegation) + "#join-requests"

    def decide(d):
        common = {"request": join_request, "expected_version": d["version"], "by_user": request.user}
        if d["decision"] == "confirm":
            services.join_request_confirm(**common)
        else:
            services.join_request_decline(**common, reason=d["reason"])

    form = JoinDecideForm(request.POST)
    confirming = request.POST.get("decision") == "confirm"
    return post_action(
        request,
        form,
        decide,
        success=(
            _("%(person)s is in the delegation now.") if confirming else _("The request of %(person)s is declined.")
        )
        % {"person": join_request.person.name},
        back=back,
    )
