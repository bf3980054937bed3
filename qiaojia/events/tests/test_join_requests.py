"""Members ask to join their association's delegation to a flagship event open to members' requests; the
association's officers confirm (the member becomes a delegate) or decline; the member withdraws while the
request waits and follows it on My page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from qiaojia.core.models import AuditEntry
from qiaojia.core.services import ConflictError
from qiaojia.events import services
from qiaojia.events.models import (
    Delegate,
    Delegation,
    DelegationStatus,
    EventStatus,
    JoinRequest,
    JoinRequestStatus,
)
from qiaojia.notifications.models import Notification

from .world import make_delegation, make_event, make_join_event

pytestmark = pytest.mark.django_db


def _ask(event, association, person, **kw):
    return services.join_request_create(event=event, association=association, person=person, **kw)


def _confirm(request, user):
    return services.join_request_confirm(request=request, expected_version=request.version, by_user=user)


def test_an_event_open_to_members_needs_a_closing_date(federation):
    with pytest.raises(ValidationError) as missing:
        make_event(slug="no-date", members_may_ask=True)
    assert "members_ask_until" in missing.value.message_dict


def test_a_request_opens_a_draft_delegation_and_tells_the_officers(
    federation, business_association, member_person, member_user, officer_of
):
    event = make_join_event()
    request = _ask(event, business_association, member_person, note="我想參加", by=member_user)
    delegation = request.delegation
    assert request.status == JoinRequestStatus.PENDING and request.asked_by == member_user
    assert delegation.status == DelegationStatus.DRAFT and delegation.association == business_association
    assert delegation.leader_name == "" and not delegation.delegates.exists()
    notice = Notification.objects.get(kind="events.join_requested")
    assert notice.recipient == officer_of and str(delegation.pk) in notice.url
    with translation.override("zh-hans"):
        assert "柴莉" in notice.subject_for("zh-hans")
    assert AuditEntry.objects.filter(object_type="events.joinrequest", object_id=str(request.pk)).exists()
    assert AuditEntry.objects.filter(object_type="events.delegation", object_id=str(delegation.pk)).exists()


def test_a_request_is_attached_to_the_existing_draft(federation, business_association, member_person):
    event = make_join_event()
    delegation = make_delegation(event, business_association, leader="王會長")
    request = _ask(event, business_association, member_person)
    assert request.delegation == delegation
    assert Delegation.objects.filter(event=event).count() == 1


@translation.override("en")
def test_requests_are_refused_when_closed_not_a_member_twice_or_after_submission(
    federation, business_association, other_association, member_person, make_person
):
    event = make_join_event()
    with pytest.raises(ValidationError, match="Only members of"):
        _ask(event, other_association, member_person)
    _ask(event, business_association, member_person)
    with pytest.raises(ValidationError, match="already asked"):
        _ask(event, business_association, member_person)
    closed = make_join_event(slug="closed", days=-1)
    with pytest.raises(ValidationError, match="does not take members' requests"):
        _ask(closed, business_association, member_person)
    not_open = make_event(slug="not-open", members_may_ask=False)
    with pytest.raises(ValidationError, match="does not take members' requests"):
        _ask(not_open, business_association, member_person)
    submitted_event = make_join_event(slug="submitted")
    make_delegation(submitted_event, business_association, leader="王會長", submit=True)
    with pytest.raises(ValidationError, match="already sent its delegation"):
        _ask(submitted_event, business_association, make_person("陳新", association=business_association))
    assert JoinRequest.objects.count() == 1


def test_the_officer_confirms_the_member_becomes_a_delegate_and_hears_it(
    federation, business_association, member_person, member_user, officer_of
):
    event = make_join_event()
    request = _ask(event, business_association, member_person)
    confirmed = _confirm(request, officer_of)
    assert confirmed.status == JoinRequestStatus.CONFIRMED and confirmed.decided_by == officer_of
    delegate = Delegate.objects.get(delegation=request.delegation, person=member_person)
    assert delegate.name == member_person.name
    notice = Notification.objects.get(kind="events.join_confirmed")
    assert notice.recipient == member_user
    with pytest.raises(ValidationError):  # decided already: neither again nor declined
        services.join_request_decline(request=confirmed, expected_version=confirmed.version, by_user=officer_of)
    with pytest.raises(ValidationError):  # and the member is in a delegation to this event
        _ask(event, business_association, member_person)


def test_the_officer_declines_with_a_reason_and_the_member_may_ask_again(
    federation, business_association, member_person, member_user, officer_of
):
    event = make_join_event()
    request = _ask(event, business_association, member_person)
    declined = services.join_request_decline(
        request=request, expected_version=request.version, by_user=officer_of, reason="名額已滿"
    )
    assert declined.status == JoinRequestStatus.DECLINED and declined.reason == "名額已滿"
    assert not Delegate.objects.filter(person=member_person).exists()
    notice = Notification.objects.get(kind="events.join_declined")
    assert notice.recipient == member_user and "名額已滿" in notice.body_for("zh-hant")
    again = _ask(event, business_association, member_person)
    assert again.status == JoinRequestStatus.PENDING and again.pk != request.pk


@translation.override("en")
def test_confirmation_respects_the_quota_and_the_delegations_status(
    federation, business_association, member_person, make_person, officer_of, staff_user
):
    event = make_join_event(default_quota=2)
    delegation = make_delegation(event, business_association, leader="王會長", members=["李四"])
    request = _ask(event, business_association, member_person)
    with pytest.raises(ValidationError, match="2 people"):
        _confirm(request, officer_of)
    second = make_join_event(slug="second")
    other = _ask(second, business_association, make_person("陳新", association=business_association))
    draft = other.delegation
    services.delegation_update(delegation=draft, expected_version=draft.version, data={"leader_name": "王會長"})
    draft.refresh_from_db()
    services.delegation_submit(delegation=draft, expected_version=draft.version)
    other.refresh_from_db()
    with pytest.raises(ValidationError, match="only a draft delegation"):
        _confirm(other, officer_of)
    assert JoinRequest.objects.filter(status=JoinRequestStatus.PENDING).count() == 2
    assert delegation.delegates.count() == 2


@translation.override("en")
def test_a_draft_opened_by_a_request_is_submitted_only_with_a_leader(
    federation, business_association, member_person, officer_of
):
    event = make_join_event()
    request = _ask(event, business_association, member_person)
    _confirm(request, officer_of)
    delegation = Delegation.objects.get(pk=request.delegation_id)
    with pytest.raises(ValidationError, match="Name the leader"):
        services.delegation_submit(delegation=delegation, expected_version=delegation.version)
    delegation = services.delegation_update(
        delegation=delegation, expected_version=delegation.version, data={"leader_name": "王會長"}
    )
    assert delegation.delegates.filter(role="leader", name="王會長").exists()
    submitted = services.delegation_submit(delegation=delegation, expected_version=delegation.version)
    assert submitted.status == DelegationStatus.SUBMITTED and submitted.delegates.count() == 2


def test_the_member_withdraws_a_waiting_request_only(federation, business_association, member_person, officer_of):
    event = make_join_event()
    request = _ask(event, business_association, member_person)
    with pytest.raises(ConflictError):
        services.join_request_withdraw(request=request, expected_version=request.version + 1)
    withdrawn = services.join_request_withdraw(request=request, expected_version=request.version)
    assert withdrawn.status == JoinRequestStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        _confirm(withdrawn, officer_of)
    assert not Delegate.objects.filter(person=member_person).exists()


@pytest.mark.parametrize("end", ["withdrawn", "refused"])
def test_requests_waiting_on_a_delegation_that_is_withdrawn_or_refused_are_declined(
    federation, business_association, member_person, member_user, officer_of, staff_user, end
):
    event = make_join_event()
    delegation = make_delegation(event, business_association, leader="王會長")
    request = _ask(event, business_association, member_person)
    if end == "withdrawn":
        services.delegation_withdraw(delegation=delegation, expected_version=delegation.version, by_user=officer_of)
    else:
        delegation = services.delegation_submit(delegation=delegation, expected_version=delegation.version)
        services.delegation_refuse(
            delegation=delegation, expected_version=delegation.version, by_user=staff_user, reason="名額已滿"
        )
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.DECLINED and request.reason
    assert request.decided_by == (officer_of if end == "withdrawn" else staff_user)
    notice = Notification.objects.get(kind="events.join_declined")
    assert notice.recipient == member_user
    # the member may ask again, e.g. once the association registers a new delegation
    assert not JoinRequest.objects.filter(person=member_person, status=JoinRequestStatus.PENDING).exists()


def test_the_database_holds_one_standing_request_and_one_delegate_row_per_person(
    federation, business_association, member_person
):
    event = make_join_event()
    request = _ask(event, business_association, member_person)
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinRequest.objects.create(
            event=event, delegation=request.delegation, person=member_person, asked_at=timezone.now()
        )
    Delegate.objects.create(delegation=request.delegation, person=member_person, name=member_person.name)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delegate.objects.create(delegation=request.delegation, person=member_person, name=member_person.name)


# Pages ------------------------------------------------------------------------------------------


def test_member_asks_from_the_list_and_withdraws_from_my_page(
    login, federation, business_association, member_user, member_person
):
    event = make_join_event()
    client = login(member_user)
    page = client.get(reverse("events:joinable-list")).content.decode()
    ask = reverse("events:join-request-create", args=[event.pk, business_association.pk])
    assert ask in page
    response = client.post(ask, {"note": "盼同行"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("home:mine"))
    request = JoinRequest.objects.get(person=member_person)
    assert request.note == "盼同行"
    mine = client.get(reverse("home:mine")).content.decode()
    assert f'data-join-request="{request.pk}"' in mine and 'data-status="pending"' in mine
    withdraw = reverse("events:join-request-withdraw", args=[request.pk])
    assert withdraw in mine
    client.post(withdraw, {"version": request.version, "from": "mine"})
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.WITHDRAWN
    assert withdraw not in client.get(reverse("home:mine")).content.decode()


def test_member_cannot_ask_for_another_association_or_a_closed_event(
    login, federation, business_association, other_association, member_user
):
    event = make_join_event()
    client = login(member_user)
    assert client.post(reverse("events:join-request-create", args=[event.pk, other_association.pk])).status_code == 404
    draft = make_event(
        slug="draft-ask", status=EventStatus.DRAFT, members_may_ask=True, members_ask_until=event.starts_on
    )
    assert (
        client.post(reverse("events:join-request-create", args=[draft.pk, business_association.pk])).status_code == 404
    )
    closed = make_join_event(name="已截止的大會", slug="closed-ask", days=-2)
    page = client.get(reverse("events:joinable-list")).content.decode()
    assert f'id="joinable-{closed.pk}-' not in page and f'id="joinable-{event.pk}-' in page
    client.post(reverse("events:join-request-create", args=[closed.pk, business_association.pk]))
    assert not JoinRequest.objects.exists()


def test_officer_confirms_on_the_delegation_page(
    login, federation, business_association, member_person, officer_of, officer_of_other
):
    event = make_join_event()
    request = _ask(event, business_association, member_person)
    client = login(officer_of)
    url = reverse("events:delegation-detail", args=[request.delegation_id])
    page = client.get(url).content.decode()
    decide = reverse("events:join-request-decide", args=[request.pk])
    assert decide in page and "leader-unnamed" in page
    other = login(officer_of_other)
    assert other.post(decide, {"version": request.version, "decision": "confirm"}).status_code == 404
    client = login(officer_of)
    assert client.post(decide, {"version": request.version, "decision": "confirm"}).status_code == 302
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.CONFIRMED
    assert Delegate.objects.filter(delegation=request.delegation, person=member_person).exists()
    assert decide not in client.get(url).content.decode()


def test_event_form_sets_members_requests(login, federation, staff_user):
    event = make_event(slug="form-event")
    client = login(staff_user)
    data = {
        "version": event.version,
        "name": event.name,
        "slug": event.slug,
        "starts_on": event.starts_on.isoformat(),
        "default_quota": 5,
        "members_may_ask": "on",
    }
    response = client.post(reverse("events:event-edit", args=[event.pk]), data)
    assert response.status_code == 400
    event.refresh_from_db()
    assert not event.members_may_ask
    until = timezone.localdate() + datetime.timedelta(days=5)
    response = client.post(reverse("events:event-edit", args=[event.pk]), {**data, "members_ask_until": until})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.members_may_ask and event.members_ask_until == until


def test_pages_queries_do_not_grow_with_rows(
    login,
    federation,
    business_association,
    member_user,
    member_person,
    officer_of,
    make_person,
    django_assert_max_num_queries,
):
    events = [make_join_event(slug=f"q-{n}", default_quota=20) for n in range(2)]
    client = login(member_user)
    url = reverse("events:joinable-list")
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for n in range(6):
        make_join_event(slug=f"more-{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(18) as mine_few:
        assert client.get(reverse("home:mine")).status_code == 200
    _ask(events[0], business_association, member_person)
    _ask(events[1], business_association, member_person)
    with django_assert_max_num_queries(len(mine_few.captured_queries)):
        assert client.get(reverse("home:mine")).status_code == 200
    delegation = JoinRequest.objects.filter(event=events[0]).get().delegation
    officer = login(officer_of)
    detail = reverse("events:delegation-detail", args=[delegation.pk])
    with django_assert_max_num_queries(16) as detail_few:
        assert officer.get(detail).status_code == 200
    for n in range(6):
        _ask(events[0], business_association, make_person(f"會員{n}", association=business_association))
    with django_assert_max_num_queries(len(detail_few.captured_queries)):
        assert officer.get(detail).status_code == 200
