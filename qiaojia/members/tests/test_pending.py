"""A person (or enterprise) in several associations without takeover: an officer who enters someone
registered outside their associations gets a membership awaiting confirmation, sees only what they
typed, and learns nothing of the registered record; staff (or the person) confirm or reject, audited."""

import datetime
import uuid

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from conftest import make_credit_code, make_id_number, verified_client
from qiaojia.accounts.models import Role
from qiaojia.core.chinese import to_simplified
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.members import services
from qiaojia.members.models import (
    Enterprise,
    IdKind,
    Membership,
    MembershipLevel,
    PendingMembership,
    PendingStatus,
    Person,
)
from qiaojia.notifications.models import Notification
from qiaojia.orgs.tests.helpers import CLEAR_ID_RE, CLEAR_PHONE_RE, text_of

pytestmark = pytest.mark.django_db

ID = make_id_number(7, "19850312")  # member_person's (柴莉, of business_association)
CODE = make_credit_code(7001)


def _add(association, **changes):
    """The add-member form of an officer of another association, typing A's member's ID number."""
    data = {
        "form_token": str(uuid.uuid4()),
        "name": "張冒名",
        "name_en": "",
        "gender": "f",
        "birth_date": "1985-03-12",
        "overseas_status": "none",
        "country": "CN",
        "phone": "139 0000 2222",
        "email": "",
        "id_kind": IdKind.RESIDENT_ID,
        "id_number": ID,
        "consent": "on",
        "association": association.pk,
        "level": MembershipLevel.MEMBER,
        "joined_on": "2024-05-01",
        "dues_status": "due",
    }
    data.update(changes)
    return data


def _client(user):
    return verified_client(Client(), user)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def a_enterprise(business_association):
    enterprise = services.enterprise_create(
        data={"name": "柴氏秘密實業有限公司", "credit_code": CODE, "address": "鄭州市金水路1號"}
    )
    services.membership_create(
        association=business_association,
        enterprise=enterprise,
        data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": datetime.date(2020, 1, 1)},
    )
    return enterprise


def _entered(officer_of_other, other_association):
    client = _client(officer_of_other)
    response = client.post(reverse("members:person-create"), _add(other_association))
    assert response.status_code == 302
    return client, response


# --- the attack through the form ---------------------------------------------------------------------


def test_officer_typing_another_associations_id_number_gets_no_access_to_that_person(
    member_person, officer_of_other, other_association
):
    client, _response = _entered(officer_of_other, other_association)
    pending = PendingMembership.objects.get()
    assert pending.person == member_person and pending.status == PendingStatus.PENDING
    assert not Membership.objects.filter(person=member_person, association=other_association).exists()
    for name, method in (("members:person-detail", "get"), ("members:person-edit", "get")):
        assert getattr(client, method)(reverse(name, args=[member_person.pk])).status_code == 404, name
    for field in ("phone", "id_number"):
        assert client.post(reverse("members:person-reveal", args=[member_person.pk, field])).status_code == 404
    assert client.get(reverse("members:pending-review", args=[pending.pk])).status_code == 404
    assert (
        client.post(
            reverse("members:pending-decide", args=[pending.pk]), {"decision": "confirm", "version": pending.version}
        ).status_code
        == 404
    )
    found = text_of(client.get(reverse("search:search") + "?q=柴莉"))
    assert reverse("members:person-detail", args=[member_person.pk]) not in found
    stored = Person.objects.get(pk=member_person.pk)
    assert (stored.name, stored.phone, stored.version) == ("柴莉", "+8613812341234", member_person.version)


def test_officer_sees_only_what_they_typed_while_it_waits(member_person, officer_of_other, other_association):
    client, response = _entered(officer_of_other, other_association)
    page = text_of(client.get(response["Location"]))
    assert 'id="pending-memberships"' in page and "張冒名" in page and "139****2222" in page
    assert "柴莉" not in page and "138****1234" not in page
    assert not CLEAR_PHONE_RE.search(page) and not CLEAR_ID_RE.search(page)
    export = text_of(client.get(reverse("members:person-export") + f"?association={other_association.pk}"))
    assert "柴莉" not in export and "張冒名" not in export  # not a member until confirmed


