import base64
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.core import photo_views, storage
from qiaojia.core.forms import CreateFormMixin, MoveForm
from qiaojia.core.pages import form_page, paginate, post_action, require
from qiaojia.core.qr import qr_svg_base64
from qiaojia.core.script import convert_html
from qiaojia.core.services import AlreadySubmitted
from qiaojia.exports.formats import export_response
from qiaojia.members import selectors as member_selectors
from qiaojia.orgs import permissions as org_permissions
from qiaojia.orgs import selectors as org_selectors
from qiaojia.orgs.models import Association

from . import permissions, selectors, services, tokens
from .exports import ATTENDANCE_SPEC, MEETING_SPEC
from .forms import (
    AgendaItemCreateForm,
    AgendaItemEditForm,
    AgendaRowFormSet,
    MeetingCreateForm,
    MeetingEditForm,
    MeetingFilterForm,
    MinutesForm,
    ParticipantBulkForm,
    ParticipantCreateForm,
    ParticipantEditForm,
    PhotoForm,
    ResolutionCreateForm,
    ResolutionEditForm,
    SignInForm,
    StatusForm,
    TaskCreateForm,
    TaskEditForm,
    VersionForm,
)
from .models import MEETING_TRANSITIONS, MeetingStatus, SignInMethod, TaskStatus

TokenForm = CreateFormMixin  # the one-time token of a page whose fields are a formset

AGENDA_FIELDS = ("kind", "title", "document", "association", "presenter", "content")
PARTICIPANT_FIELDS = ("role", "official", "name", "association", "public_title")
TASK_FIELDS = ("title", "resolution", "owner_association", "owner_name", "due_on", "status", "note")


def _crumbs(meeting=None):
    crumbs = [(reverse("meetings:meeting-list"), _("Meetings"))]
    if meeting is not None:
        crumbs.append((reverse("meetings:meeting-detail", args=[meeting.pk]), meeting.title))
    return crumbs


def _detail_url(meeting, anchor: str = "") -> str:
    return reverse("meetings:meeting-detail", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


def _managed_meeting(request, pk: int):
    meeting = selectors.meeting_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_meeting(request.user, meeting))
    return meeting


def _associations_for(request, meeting):
    """The associations a meeting's forms offer: its own association, or every association the viewer sees."""
    if meeting.association_id:
        return Association.objects.filter(pk=meeting.association_id)
    return org_selectors.association_list(viewer=request.user)


def _meeting_queryset(request, filters):
    return selectors.meeting_list(
        viewer=request.user,
        q=filters.value("q"),
        kind=filters.value("kind"),
        status=filters.value("status"),
        year=filters.value("year"),
    )


@login_required
def meeting_list(request):
    require(permissions.can_view_meetings(request.user))
    filters = MeetingFilterForm(request.GET or None)
    page = paginate(request, _meeting_queryset(request, filters))
    selectors.meeting_page_counts(page.object_list)
    return render(
        request,
        "meetings/meeting_list.html",
        {"page": page, "filters": filters, "can_create": permissions.can_create_meeting(request.user)},
    )


