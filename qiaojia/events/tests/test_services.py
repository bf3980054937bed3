import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from qiaojia.core.chinese import to_simplified
from qiaojia.core.models import AuditEntry
from qiaojia.core.services import ConflictError
from qiaojia.events import selectors, services
from qiaojia.events.models import Delegate, DelegateRole, Delegation, DelegationStatus, EventQuota, EventStatus
from qiaojia.notifications.models import Notification

from .world import approve, make_delegation, make_event

pytestmark = pytest.mark.django_db


def test_delegation_create_makes_the_leader_the_first_delegate(event, business_association, make_person):
    person = make_person("鄭定輝", association=business_association)
    delegation = make_delegation(event, business_association, leader="郑定辉")  # typed in Simplified
    leader = delegation.delegates.get()
    assert (leader.role, leader.person, leader.name) == (DelegateRole.LEADER, person, "鄭定輝")
    assert delegation.contact_phone == "+8613912345678"


def test_delegation_submit_refuses_over_quota_and_changes_nothing(event, business_association):
    delegation = make_delegation(event, business_association, members=["李一", "王二"])
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.delegation_submit(delegation=delegation, expected_version=delegation.version)
    assert "3" in exc.value.messages[0] and "2" in exc.value.messages[0]
    delegation.refresh_from_db()
    assert delegation.status == DelegationStatus.DRAFT and delegation.submitted_at is None
    assert AuditEntry.objects.count() == audits


def test_a_submitted_delegation_tells_the_staff_of_the_supervising_department(
    event, business_association, staff_user, admin_user, officer_of, login
):
    delegation = make_delegation(event, business_association, members=["李一"])
    services.delegation_submit(delegation=delegation, expected_version=delegation.version)
    notice = Notification.objects.get(kind="events.submitted")
    assert notice.recipient == staff_user  # not the administrators while the department has staff
    assert to_simplified(business_association.name) in notice.body and to_simplified(event.name) in notice.subject
    assert notice.url == reverse("events:delegation-detail", args=[delegation.pk])
    assert login(staff_user).get(notice.url).status_code == 200  # the link opens for the reviewer


def test_delegation_submit_accepts_within_quota(event, business_association):
    delegation = make_delegation(event, business_association, members=["李一"])
    submitted = services.delegation_submit(delegation=delegation, expected_version=delegation.version)
    assert submitted.status == DelegationStatus.SUBMITTED and submitted.submitted_at is not None


def test_association_quota_overrides_the_default(event, business_association, other_association):
    event = services.event_quotas_set(
        event=event, expected_version=event.version, quotas={business_association.pk: 4, other_association.pk: None}
    )
    assert services.quota_for(event, business_association) == 4
    assert services.quota_for(event, other_association) == 2
    delegation = make_delegation(event, business_association, members=["李一", "王二", "張三"], submit=True)
    assert delegation.status == DelegationStatus.SUBMITTED
    # Back to the default removes the row.
    services.event_quotas_set(event=event, expected_version=event.version, quotas={business_association.pk: None})
    assert not EventQuota.objects.exists()


def test_quotas_with_a_stale_version_are_refused(event, business_association):
    services.event_update(event=event, expected_version=event.version, data={"place": "新鄭"})
    with pytest.raises(ConflictError):
        services.event_quotas_set(event=event, expected_version=event.version, quotas={business_association.pk: 9})
    assert not EventQuota.objects.exists()