def test_form_message_says_a_match_will_be_reviewed_never_what_matched(
    member_person, officer_of_other, other_association, business_association
):
    _client_, response = _entered(officer_of_other, other_association)
    (message,) = _messages(response)
    assert "review" in message.lower() or "复核" in message or "審" in message or "审" in message
    for secret in ("柴莉", "138", "1234", business_association.name, business_association.short_name, "1985"):
        assert secret not in message, secret


def test_form_message_for_a_foreign_match_is_the_same_whoever_matched(
    make_person, officer_of_other, other_association, business_association
):
    """Two different registered people, one answer: the message carries nothing of either."""
    make_person("柴莉", association=business_association, phone="+8613812341234", id_number=ID)
    other_id = make_id_number(8, "19900101")
    make_person("王五", association=business_association, phone="+8613900003333", id_number=other_id)
    first = _client(officer_of_other).post(reverse("members:person-create"), _add(other_association))
    second = _client(officer_of_other).post(
        reverse("members:person-create"), _add(other_association, id_number=other_id, birth_date="1990-01-01")
    )
    assert len(_messages(first)) == 1 and _messages(first) == _messages(second)


def test_entering_the_same_person_again_waits_once(member_person, officer_of_other, other_association):
    client, _response = _entered(officer_of_other, other_association)
    again = client.post(reverse("members:person-create"), _add(other_association, name="張再次"))
    assert again.status_code == 400
    assert "柴莉" not in text_of(again)
    assert PendingMembership.objects.count() == 1


def test_repeated_submission_of_a_pending_entry_makes_one_request(member_person, officer_of_other, other_association):
    client = _client(officer_of_other)
    data = _add(other_association)
    client.post(reverse("members:person-create"), data)
    repeat = client.post(reverse("members:person-create"), data)
    assert repeat.status_code == 302 and PendingMembership.objects.count() == 1


def test_federation_staff_adding_a_registered_person_link_it_at_once(member_person, staff_user, other_association):
    _client(staff_user).post(reverse("members:person-create"), _add(other_association))
    assert Membership.objects.filter(person=member_person, association=other_association).exists()
    assert not PendingMembership.objects.exists()


def test_staff_are_told_and_see_the_request_in_the_duplicates_list(
    member_person, officer_of_other, other_association, staff_user
):
    _entered(officer_of_other, other_association)
    assert Notification.objects.filter(recipient=staff_user).count() == 1
    page = text_of(_client(staff_user).get(reverse("members:duplicate-list")))
    pending = PendingMembership.objects.get()
    assert reverse("members:pending-review", args=[pending.pk]) in page
    review = text_of(_client(staff_user).get(reverse("members:pending-review", args=[pending.pk])))
    assert "張冒名" in review and "柴莉" in review
    record = text_of(_client(staff_user).get(reverse("members:person-detail", args=[member_person.pk])))
    assert 'id="pending-requests"' in record and reverse("members:pending-review", args=[pending.pk]) in record


# --- decisions ------------------------------------------------------------------------------------


def _decide(user, pending, decision, version=None):
    return _client(user).post(
        reverse("members:pending-decide", args=[pending.pk]),
        {"decision": decision, "version": version or pending.version},
    )


