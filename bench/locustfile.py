"""The busiest day under locust (in .venv-load; run by `make load`, see bench/loadrun.py): officers, staff and
members, each a virtual person signed in with their own account, doing the rounds of bench/scenario.py.

LOAD_ACCOUNTS names the setup's file (bench/busyday.py); the writes counted go to LOAD_TALLY when the run ends.
"""

import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, events, task

from bench import scenario

ACCOUNTS = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text(encoding="utf-8"))["accounts"]
# Each run of a step-up starts further along the accounts: an authenticator code is good once, so the same
# account signing in again within 30 s would wait for the next code.
_OFFSET = int(os.environ.get("LOAD_ACCOUNT_OFFSET", "0"))
_POOLS = {
    role: itertools.islice(itertools.cycle(rows), _OFFSET % len(rows), None) for role, rows in ACCOUNTS.items() if rows
}
TALLY = scenario.Tally()


class LocustHttp:
    """scenario.Http over locust's client: a status outside `ok` (or no answer at all) is a failure."""

    def __init__(self, client):
        self.client = client

    def request(self, method, path, data=None, *, name, ok=(200,), follow=True):
        with self.client.request(
            method, path, data=data, name=name, allow_redirects=follow, timeout=60, catch_response=True
        ) as response:
            if response.status_code in ok:
                response.success()
            else:
                response.failure(f"status {response.status_code}")
            return scenario.Page(response.status_code or 0, response.text or "", scenario.path_of(response.url or path))


class Person(HttpUser):
    abstract = True
    role = ""
    # Between two rounds a person reads, types, answers the phone.
    wait_time = between(1, 3)

    def on_start(self):
        self.account = next(_POOLS[self.role])
        self.http = LocustHttp(self.client)
        self.rng = random.Random()
        self.signed_in = False

    @task
    def round(self):
        if not self.signed_in:
            scenario.login(self.http, self.account)
            self.signed_in = True
        scenario.ROUNDS[self.role](self.http, self.account, TALLY, self.rng)


class Officer(Person):
    role = "officer"
    weight = 5


class Staff(Person):
    role = "staff"
    weight = 1


class Member(Person):
    role = "member"
    weight = 4


@events.quitting.add_listener
def _write_tally(environment, **kwargs):
    Path(os.environ["LOAD_TALLY"]).write_text(json.dumps(TALLY.counts, indent=1), encoding="utf-8")