@login_required
def meeting_export(request):
    require(permissions.can_view_meetings(request.user))
    filters = MeetingFilterForm(request.GET or None)
    return export_response(
        request,
        queryset=_meeting_queryset(request, filters),
        columns=MEETING_SPEC,
        name="meetings",
        label=_("Meetings"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    require(permissions.can_create_meeting(request.user))
    federation_allowed = org_permissions.can_act_for_federation(request.user)
    associations = [] if federation_allowed else list(org_selectors.officer_associations(viewer=request.user))
    form = MeetingCreateForm(request.POST or None, associations=associations, federation_allowed=federation_allowed)
    return form_page(
        request,
        form=form,
        title=_("New meeting"),
        breadcrumb=_crumbs(),
        save=lambda d: services.meeting_create(
            federation=org_selectors.federation_get(), association=d["organiser"], data=d, form_token=d["form_token"]
        ),
        success_url=lambda obj: reverse("meetings:meeting-detail", args=[getattr(obj, "pk", obj)]),
    )


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(viewer=request.user, pk=pk)
    record = selectors.meeting_record(meeting)
    can_manage = permissions.can_manage_meeting(request.user, meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            **record,
            "can_manage": can_manage,
            "transitions": [(s, MeetingStatus(s).label) for s in MEETING_TRANSITIONS.get(meeting.status, ())],
            "uninvited": sum(1 for p in record["participants"] if not p.invited_at),
            "sign_in_state": tokens.sign_in_state(meeting),
            "sign_in": tokens.sign_in_context(meeting),
            "open_tasks": sum(1 for t in record["tasks"] if t.status in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    meeting = _managed_meeting(request, pk)
    form = MeetingEditForm(request.POST or None, instance=meeting, initial={"version": meeting.version})
    return form_page(
        request,
        form=form,
        title=_("Edit meeting"),
        breadcrumb=_crumbs(meeting),
        current=meeting,
        save=lambda d: services.meeting_update(meeting=meeting, expected_version=d["version"], data=d),
        success_url=lambda obj: _detail_url(meeting),
    )


@login_required
@require_POST
def meeting_status(request, pk: int):
    meeting = _managed_meeting(request, pk)
    return post_action(
        request,
        StatusForm(request.POST),
        lambda d: services.meeting_set_status(meeting=meeting, expected_version=d["version"], status=d["status"]),
        success=_("The meeting status was changed."),
        back=_detail_url(meeting),
    )


@login_required
@require_POST
def meeting_invite(request, pk: int):
    meeting = _managed_meeting(request, pk)
    try:
        sent = services.meeting_invite(meeting=meeting, base_url=request.build_absolute_uri("/"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if sent:
            messages.success(request, _("Invitations sent: %(n)s.") % {"n": sent})
        else:
            messages.info(request, _("Everyone listed has been invited already."))
    return redirect(_detail_url(meeting, "participants"))


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk: int):
    meeting = _managed_meeting(request, pk)
    form = MinutesForm(request.POST or None, instance=meeting, initial={"version": meeting.version})
    return form_page(
        request,
        form=form,
        title=_("Minutes"),
        breadcrumb=_crumbs(meeting),
        current=meeting,
        save=lambda d: services.meeting_minutes_update(
            meeting=meeting, expected_version=d["version"], minutes=d["minutes"]
        ),
        success_url=lambda obj: _detail_url(meeting, "minutes"),
    )


# Agenda ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agenda_create(request, pk: int):
    meeting = _managed_meeting(request, pk)
    form = AgendaItemCreateForm(request.POST or None, meeting=meeting, associations=_associations_for(request, meeting))
    return form_page(
        request,
        form=form,
        title=_("New agenda item"),
        breadcrumb=_crumbs(meeting),
        save=lambda d: services.agenda_item_create(
            meeting=meeting, data={k: d[k] for k in AGENDA_FIELDS}, form_token=d["form_token"]
        ),
        success_url=lambda obj: _detail_url(meeting, "agenda"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_edit(request, pk: int):
    item = selectors.agenda_item_get(viewer=request.user, pk=pk)
    meeting = item.meeting
    require(permissions.can_manage_meeting(request.user, meeting))
    form = AgendaItemEditForm(
        request.POST or None,
        instance=item,
        meeting=meeting,
        associations=_associations_for(request, meeting),
        initial={"version": item.version},
    )
    return form_page(
        request,
        form=form,
        title=_("Edit agenda item"),
        breadcrumb=_crumbs(meeting),
        current=item,
        save=lambda d: services.agenda_item_update(
            item=item, expected_version=d["version"], data={k: d[k] for k in AGENDA_FIELDS}
        ),
        success_url=lambda obj: _detail_url(meeting, "agenda"),
    )


@login_required
@require_POST
def agenda_move(request, pk: int):
    item = selectors.agenda_item_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_meeting(request.user, item.meeting))
    return post_action(
        request,
        MoveForm(request.POST),
        lambda d: services.agenda_item_move(item=item, expected_version=d["version"], direction=d["direction"]),
        success=_("The agenda was reordered."),
        back=_detail_url(item.meeting, "agenda"),
    )


@login_required
@require_POST
def agenda_delete(request, pk: int):
    item = selectors.agenda_item_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_meeting(request.user, item.meeting))
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.agenda_item_delete(item=item, expected_version=d["version"]),
        success=_("The agenda item was removed."),
        back=_detail_url(item.meeting, "agenda"),
    )


# Participants and sign-in --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def participant_create(request, pk: int):
    meeting = _managed_meeting(request, pk)
    form = ParticipantCreateForm(
        request.POST or None, meeting=meeting, associations=_associations_for(request, meeting)
    )
    return form_page(
        request,
        form=form,
        title=_("Add participant"),
        breadcrumb=_crumbs(meeting),
        save=lambda d: services.participant_add(
            meeting=meeting, data={k: d[k] for k in PARTICIPANT_FIELDS}, form_token=d["form_token"]
        ),
        success_url=lambda obj: _detail_url(meeting, "participants"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_edit(request, pk: int):
    participant = selectors.participant_get(viewer=request.user, pk=pk)
    meeting = participant.meeting
    require(permissions.can_manage_meeting(request.user, meeting))
    form = ParticipantEditForm(
        request.POST or None,
        instance=participant,
        meeting=meeting,
        associations=_associations_for(request, meeting),
        initial={"version": participant.version, "name": "" if participant.official_id else participant.name},
    )
    return form_page(
        request,
        form=form,
        title=_("Edit participant"),
        breadcrumb=_crumbs(meeting),
        current=participant,
        save=lambda d: services.participant_update(
            participant=participant, expected_version=d["version"], data={k: d[k] for k in PARTICIPANT_FIELDS}
        ),
        success_url=lambda obj: _detail_url(meeting, "participants"),
    )


@login_required
@require_POST
def participant_delete(request, pk: int):
    participant = selectors.participant_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_meeting(request.user, participant.meeting))
    return post_action(
        request,
        VersionForm(request.POST),
        lambda d: services.participant_remove(participant=participant, expected_version=d["version"]),
        success=_("The participant was removed."),
        back=_detail_url(participant.meeting, "participants"),
    )


@login_required
@require_POST
def participant_mark(request, pk: int):
    """Staff at the desk mark someone present, or undo a mark made by mistake."""
    participant = selectors.participant_get(viewer=request.user, pk=pk)
    meeting = participant.meeting
    require(permissions.can_manage_meeting(request.user, meeting))
    if request.POST.get("present") == "0":
        services.participant_sign_in_clear(participant=participant)
        messages.success(request, _("%(name)s is no longer marked present.") % {"name": participant.name})
    else:
        changed = services.participant_sign_in(
            participant=participant, method=SignInMethod.STAFF, by_user=request.user
        )[1]
        messages.success(
            request,
            (_("%(name)s is marked present.") if changed else _("%(name)s had already signed in."))
            % {"name": participant.name},
        )
    return redirect(reverse("meetings:meeting-attendance", args=[meeting.pk]))


@login_required
@require_POST
def participant_unlock(request, pk: int):
    """Staff let a participant locked after wrong phone digits or codes sign in at the meeting link again."""
    participant = selectors.participant_get(viewer=request.user, pk=pk)
    meeting = participant.meeting
    require(permissions.can_manage_meeting(request.user, meeting))
    services.participant_sign_in_unlock(participant=participant)
    messages.success(request, _("%(name)s can sign in at the meeting link again.") % {"name": participant.name})
    return redirect(reverse("meetings:meeting-attendance", args=[meeting.pk]))


@login_required
def meeting_attendance(request, pk: int):
    meeting = selectors.meeting_get(viewer=request.user, pk=pk)
    participants = list(selectors.meeting_participants(meeting))
    return render(
        request,
        "meetings/meeting_attendance.html",
        {
            "meeting": meeting,
            "participants": participants,
            "signed_in": sum(1 for p in participants if p.signed_in_at),
            "locked": sum(1 for p in participants if p.sign_in_locked_at),
            "can_manage": permissions.can_manage_meeting(request.user, meeting),
            "sign_in_state": tokens.sign_in_state(meeting),
            "sign_in": tokens.sign_in_context(meeting),
        },
    )


@login_required
def attendance_export(request, pk: int):
    meeting = selectors.meeting_get(viewer=request.user, pk=pk)
    return export_response(
        request,
        queryset=selectors.meeting_participants(meeting),
        columns=ATTENDANCE_SPEC,
        name=f"attendance-{meeting.pk}",
        label=_("Attendance"),
    )


@login_required
def meeting_sign_in_sheet(request, pk: int):
    """The meeting's sign-in link and its QR code, to show at the venue."""
    meeting = _managed_meeting(request, pk)
    link = request.build_absolute_uri(reverse("meetings:sign-in", args=[tokens.make_token(meeting)]))
    return render(
        request,
        "meetings/meeting_sign_in_sheet.html",
        {
            "meeting": meeting,
            "link": link,
            "qr_svg": qr_svg_base64(link),
            "sign_in_state": tokens.sign_in_state(meeting),
            "sign_in": tokens.sign_in_context(meeting),
        },
    )


@require_http_methods(["GET", "POST"])
def sign_in(request, token: str):
    """Sign in on a phone: no login for a listed invitee; the signed link is the key."""
    try:
        parsed = tokens.read_token(token)
    except tokens.TokenError as exc:
        return render(request, "meetings/sign_in.html", {"error": exc.message}, status=400)
    meeting = selectors.meeting_with_participants(parsed.meeting_id)
    if meeting is None or meeting.sign_in_key != parsed.key:
        return render(request, "meetings/sign_in.html", {"error": tokens.TokenError.message}, status=400)
    participant = None
    if parsed.participant_id is not None:
        participant = next((p for p in meeting.participants.all() if p.pk == parsed.participant_id), None)
        if participant is None:
            return render(request, "meetings/sign_in.html", {"error": tokens.TokenError.message}, status=400)
    own_person = request.user.person_id if request.user.is_authenticated else None
    own = participant or next((p for p in meeting.participants.all() if own_person and p.person_id == own_person), None)
    form = SignInForm(request.POST if request.method == "POST" else None, by_code=meeting.sign_in_by_code)
    context = {
        "meeting": meeting,
        "participant": participant,
        "own": own,
        "form": form,
        "state": tokens.sign_in_state(meeting),
        "sign_in": tokens.sign_in_context(meeting),
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                signed, changed = services.sign_in_with_token(
                    token=parsed,
                    name=form.cleaned_data["name"] if not own else "",
                    secret=form.secret(),
                    user=request.user,
                    address=getattr(request, "client_ip", None),
                )
            except tokens.TokenError as exc:
                return render(request, "meetings/sign_in.html", {"error": exc.message}, status=400)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                return render(
                    request,
                    "meetings/sign_in_done.html",
                    {"meeting": meeting, "participant": signed, "changed": changed},
                )
        return render(request, "meetings/sign_in.html", context, status=400)
    return render(request, "meetings/sign_in.html", context)


# Minutes: resolutions and follow-up tasks ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def resolution_create(request, pk: int):
    meeting = _managed_meeting(request, pk)
    form = ResolutionCreateForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("New resolution"),
        breadcrumb=_crumbs(meeting),
        save=lambda d: services.resolution_create(meeting=meeting, text=d["text"], form_token=d["form_token"]),
        success_url=lambda obj: _detail_url(meeting, "minutes"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def resolution_edit(request, pk: int):
    resolution = selectors.resolution_get(viewer=request.user, pk=pk)
    meeting = resolution.meeting
    require(permissions.can_manage_meeting(request.user, meeting))
    form = ResolutionEditForm(request.POST or None, instance=resolution, initial={"version": resolution.version})
    return form_page(
        request,
        form=form,
        title=_("Edit resolution"),
        breadcrumb=_crumbs(meeting),
        current=resolution,
        save=lambda d: services.resolution_update(resolution=resolution, expected_version=d["version"], text=d["text"]),
        success_url=lambda obj: _detail_url(meeting, "minutes"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request, pk: int):
    meeting = _managed_meeting(request, pk)
    form = TaskCreateForm(request.POST or None, meeting=meeting, associations=_associations_for(request, meeting))
    return form_page(
        request,
        form=form,
        title=_("New follow-up task"),
        breadcrumb=_crumbs(meeting),
        save=lambda d: services.task_create(
            meeting=meeting, data={k: d[k] for k in TASK_FIELDS}, form_token=d["form_token"]
        ),
        success_url=lambda obj: _detail_url(meeting, "tasks"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk: int):
    task = selectors.task_get(viewer=request.user, pk=pk)
    meeting = task.meeting
    require(permissions.can_manage_meeting(request.user, meeting))
    form = TaskEditForm(
        request.POST or None,
        instance=task,
        meeting=meeting,
        associations=_associations_for(request, meeting),
        initial={"version": task.version},
    )
    return form_page(
        request,
        form=form,
        title=_("Edit follow-up task"),
        breadcrumb=_crumbs(meeting),
        current=task,
        save=lambda d: services.task_update(
            task=task, expected_version=d["version"], data={k: d[k] for k in TASK_FIELDS}
        ),
        success_url=lambda obj: _detail_url(meeting, "tasks"),
    )


# Photos and the printed record ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def photo_create(request, pk: int):
    meeting = _managed_meeting(request, pk)
    return photo_views.photo_upload_page(
        request,
        form=PhotoForm(request.POST or None, request.FILES or None),
        breadcrumb=_crumbs(meeting),
        save=lambda d: services.photo_add(
            meeting=meeting, uploaded=d["image"], caption=d["caption"], form_token=d["form_token"]
        ),
        back=_detail_url(meeting, "photos"),
    )


@login_required
def photo_file(request, pk: int):
    return photo_views.photo_file(selectors.photo_get(viewer=request.user, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def photo_edit(request, pk: int):
    photo = selectors.photo_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_meeting(request.user, photo.meeting))
    return photo_views.photo_caption_page(
        request,
        photo=photo,
        breadcrumb=_crumbs(photo.meeting),
        save=lambda d: services.photo_update(photo=photo, expected_version=d["version"], caption=d["caption"]),
        back=_detail_url(photo.meeting, "photos"),
    )


@login_required
@require_POST
def photo_move(request, pk: int):
    photo = selectors.photo_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_meeting(request.user, photo.meeting))
    return photo_views.photo_move_action(
        request, photo=photo, move=services.photo_move, back=_detail_url(photo.meeting, "photos")
    )


@login_required
@require_POST
def photo_delete(request, pk: int):
    photo = selectors.photo_get(viewer=request.user, pk=pk)
    require(permissions.can_manage_meeting(request.user, photo.meeting))
    return photo_views.photo_delete_action(
        request, photo=photo, delete=services.photo_delete, back=_detail_url(photo.meeting, "photos")
    )


# The PDF holds at most this many photos: the record stays a few megabytes.
PDF_PHOTOS = 12


@login_required
def meeting_pdf(request, pk: int):
    """The record of the meeting: agenda, people, minutes, resolutions, tasks and photos."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    meeting = selectors.meeting_get(viewer=request.user, pk=pk)
    record = selectors.meeting_record(meeting)
    images = []
    for photo in record["photos"][:PDF_PHOTOS]:
        try:
            data = storage.read_bytes(photo.file.name)
        except (FileNotFoundError, OSError):
            continue
        images.append((photo, "data:image/jpeg;base64," + base64.b64encode(data).decode()))
    html = render_to_string(
        "meetings/meeting_print.html",
        {"meeting": meeting, **record, "images": images, "printed_at": timezone.now()},
        request=request,
    )
    html = convert_html(html, translation.get_language() or "")
    # Only the inline images above: the renderer fetches nothing from disk or the network.
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localtime(meeting.starts_at).strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}-{stamp}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# Setting up a meeting in a few steps: participants in bulk, several agenda items at once --------------


def _people_for(request, meeting):
    """Whom the member picker may add: the association's people for its own meeting, else everyone the
    viewer sees."""
    if meeting.association_id:
        return member_selectors.association_people(meeting.association_id)
    return member_selectors.person_scope(request.user)


def _pasted_digest(text: str) -> str:
    return hashlib.sha256((text or "").strip().encode()).hexdigest()[:16]


def _bulk_entries(form, officers, lines) -> list[dict]:
    data = form.cleaned_data
    role, association = data["role"], data.get("association")
    entries = [{"role": role, "person": term.person, "association": term.association} for term in officers]
    entries += [{"role": role, "person": person, "association": association} for person in data.get("people") or []]
    for line in lines:
        if line.person is not None:
            entries.append({"role": role, "person": line.person, "association": association})
        elif data.get("add_unmatched") and line.name:
            entries.append({"role": role, "name": line.name, "association": association})
    return entries


@login_required
@require_http_methods(["GET", "POST"])
def participant_bulk(request, pk: int):
    """Add participants in bulk. A pasted list is matched first and shown (matched, shared by several,
    unmatched); the participants are added once the list that was shown is sent again unchanged."""
    meeting = _managed_meeting(request, pk)
    form = ParticipantBulkForm(
        request.POST or None,
        meeting=meeting,
        associations=_associations_for(request, meeting),
        people=_people_for(request, meeting),
    )
    context = {"meeting": meeting, "form": form, "title": _("Add participants"), "breadcrumb": _crumbs(meeting)}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        officers = list(selectors.current_officers(data["officers_of"].pk)) if data.get("officers_of") else []
        lines = member_selectors.people_match_lines(
            viewer=request.user, text=data.get("pasted", ""), within_association=meeting.association_id
        )
        digest = _pasted_digest(data.get("pasted", ""))
        if lines and request.POST.get("previewed") != digest:
            context.update(preview=True, officers=officers, lines=lines, digest=digest)
            context["matched"] = sum(1 for line in lines if line.person is not None)
            return render(request, "meetings/participant_bulk.html", context)
        try:
            added, skipped = services.participants_bulk_add(
                meeting=meeting, entries=_bulk_entries(form, officers, lines), form_token=data["form_token"]
            )
        except AlreadySubmitted:
            messages.info(request, _("This form was already submitted; the participants were added once."))
            return redirect(_detail_url(meeting, "participants"))
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            message = ngettext("%(count)s participant added.", "%(count)s participants added.", len(added)) % {
                "count": len(added)
            }
            if skipped:
                message += " " + ngettext(
                    "%(count)s was already listed.", "%(count)s were already listed.", skipped
                ) % {"count": skipped}
            messages.success(request, message)
            return redirect(_detail_url(meeting, "participants"))
    return render(request, "meetings/participant_bulk.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_bulk(request, pk: int):
    """Several agenda items in one form, in the order they happen."""
    meeting = _managed_meeting(request, pk)
    associations = _associations_for(request, meeting)
    token = TokenForm(request.POST or None)
    formset = AgendaRowFormSet(request.POST or None, form_kwargs={"associations": associations})
    context = {
        "meeting": meeting,
        "token": token,
        "formset": formset,
        "title": _("Add agenda items"),
        "breadcrumb": _crumbs(meeting),
    }
    if request.method == "POST" and token.is_valid() and formset.is_valid():
        rows = [f.cleaned_data for f in formset if f.has_changed() and f.cleaned_data]
        if not rows:
            messages.error(request, _("Fill in at least one line: its type and title."))
        else:
            try:
                services.agenda_items_bulk_create(
                    meeting=meeting, rows=rows, form_token=token.cleaned_data["form_token"]
                )
            except AlreadySubmitted:
                messages.info(request, _("This form was already submitted; the items were added once."))
                return redirect(_detail_url(meeting, "agenda"))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    ngettext("%(count)s agenda item added.", "%(count)s agenda items added.", len(rows))
                    % {"count": len(rows)},
                )
                return redirect(_detail_url(meeting, "agenda"))
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/agenda_bulk.html", context, status=status)
