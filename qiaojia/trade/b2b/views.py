"""The pages of B2B matchmaking: the organiser opens it and follows the meetings; participants register,
book, answer, and read their agenda on the phone or as a PDF."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qiaojia.core.pages import form_page, post_action, require
from qiaojia.core.script import convert_html
from qiaojia.exports.formats import export_response
from qiaojia.orgs.models import Association
from qiaojia.trade.models import Offer, OfferStatus

from . import permissions, selectors, services
from .exports import SCHEDULE_EXPORT
from .forms import AnswerForm, CancelForm, JoinForm, RecordForm, RequestForm, SessionOpenForm
from .models import BusinessMeeting


def _crumbs(session=None):
    crumbs = [(reverse("trade:b2b-list"), _("B2B meetings"))]
    if session is not None:
        crumbs.append((reverse("trade:b2b-detail", args=[session.pk]), session.event.name))
    return crumbs


def _label(slot) -> str:
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return f"{start:%H:%M}–{end:%H:%M}"


@login_required
def session_list(request):
    can_organise = permissions.can_organise_b2b(request.user)
    return render(
        request,
        "trade/b2b_list.html",
        {
            "sessions": selectors.session_list(viewer=request.user),
            "can_organise": can_organise,
            "to_open": selectors.events_without_session(viewer=request.user) if can_organise else [],
            "breadcrumb": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_open(request, event_pk: int):
    event = selectors.event_for_opening(viewer=request.user, pk=event_pk)
    form = SessionOpenForm(request.POST or None, initial={"day": event.starts_on, "place": event.place})
    return form_page(
        request,
        form=form,
        title=_("Open B2B matchmaking: %(event)s") % {"event": event.name},
        breadcrumb=_crumbs(),
        save=lambda d: services.session_open(event=event, by=request.user, **d),
        success_url=lambda s: reverse("trade:b2b-detail", args=[s.pk]),
        success_message=lambda s: _("B2B matchmaking is open: registered enterprises may now take part."),
    )


@login_required
def session_detail(request, pk: int):
    session = selectors.session_get(viewer=request.user, pk=pk)
    people = selectors.participants(session)
    own = selectors.own_participants(viewer=request.user, session=session, among=people)
    slots = selectors.slots(session)
    for slot in slots:
        slot.label = _label(slot)
    context = {
        "session": session,
        "participants": people,
        "own": own,
        "slots": slots,
        "last_ends": slots[-1].ends_at if slots else None,
        "can_organise": permissions.can_organise_b2b(request.user),
        "can_join": bool(selectors.joinable_enterprises(viewer=request.user, session=session)),
        "breadcrumb": _crumbs(),
    }
    if own and session.status == "open":
        others = [p for p in people if p not in own] or people
        context["request_form"] = RequestForm(own=own, others=others, slots=slots)
    return render(request, "trade/b2b_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def participant_join(request, pk: int):
    session = selectors.session_get(viewer=request.user, pk=pk)
    enterprises = selectors.joinable_enterprises(viewer=request.user, session=session)
    require(bool(enterprises))
    by_id = {e.pk: (e, association_id) for e, association_id in enterprises}
    offers = list(
        Offer.objects.filter(enterprise_id__in=list(by_id), status=OfferStatus.PUBLISHED).only("pk", "title")[:200]
    )
    form = JoinForm(request.POST or None, enterprises=enterprises, offers=offers)

    def save(d):
        enterprise, association_id = by_id[d["enterprise"]]
        return services.participant_join(
            session=session,
            enterprise=enterprise,
            association=Association.objects.get(pk=association_id),
            offers_text=d["offers_text"],
            seeks_text=d["seeks_text"],
            offers=[o for o in offers if o.pk in set(d["offers"])],
        )

    return form_page(
        request,
        form=form,
        title=_("Take part in the B2B meetings: %(event)s") % {"event": session.event.name},
        breadcrumb=_crumbs(session),
        save=save,
        success_url=lambda p: reverse("trade:b2b-detail", args=[session.pk]),
        success_message=lambda p: (
            _("%(name)s takes part: others can now ask it for meetings.") % {"name": p.enterprise.name}
        ),
    )


@login_required
@require_POST
def meeting_request(request, pk: int):
    session = selectors.session_get(viewer=request.user, pk=pk)
    people = selectors.participants(session)
    own = selectors.own_participants(viewer=request.user, session=session, among=people)
    require(bool(own))
    slots = selectors.slots(session)
    for slot in slots:
        slot.label = _label(slot)
    form = RequestForm(request.POST, own=own, others=people, slots=slots)
    by_pk = {p.pk: p for p in people}
    slot_by_pk = {s.pk: s for s in slots}
    for p in people:
        p.session = session
    back = reverse("trade:b2b-detail", args=[session.pk])
    return post_action(
        request,
        form,
        lambda d: services.meeting_request(
            requester=by_pk[d["requester"]],
            invitee=by_pk[d["invitee"]],
            slot=slot_by_pk[d["slot"]],
            message=d["message"],
            by=request.user,
        ),
        success=_("The meeting was asked for; you will be told when the other side answers."),
        back=back,
        done=reverse("trade:b2b-agenda", args=[int(form.cleaned_data["requester"])]) if form.is_valid() else None,
    )


def _meeting(request, pk: int, allowed) -> BusinessMeeting:
    meeting = selectors.meeting_get(viewer=request.user, pk=pk)
    require(allowed(request.user, meeting))
    return meeting


def _back(request, meeting) -> str:
    if permissions.can_act_for(request.user, meeting.invitee):
        return reverse("trade:b2b-agenda", args=[meeting.invitee_id])
    if permissions.can_act_for(request.user, meeting.requester):
        return reverse("trade:b2b-agenda", args=[meeting.requester_id])
    return reverse("trade:b2b-meetings", args=[meeting.session_id])


@login_required
@require_POST
def meeting_answer(request, pk: int):
    meeting = _meeting(request, pk, permissions.can_answer_meeting)
    form = AnswerForm(request.POST)
    accept = request.POST.get("answer") == "accept"

    def act(d):
        if d["answer"] == "accept":
            return services.meeting_accept(meeting=meeting, expected_version=d["version"])
        return services.meeting_decline(meeting=meeting, expected_version=d["version"])

    return post_action(
        request,
        form,
        act,
        success=_("The meeting was accepted; a table was assigned.") if accept else _("The meeting was declined."),
        back=_back(request, meeting),
    )


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting = _meeting(request, pk, permissions.can_cancel_meeting)
    return post_action(
        request,
        CancelForm(request.POST),
        lambda d: services.meeting_cancel(meeting=meeting, expected_version=d["version"]),
        success=_("The meeting was called off; the slot is free again."),
        back=_back(request, meeting),
    )


@login_required
@require_POST
def meeting_record(request, pk: int):
    meeting = _meeting(request, pk, permissions.can_record_meeting)
    return post_action(
        request,
        RecordForm(request.POST),
        lambda d: services.meeting_record(
            meeting=meeting,
            status=d["status"],
            outcome=d["outcome"],
            outcome_note=d["outcome_note"],
            expected_version=d["version"],
        ),
        success=_("Recorded."),
        back=reverse("trade:b2b-meetings", args=[meeting.session_id]) + f"#meeting-{meeting.pk}",
    )


@login_required
def session_meetings(request, pk: int):
    """The organiser's schedule: every meeting by slot and table, marked held or no-show, with its outcome."""
    session = selectors.session_get(viewer=request.user, pk=pk)
    require(permissions.can_organise_b2b(request.user))
    return render(
        request,
        "trade/b2b_meetings.html",
        {
            "session": session,
            "meetings": list(selectors.session_meetings(session)),
            "figures": selectors.session_figures(session),
            "record_form": RecordForm(),
            "breadcrumb": _crumbs(session),
        },
    )