def test_staff_confirm_makes_the_membership_active_with_one_audit_row(
    member_person, officer_of_other, other_association, staff_user
):
    client, _response = _entered(officer_of_other, other_association)
    pending = PendingMembership.objects.get()
    before = AuditEntry.objects.filter(object_type="members.pendingmembership").count()
    response = _decide(staff_user, pending, "confirm")
    assert response.status_code == 302
    membership = Membership.objects.get(person=member_person, association=other_association)
    assert membership.left_on is None and membership.joined_on == datetime.date(2024, 5, 1)
    pending.refresh_from_db()
    assert pending.status == PendingStatus.CONFIRMED and pending.membership == membership
    assert pending.decided_by == staff_user and pending.submitted == {"name": "張冒名"}
    decisions = AuditEntry.objects.filter(object_type="members.pendingmembership", action=AuditAction.UPDATE)
    assert AuditEntry.objects.filter(object_type="members.pendingmembership").count() == before + 1
    assert decisions.get().changes["status"] == [PendingStatus.PENDING, PendingStatus.CONFIRMED]
    assert decisions.get().actor_id == staff_user.pk
    # The officer now has the person, and is told so.
    assert client.get(reverse("members:person-detail", args=[member_person.pk])).status_code == 200
    assert Notification.objects.filter(recipient=officer_of_other).exists()


def test_staff_reject_links_nothing_keeps_only_the_typed_name_and_is_audited(
    member_person, officer_of_other, other_association, staff_user
):
    client, _response = _entered(officer_of_other, other_association)
    pending = PendingMembership.objects.get()
    assert _decide(staff_user, pending, "reject").status_code == 302
    pending.refresh_from_db()
    assert pending.status == PendingStatus.REJECTED and pending.submitted == {"name": "張冒名"}
    assert not Membership.objects.filter(person=member_person, association=other_association).exists()
    entry = AuditEntry.objects.get(object_type="members.pendingmembership", action=AuditAction.UPDATE)
    assert entry.changes["status"] == [PendingStatus.PENDING, PendingStatus.REJECTED]
    assert entry.changes["submitted"][1] == {"name": "張冒名"}
    assert "+8613900002222" not in str(AuditEntry.objects.values_list("changes", flat=True))  # masked in the trail
    assert client.get(reverse("members:person-detail", args=[member_person.pk])).status_code == 404
    assert "張冒名" not in text_of(client.get(reverse("members:person-list")))


def test_a_decided_request_cannot_be_decided_again_nor_on_a_stale_version(
    member_person, officer_of_other, other_association, staff_user
):
    _entered(officer_of_other, other_association)
    pending = PendingMembership.objects.get()
    _decide(staff_user, pending, "reject")
    _decide(staff_user, pending, "confirm")
    assert not Membership.objects.filter(association=other_association, person=member_person).exists()
    services.pending_membership_create(
        association=other_association,
        person=member_person,
        actor=None,
        submitted={"name": "張冒名"},
        membership_data={"joined_on": datetime.date(2024, 6, 1)},
    )
    fresh = PendingMembership.objects.get(status=PendingStatus.PENDING)
    response = _decide(staff_user, fresh, "confirm", version=fresh.version + 1)
    assert response.status_code == 302
    assert PendingMembership.objects.get(pk=fresh.pk).status == PendingStatus.PENDING


def test_the_person_confirms_their_own_pending_membership(
    member_person, member_user, officer_of_other, other_association
):
    _entered(officer_of_other, other_association)
    assert Notification.objects.filter(recipient=member_user).count() == 1
    client = _client(member_user)
    page = text_of(client.get(reverse("members:person-detail", args=[member_person.pk])))
    assert 'id="pending-requests"' in page and to_simplified(other_association.name) in page
    pending = PendingMembership.objects.get()
    response = client.post(
        reverse("members:pending-decide", args=[pending.pk]), {"decision": "confirm", "version": pending.version}
    )
    assert response["Location"] == reverse("members:person-detail", args=[member_person.pk])
    assert Membership.objects.filter(person=member_person, association=other_association).exists()
    assert (
        AuditEntry.objects.get(object_type="members.pendingmembership", action=AuditAction.UPDATE).actor_id
        == member_user.pk
    )


def test_another_member_cannot_decide_someone_elses_request(
    member_person, officer_of_other, other_association, make_person, make_user, business_association
):
    _entered(officer_of_other, other_association)
    someone = make_user("someone", Role.MEMBER, person=make_person("路人", association=business_association))
    pending = PendingMembership.objects.get()
    assert _decide(someone, pending, "confirm").status_code == 404
    assert PendingMembership.objects.get().status == PendingStatus.PENDING