def test_registration_refused_unless_the_event_is_open(federation, business_association):
    draft = make_event(status=EventStatus.DRAFT, slug="draft")
    with pytest.raises(ValidationError):
        make_delegation(draft, business_association)
    closed_window = make_event(slug="late", registration_closes=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        make_delegation(closed_window, business_association)
    assert not Delegation.objects.exists()


def test_submit_refused_after_registration_closes(event, business_association):
    delegation = make_delegation(event, business_association)
    event = services.event_set_status(event=event, expected_version=event.version, status=EventStatus.CLOSED)
    with pytest.raises(ValidationError):
        services.delegation_submit(delegation=delegation, expected_version=delegation.version)
    delegation.refresh_from_db()
    assert delegation.status == DelegationStatus.DRAFT


def test_one_active_delegation_per_association(event, business_association):
    first = make_delegation(event, business_association)
    with pytest.raises(ValidationError):
        make_delegation(event, business_association)
    services.delegation_withdraw(delegation=first, expected_version=first.version)
    assert make_delegation(event, business_association).status == DelegationStatus.DRAFT


def test_stale_version_is_a_conflict(event, business_association):
    delegation = make_delegation(event, business_association)
    services.delegation_update(delegation=delegation, expected_version=delegation.version, data={"note": "早到"})
    with pytest.raises(ConflictError):
        services.delegation_update(delegation=delegation, expected_version=delegation.version, data={"note": "x"})
    with pytest.raises(ConflictError):
        services.delegation_submit(delegation=delegation, expected_version=delegation.version)
    assert Delegation.objects.get().note == "早到"


def test_overseas_guest_needs_a_country(event, business_association):
    delegation = make_delegation(event, business_association)
    with pytest.raises(ValidationError):
        services.delegate_add(delegation=delegation, data={"name": "Lim Wei", "role": DelegateRole.OVERSEAS_GUEST})
    guest = services.delegate_add(
        delegation=delegation, data={"name": "Lim Wei", "role": DelegateRole.OVERSEAS_GUEST, "country": "MY"}
    )
    assert guest.country.code == "MY"


def test_leader_cannot_be_removed_and_submitted_delegation_is_frozen(event, business_association):
    delegation = make_delegation(event, business_association, members=["李一"])
    leader = delegation.delegates.get(role=DelegateRole.LEADER)
    with pytest.raises(ValidationError):
        services.delegate_remove(delegate=leader, expected_version=leader.version)
    delegation = services.delegation_submit(delegation=delegation, expected_version=delegation.version)
    member = Delegate.objects.get(name="李一")
    member.delegation = delegation
    with pytest.raises(ValidationError):
        services.delegate_remove(delegate=member, expected_version=member.version)
    assert delegation.delegates.count() == 2


def test_approval_beyond_capacity_waitlists_and_promotion_follows_submission(
    event, business_association, other_association, staff_user, officer_of, officer_of_other, make_person
):
    event = services.event_update(event=event, expected_version=event.version, data={"capacity": 3})
    first = make_delegation(event, business_association, members=["李一"], submit=True)
    second = make_delegation(event, other_association, members=["王二"], submit=True)
    first = services.delegation_approve(delegation=first, expected_version=first.version, by_user=staff_user)
    second = services.delegation_approve(delegation=second, expected_version=second.version, by_user=staff_user)
    assert (first.status, second.status) == (DelegationStatus.APPROVED, DelegationStatus.WAITLISTED)
    assert Notification.objects.filter(recipient=officer_of_other, kind="events.waitlisted").exists()
    assert Notification.objects.filter(recipient=officer_of, kind="events.approved").exists()
    # Nothing frees: nobody is promoted.
    assert services.waitlist_promote(event=event, by_user=staff_user) == []
    services.delegation_withdraw(delegation=first, expected_version=first.version)
    promoted = services.waitlist_promote(event=event, by_user=staff_user)
    assert [d.pk for d in promoted] == [second.pk]
    assert Delegation.objects.get(pk=second.pk).status == DelegationStatus.APPROVED
    assert services.places_taken(event) == 2


def test_promotion_keeps_the_order_of_submission(
    federation, liaison_department, business_association, other_association, staff_user
):
    from conftest import _association

    third_association = _association(federation, liaison_department, "河南省海外聯誼會")
    event = make_event(default_quota=3, capacity=3)
    holder = approve(make_delegation(event, business_association, members=["甲", "乙"], submit=True))
    big = approve(make_delegation(event, other_association, members=["丙", "丁"], submit=True))
    small = approve(make_delegation(event, third_association, submit=True))
    assert (holder.status, big.status) == (DelegationStatus.APPROVED, DelegationStatus.WAITLISTED)
    assert small.status == DelegationStatus.WAITLISTED
    # One place more: the single leader would fit, but the earlier, bigger delegation waits first.
    event = services.event_update(event=event, expected_version=event.version, data={"capacity": 4})
    assert services.waitlist_promote(event=event, by_user=staff_user) == []
    services.delegation_withdraw(delegation=holder, expected_version=holder.version)
    assert [d.pk for d in services.waitlist_promote(event=event, by_user=staff_user)] == [big.pk, small.pk]


def test_refuse_needs_a_reason_and_notifies(event, business_association, staff_user, officer_of):
    delegation = make_delegation(event, business_association, submit=True)
    with pytest.raises(ValidationError):
        services.delegation_refuse(
            delegation=delegation, expected_version=delegation.version, by_user=staff_user, reason=" "
        )
    refused = services.delegation_refuse(
        delegation=delegation, expected_version=delegation.version, by_user=staff_user, reason="名額已滿"
    )
    assert (refused.status, refused.reviewed_by) == (DelegationStatus.REFUSED, staff_user)
    notice = Notification.objects.get(recipient=officer_of, kind="events.refused")
    assert "名额已满" in notice.body  # the reason, in the reader's script


def test_check_in_is_idempotent(event, business_association, staff_user):
    delegation = approve(make_delegation(event, business_association, submit=True))
    leader = delegation.delegates.get()
    leader.delegation = delegation
    checked, changed = services.delegate_check_in(delegate=leader, by_user=staff_user)
    assert changed and checked.checked_in_by == staff_user
    again, changed_again = services.delegate_check_in(delegate=checked, by_user=staff_user)
    assert not changed_again and again.checked_in_at == checked.checked_in_at


def test_check_in_refused_for_an_unapproved_delegation(event, business_association, staff_user):
    delegation = make_delegation(event, business_association, submit=True)
    leader = delegation.delegates.get()
    with pytest.raises(ValidationError):
        services.delegate_check_in(delegate=leader, by_user=staff_user)
    assert Delegate.objects.get().checked_in_at is None


def test_public_counts_show_delegations_and_countries(event, business_association, other_association):
    first = make_delegation(event, business_association)
    services.delegate_add(delegation=first, data={"name": "Lim", "role": DelegateRole.OVERSEAS_GUEST, "country": "MY"})
    approve(services.delegation_submit(delegation=first, expected_version=first.version))
    make_delegation(event, other_association, submit=True)
    assert selectors.public_counts(event) == {"delegations": 1, "countries": 1}


def test_association_event_count(event, business_association):
    approve(make_delegation(event, business_association, submit=True))
    assert selectors.association_event_count(association=business_association, year=event.starts_on.year) == 1
    assert selectors.association_event_count(association=business_association, year=event.starts_on.year - 1) == 0


def test_demo_is_idempotent(federation, business_association, make_person):
    from qiaojia.events.demo import load_events_demo
    from qiaojia.events.models import FlagshipEvent

    make_person("鄭定輝", association=business_association)
    load_events_demo(federation=federation)
    counts = (FlagshipEvent.objects.count(), Delegation.objects.count(), Delegate.objects.count())
    load_events_demo(federation=federation)
    assert (FlagshipEvent.objects.count(), Delegation.objects.count(), Delegate.objects.count()) == counts
    assert counts[0] == 3 and counts[1] >= 1
    assert FlagshipEvent.objects.filter(status=EventStatus.OPEN).count() == 1


def test_the_demo_loader_loads_the_events_demo_with_the_seeds_names(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qiaojia.demo.loader import load
    from qiaojia.events.demo import load_events_demo
    from qiaojia.events.models import FlagshipEvent
    from qiaojia.orgs.models import Federation

    load(people=60, enterprises=10)
    demo_federation = Federation.objects.get()
    # The demo loader has loaded it already: another call finds it with one query and writes nothing.
    with CaptureQueriesContext(connection) as queries:
        load_events_demo(federation=demo_federation)
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]
    open_event = FlagshipEvent.objects.get(status=EventStatus.OPEN)
    # (the trade demo's B2B schedule approves other associations' delegations to the same event)
    delegation = Delegation.objects.get(event=open_event, association__name="河南省僑商聯合會")
    assert delegation.status == DelegationStatus.APPROVED
    assert delegation.leader_name == "鄭定輝" and delegation.leader is not None
    rite = FlagshipEvent.objects.get(slug="huangdi-2025")
    assert rite.status == EventStatus.FINISHED and str(rite.starts_on) == "2025-03-31"
    assert not Delegate.objects.filter(delegation__event=rite, checked_in_at__isnull=True).exists()