@login_required
def session_export(request, pk: int):
    session = selectors.session_get(viewer=request.user, pk=pk)
    require(permissions.can_organise_b2b(request.user))
    return export_response(
        request,
        queryset=selectors.session_meetings(session).values(*SCHEDULE_EXPORT.spec(request.user).values),
        columns=SCHEDULE_EXPORT.spec(request.user),
        name=f"b2b-schedule-{session.pk}",
        label=SCHEDULE_EXPORT.label,
    )


def _agenda_context(request, participant):
    meetings = selectors.agenda(participant)
    for m in meetings:
        m.other = m.invitee if m.requester_id == participant.pk else m.requester
        m.asked_of_me = m.invitee_id == participant.pk
        m.can_answer = permissions.can_answer_meeting(request.user, m)
        m.can_cancel = permissions.can_cancel_meeting(request.user, m)
    return {
        "participant": participant,
        "session": participant.session,
        "meetings": meetings,
        "printed_at": timezone.now(),
        "breadcrumb": _crumbs(participant.session),
    }


@login_required
def agenda(request, pk: int):
    """A participant's agenda, laid out for a phone: each meeting's time, table and the other side."""
    participant = selectors.participant_get(viewer=request.user, pk=pk)
    return render(request, "trade/b2b_agenda.html", _agenda_context(request, participant))


@login_required
def agenda_pdf(request, pk: int):
    """The same agenda as a PDF, laid out in the request: it is bounded (at most MAX_SLOTS meetings, one or two
    pages, no images), which WeasyPrint does in a fraction of a second; a background job would cost more."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    participant = selectors.participant_get(viewer=request.user, pk=pk)
    html = render_to_string("trade/b2b_agenda_print.html", _agenda_context(request, participant), request=request)
    html = convert_html(html, translation.get_language() or "")
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = datetime.date.today().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="b2b-agenda-{participant.pk}-{stamp}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