def test_merging_people_moves_their_requests_and_keeps_one_per_association(
    member_person, make_person, other_association
):
    twin = make_person("柴莉", phone="+8613812341234")
    for person in (member_person, twin):
        services.pending_membership_create(
            association=other_association,
            person=person,
            actor=None,
            submitted={"name": "柴莉"},
            membership_data={"joined_on": datetime.date(2024, 1, 1)},
        )
    services.person_merge(survivor=member_person, duplicate=twin)
    assert list(PendingMembership.objects.values_list("person_id", flat=True)) == [member_person.pk]


# --- enterprises --------------------------------------------------------------------------------------


def _enterprise_form(association, **changes):
    data = {
        "form_token": str(uuid.uuid4()),
        "name": "冒名貿易有限公司",
        "name_en": "",
        "credit_code": CODE,
        "industry": "F",
        "address": "",
        "association": association.pk,
        "level": MembershipLevel.MEMBER_UNIT,
        "joined_on": "2024-01-01",
    }
    data.update(changes)
    return data


def test_officer_typing_another_associations_credit_code_gets_a_pending_membership(
    a_enterprise, officer_of_other, other_association, staff_user
):
    client = _client(officer_of_other)
    response = client.post(reverse("members:enterprise-create"), _enterprise_form(other_association))
    assert response.status_code == 302
    (message,) = _messages(response)
    assert a_enterprise.name not in message and "金水路" not in message
    assert Enterprise.objects.count() == 1
    assert not Membership.objects.filter(enterprise=a_enterprise, association=other_association).exists()
    assert client.get(reverse("members:enterprise-detail", args=[a_enterprise.pk])).status_code == 404
    assert client.get(reverse("members:enterprise-edit", args=[a_enterprise.pk])).status_code == 404
    page = text_of(client.get(response["Location"]))
    assert to_simplified("冒名貿易有限公司") in page and to_simplified(a_enterprise.name) not in page
    pending = PendingMembership.objects.get()
    assert _decide(staff_user, pending, "confirm").status_code == 302
    assert Membership.objects.filter(enterprise=a_enterprise, association=other_association).exists()
    assert client.get(reverse("members:enterprise-detail", args=[a_enterprise.pk])).status_code == 200


def test_enterprise_with_a_credit_code_already_in_the_officers_association_is_refused_once(
    a_enterprise, officer_of, business_association
):
    response = _client(officer_of).post(reverse("members:enterprise-create"), _enterprise_form(business_association))
    assert response.status_code == 400
    assert Membership.objects.filter(enterprise=a_enterprise).count() == 1 and not PendingMembership.objects.exists()


def test_enterprise_the_officer_sees_elsewhere_joins_at_once(
    a_enterprise, make_user, business_association, other_association
):
    both = make_user("officer_ab", Role.OFFICER, associations=[business_association, other_association])
    response = _client(both).post(reverse("members:enterprise-create"), _enterprise_form(other_association))
    assert response["Location"] == reverse("members:enterprise-detail", args=[a_enterprise.pk])
    assert Membership.objects.filter(enterprise=a_enterprise, association=other_association).exists()
    assert Enterprise.objects.get().name == "柴氏秘密實業有限公司"  # reused, not renamed by what was typed


# --- the duplicates URL and foreign ids ----------------------------------------------------------------


def test_duplicate_urls_with_ids_beyond_64_bits_are_not_found(staff_user, member_person):
    client = _client(staff_user)
    huge = 99999999999999999999999
    for a, b in ((huge, member_person.pk), (member_person.pk, huge), (huge, huge + 1)):
        assert client.get(reverse("members:duplicate-compare", args=[a, b])).status_code == 404
        assert client.post(reverse("members:duplicate-dismiss", args=[a, b])).status_code == 404
    assert client.get(reverse("members:pending-review", args=[huge])).status_code == 404
