"""Places for an activity hold under real concurrent requests: members registering at once through two
server processes never take more places than there are."""

import threading

from conftest import TEST_PASSWORD
from qiaojia.accounts.models import Role
from qiaojia.activities.models import ActivityRegistration, RegistrationStatus
from tests.multiprocess import Browser

from .test_registration import _upcoming

PLACES = 3
MEMBERS = 8


def test_concurrent_registrations_never_exceed_the_places(
    server_processes, business_association, make_person, make_user
):
    activity = _upcoming(business_association, registration_capacity=PLACES)
    users = [
        make_user(f"member{n}", Role.MEMBER, person=make_person(f"會員{n}", association=business_association))
        for n in range(MEMBERS)
    ]
    servers = server_processes(2)
    browsers = []
    for n, user in enumerate(users):
        base = servers[n % 2]
        browser = Browser(address=f"198.51.100.{n + 1}")
        browser.request(f"{base}/accounts/login/")
        status, _headers, _body = browser.request(
            f"{base}/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}
        )
        assert status == 302
        browser.request(f"{base}/activities/open/")  # as the member opens the page before pressing the button
        browsers.append((base, browser))

    start = threading.Barrier(MEMBERS)
    statuses: list = [None] * MEMBERS

    def register(n):
        base, browser = browsers[n]
        start.wait()
        statuses[n] = browser.request(f"{base}/activities/{activity.pk}/register/", {})[0]

    threads = [threading.Thread(target=register, args=(n,)) for n in range(MEMBERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert statuses == [302] * MEMBERS, statuses  # each was answered: registered, or told the activity is full
    taken = ActivityRegistration.objects.filter(activity=activity, status=RegistrationStatus.REGISTERED).count()
    assert taken == PLACES
