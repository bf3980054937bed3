"""Requests to join a delegation hold under real concurrent requests through two server processes: a member
pressing "ask" twice at once makes one request, and two officers confirming it at once add the member once."""

import threading

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD
from qiaojia.accounts.models import Role
from qiaojia.events import services
from qiaojia.events.models import Delegate, JoinRequest, JoinRequestStatus
from tests.multiprocess import Browser

from .world import make_join_event

TIMES = 4


def _logged_in(base, user, n):
    """The real login through the server: password, then (for an officer) the code of their authenticator."""
    browser = Browser(address=f"198.51.100.{n + 1}")
    browser.request(f"{base}/accounts/login/")
    status, _headers, _body = browser.request(
        f"{base}/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert status == 302
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        browser.request(f"{base}/accounts/2fa/")
        token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        status, _headers, _body = browser.request(f"{base}/accounts/2fa/", {"token": f"{token:0{device.digits}d}"})
        assert status == 302
    return browser


def _at_once(calls):
    start = threading.Barrier(len(calls))
    statuses: list = [None] * len(calls)

    def run(n):
        start.wait()
        statuses[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return statuses


def test_asking_at_once_makes_one_request(server_processes, federation, business_association, member_user):
    event = make_join_event()
    servers = server_processes(2)
    url = f"/events/{event.pk}/associations/{business_association.pk}/join/"
    browsers = []
    for n in range(TIMES):
        base = servers[n % 2]
        browser = _logged_in(base, member_user, n)
        browser.request(f"{base}/events/open/")  # as the member opens the page before pressing the button
        browsers.append((base, browser))
    statuses = _at_once([lambda b=b, base=base: b.request(f"{base}{url}", {"note": ""})[0] for base, b in browsers])
    assert statuses == [302] * TIMES, statuses  # each was answered: asked, or told it was asked already
    assert JoinRequest.objects.filter(event=event, person=member_user.person).count() == 1


def test_confirming_at_once_adds_the_member_once(
    server_processes, federation, business_association, member_person, make_user
):
    event = make_join_event()
    request = services.join_request_create(event=event, association=business_association, person=member_person)
    officers = [make_user(f"officer{n}", Role.OFFICER, associations=[business_association]) for n in range(TIMES)]
    servers = server_processes(2)
    browsers = []
    for n, officer in enumerate(officers):
        base = servers[n % 2]
        browser = _logged_in(base, officer, n)
        browser.request(f"{base}/events/delegations/{request.delegation_id}/")
        browsers.append((base, browser))
    url = f"/events/join-requests/{request.pk}/decide/"
    data = {"version": str(request.version), "decision": "confirm", "reason": ""}
    statuses = _at_once([lambda b=b, base=base: b.request(f"{base}{url}", data)[0] for base, b in browsers])
    assert statuses == [302] * TIMES, statuses
    assert Delegate.objects.filter(delegation=request.delegation, person=member_person).count() == 1
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.CONFIRMED
