"""Booking a B2B slot holds under real concurrent requests: four participants' officers, through two server
processes (each request on its own database connection, committed for real), ask the same enterprise for a
meeting in the same slot at the same moment. One wins; each of the others is told, in their language, that
the enterprise already has a meeting in that slot, and nothing of theirs was written."""

import threading

from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD
from qiaojia.accounts.models import Role
from qiaojia.core.chinese import to_script
from qiaojia.events.tests.world import approve, make_delegation, make_event
from qiaojia.trade.b2b import services
from qiaojia.trade.b2b.models import B2BSeat, BusinessMeeting
from tests.multiprocess import Browser

from .b2b_world import join, open_session, second_enterprise

TIMES = 4


def _logged_in(base, user, n):
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


def test_booking_the_same_slot_at_once_one_wins_the_others_are_told(
    server_processes, federation, business_association, other_association, make_user
):
    event = make_event()
    for association in (business_association, other_association):
        approve(make_delegation(event, association, submit=True))
    session = open_session(event, slots=2, tables=4)
    wanted = join(session, second_enterprise(other_association, "檳城貿易有限公司"), other_association)
    requesters, users = [], []
    for n in range(TIMES):
        association = business_association if n % 2 == 0 else other_association
        requesters.append(join(session, second_enterprise(association, f"洽談企業{n}"), association))
        # Each requester's own officer: four accounts, four sessions.
        users.append(make_user(f"officer{n}", Role.OFFICER, associations=[association]))
    slot = session.slots.order_by("starts_at").first()
    servers = server_processes(2)
    browsers = []
    for n, user in enumerate(users):
        base = servers[n % 2]
        browser = _logged_in(base, user, n)
        browser.request(f"{base}/trade/b2b/{session.pk}/")  # the page is open before the button is pressed
        browsers.append((base, browser))

    start = threading.Barrier(TIMES)
    answers: list = [None] * TIMES

    def book(n):
        base, browser = browsers[n]
        data = {"requester": str(requesters[n].pk), "invitee": str(wanted.pk), "slot": str(slot.pk), "message": ""}
        start.wait()
        status, headers, _body = browser.request(f"{base}/trade/b2b/{session.pk}/request/", data)
        # The answer is on the page the redirect leads to.
        page = browser.request(f"{base}{headers.get('Location', '')}")[2] if status == 302 else ""
        answers[n] = (status, page)

    threads = [threading.Thread(target=book, args=(n,)) for n in range(TIMES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert [status for status, _page in answers] == [302] * TIMES, answers
    meetings = BusinessMeeting.objects.filter(session=session, invitee=wanted)
    assert meetings.count() == 1
    winner = meetings.get().requester_id
    assert B2BSeat.objects.filter(slot=slot, participant=wanted).count() == 1
    assert B2BSeat.objects.filter(slot=slot).count() == 2  # the winner's two seats, no one else's
    with translation.override("zh-hans"):
        message = to_script(str(services.SEAT_TAKEN) % {"name": wanted.enterprise.name}, "zh-hans")
    told = [n for n, (_status, page) in enumerate(answers) if message in page]
    assert len(told) == TIMES - 1, [page[:200] for _s, page in answers]
    assert all(requesters[n].pk != winner for n in told)
