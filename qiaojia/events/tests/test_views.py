import pytest
from django.urls import reverse

from conftest import verified_client
from qiaojia.core.chinese import to_simplified
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.events import services
from qiaojia.events.models import Delegate, DelegateRole, Delegation, DelegationStatus, EventQuota

from .world import approve, make_delegation, make_event

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def test_submit_over_quota_shows_the_refusal(client, event, business_association, officer_of):
    delegation = make_delegation(event, business_association, members=["李一", "王二"])
    verified_client(client, officer_of)
    url = reverse("events:delegation-detail", args=[delegation.pk])
    response = client.post(
        reverse("events:delegation-submit", args=[delegation.pk]), {"version": delegation.version}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    assert "msg-error" in _body(response)
    assert Delegation.objects.get().status == DelegationStatus.DRAFT


def test_stale_edit_is_answered_with_a_conflict(client, event, business_association, officer_of):
    delegation = make_delegation(event, business_association)
    old = delegation.version
    services.delegation_update(delegation=delegation, expected_version=old, data={"note": "先改"})
    verified_client(client, officer_of)
    response = client.post(
        reverse("events:delegation-edit", args=[delegation.pk]),
        {"version": old, "leader_name": "鄭定輝", "contact_phone": "", "note": "後改"},
    )
    assert response.status_code == 409
    assert Delegation.objects.get().note == "先改"


def test_officer_sees_only_own_delegations(client, event, business_association, other_association, officer_of):
    make_delegation(event, business_association, leader="自己人")
    theirs = make_delegation(event, other_association, leader="王秘密")
    verified_client(client, officer_of)
    body = _body(client.get(reverse("events:delegation-list", args=[event.pk])))
    assert "自己人" in body and "王秘密" not in body
    assert client.get(reverse("events:delegation-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("events:event-export", args=[event.pk])).status_code == 404


def test_delegation_list_and_event_pages_have_bounded_queries(
    client, django_assert_max_num_queries, federation, liaison_department, staff_user
):
    from conftest import _association

    event = make_event(default_quota=10)
    for n in range(6):
        association = _association(federation, liaison_department, f"測試社團{n}")
        approve(
            make_delegation(event, association, leader=f"團長{n}", members=[f"團員{n}甲", f"團員{n}乙"], submit=True)
        )
    verified_client(client, staff_user)
    for name in ("events:delegation-list", "events:event-detail", "events:event-check-ins"):
        with django_assert_max_num_queries(14):
            response = client.get(reverse(name, args=[event.pk]))
        assert response.status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("events:event-list")).status_code == 200
    delegation = Delegation.objects.first()
    with django_assert_max_num_queries(14):
        assert client.get(reverse("events:delegation-badges", args=[delegation.pk])).status_code == 200


def test_check_in_requires_login_and_federation_staff(client, event, business_association, officer_of):
    delegation = approve(make_delegation(event, business_association, submit=True))
    delegate = delegation.delegates.get()
    url = reverse("events:check-in", args=[event.pk, delegate.badge_token])
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    verified_client(client, officer_of)
    assert client.post(url).status_code == 404
    assert Delegate.objects.get().checked_in_at is None


def test_check_in_twice_says_already(client, event, business_association, staff_user):
    delegation = approve(make_delegation(event, business_association, submit=True))
    delegate = delegation.delegates.get()
    url = reverse("events:check-in", args=[event.pk, delegate.badge_token])
    verified_client(client, staff_user)
    assert 'id="check-in-button"' in _body(client.get(url))
    first = client.post(url)
    assert first.status_code == 200 and 'id="check-in-result"' in _body(first)
    at = Delegate.objects.get().checked_in_at
    second = client.post(url)
    assert "alert-warning" in _body(second)
    assert Delegate.objects.get().checked_in_at == at


def test_badge_token_of_another_event_or_unknown_is_not_found(client, event, business_association, staff_user):
    other = make_event(slug="other-event")
    delegation = approve(make_delegation(event, business_association, submit=True))
    token = delegation.delegates.get().badge_token
    verified_client(client, staff_user)
    assert client.get(reverse("events:check-in", args=[other.pk, token])).status_code == 404
    assert client.get(reverse("events:check-in", args=[event.pk, "not-a-token"])).status_code == 404
    response = client.post(reverse("events:event-door", args=[other.pk]), {"code": token})
    assert response.status_code == 400
    response = client.post(
        reverse("events:event-door", args=[event.pk]), {"code": f"https://example.org/events/{event.pk}/c/{token}/"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/c/{token}/")


def test_public_page_shows_counts_and_no_personal_data(client, event, business_association):
    delegation = make_delegation(event, business_association, leader="鄭定輝")
    services.delegate_add(
        delegation=delegation, data={"name": "Lim Wei", "role": DelegateRole.OVERSEAS_GUEST, "country": "MY"}
    )
    approve(services.delegation_submit(delegation=delegation, expected_version=delegation.version))
    response = client.get(reverse("events:event-public", args=[event.slug]))
    body = _body(response)
    assert response.status_code == 200 and to_simplified(event.name) in body
    assert "鄭定輝" not in body and "Lim Wei" not in body and "+86" not in body
    assert 'id="count-delegations">1<' in body and 'id="count-countries">1<' in body
    assert "http://" not in body.replace("http://testserver", "") and "https://" not in body
    hidden = make_event(slug="hidden", published=False)
    assert client.get(reverse("events:event-public", args=[hidden.slug])).status_code == 404


def test_quota_page_saves_overrides(client, event, business_association, other_association, staff_user):
    verified_client(client, staff_user)
    url = reverse("events:event-quotas", args=[event.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"version": event.version, f"quota_{business_association.pk}": "4", f"quota_{other_association.pk}": ""}
    )
    assert response.status_code == 302
    assert list(EventQuota.objects.values_list("association_id", "quota")) == [(business_association.pk, 4)]


def test_export_is_audited(client, event, business_association, staff_user):
    approve(make_delegation(event, business_association, leader="鄭定輝", submit=True))
    verified_client(client, staff_user)
    response = client.get(reverse("events:event-export", args=[event.pk]) + "?format=csv")
    assert response.status_code == 200 and "鄭定輝" in _body(response)
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_officer_registers_through_the_pages(client, event, business_association, officer_of):
    verified_client(client, officer_of)
    response = client.post(
        reverse("events:delegation-create", args=[event.pk]),
        {
            "form_token": "0f6c2d1e-8f9a-4a55-9a36-6f0a8f3c1b11",
            "association": str(business_association.pk),
            "leader_name": "鄭定輝",
            "contact_phone": "13912345678",
            "note": "",
        },
    )
    delegation = Delegation.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("events:delegate-create", args=[delegation.pk]),
        {
            "form_token": "1f6c2d1e-8f9a-4a55-9a36-6f0a8f3c1b11",
            "name": "Lim Wei",
            "role": "overseas_guest",
            "country": "",
            "organisation": "",
            "title": "",
        },
    )
    assert response.status_code == 400 and delegation.delegates.count() == 1
    response = client.post(
        reverse("events:delegate-create", args=[delegation.pk]),
        {
            "form_token": "2f6c2d1e-8f9a-4a55-9a36-6f0a8f3c1b11",
            "name": "Lim Wei",
            "role": "overseas_guest",
            "country": "MY",
            "organisation": "",
            "title": "",
        },
    )
    assert response.status_code == 302 and delegation.delegates.count() == 2


def test_registration_page_redirects_when_not_open(client, federation, officer_of):
    from qiaojia.events.models import EventStatus

    closed = make_event(slug="closed", status=EventStatus.CLOSED)
    verified_client(client, officer_of)
    response = client.get(reverse("events:delegation-create", args=[closed.pk]))
    assert response.status_code == 302


def test_edit_keeps_the_masked_phone_and_shows_it_masked(client, event, business_association, officer_of):
    delegation = make_delegation(event, business_association)
    verified_client(client, officer_of)
    form = _body(client.get(reverse("events:delegation-edit", args=[delegation.pk])))
    assert "139****5678" in form and "13912345678" not in form
    response = client.post(
        reverse("events:delegation-edit", args=[delegation.pk]),
        {"version": delegation.version, "leader_name": "鄭定輝", "contact_phone": "139****5678", "note": "改"},
    )
    assert response.status_code == 302
    assert Delegation.objects.get().contact_phone == "+8613912345678"
    detail = _body(client.get(reverse("events:delegation-detail", args=[delegation.pk])))
    assert "139****5678" in detail and "13912345678" not in detail


def test_register_button_hidden_once_registered(client, event, business_association, officer_of):
    verified_client(client, officer_of)
    url = reverse("events:event-detail", args=[event.pk])
    assert 'id="register-link"' in _body(client.get(url))
    make_delegation(event, business_association)
    assert 'id="register-link"' not in _body(client.get(url))
