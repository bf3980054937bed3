"""The busiest day's request sequences (bench/scenario.py, which locust runs in `make load`) on a tiny world through
Django's test client: people sign in with the second factor, write, review, read; the writes counted are the
writes the database holds."""

import ast
import random
from pathlib import Path

import pytest
from django.test import Client

from bench import busyday, scenario
from qiaojia.cycle.models import AnnualReport, ReportStatus


class ClientHttp:
    """scenario.Http over Django's test client (CSRF checked, as in a browser)."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)
        self.seen: list[tuple[str, int]] = []

    def request(self, method, path, data=None, *, name, ok=(200,), follow=True):
        if method == "GET":
            response = self.client.get(path, follow=follow)
        else:
            response = self.client.post(path, data or {}, follow=follow)
        query = response.request.get("QUERY_STRING")
        self.seen.append((name, response.status_code))
        assert response.status_code in ok, (name, path, response.status_code)
        return scenario.Page(
            response.status_code,
            response.content.decode(),
            response.request["PATH_INFO"] + (f"?{query}" if query else ""),
        )


@pytest.fixture
def world(federation, liaison_department, business_association, make_person):
    make_person("柴莉", association=business_association)
    return busyday.load_setup(officers=1, staff=1, members=1, articles=2)


def _round(role, http, account, tally, **chances):
    for name, value in chances.items():
        setattr(scenario, name, value)
    scenario.ROUNDS[role](http, account, tally, random.Random(7), pause=lambda seconds: None)


def test_the_rounds_sign_in_write_review_and_read_and_every_counted_write_is_in_the_database(world, monkeypatch):
    for name in ("SUBMIT_CHANCE", "RETURN_CHANCE"):
        monkeypatch.setattr(scenario, name, getattr(scenario, name))
    accounts = world["accounts"]
    officer, staff, member = (ClientHttp() for _ in range(3))
    for http, account in (
        (officer, accounts["officer"][0]),
        (staff, accounts["staff"][0]),
        (member, accounts["member"][0]),
    ):
        landed = scenario.login(http, account, pause=lambda seconds: None)
        assert landed.path == "/"
    assert ("second factor", 200) in officer.seen and ("second factor", 200) in staff.seen
    assert "second factor" not in [name for name, _status in member.seen]
    tally = scenario.Tally()
    report = AnnualReport.objects.get(pk=accounts["officer"][0]["report"])

    _round("officer", officer, accounts["officer"][0], tally, SUBMIT_CHANCE=1.0)
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    _round("staff", staff, accounts["staff"][0], tally, RETURN_CHANCE=1.0)
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED
    _round("officer", officer, accounts["officer"][0], tally, SUBMIT_CHANCE=1.0)
    _round("staff", staff, accounts["staff"][0], tally, RETURN_CHANCE=0.0)
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
    _round("officer", officer, accounts["officer"][0], tally)  # accepted: reads instead
    _round("member", member, accounts["member"][0], tally)

    assert tally.ok("autosave") >= 2 and tally.ok("submit") == 2
    assert tally.ok("return") == 1 and tally.ok("accept") == 1
    assert tally.counts["failed"] == {} and tally.counts["conflict"] == {}
    assert ("news article", 200) in member.seen and ("search", 200) in member.seen
    verified = busyday.load_verify(world, tally.counts)
    assert verified["no_write_lost"], verified
    # One write the load did not count would show.
    tally.add("ok", "autosave")
    assert not busyday.load_verify(world, tally.counts)["no_write_lost"]


def test_setup_again_starts_from_fresh_drafts(world):
    again = busyday.load_setup(officers=1, staff=1, members=1, articles=2)
    assert again["rows_removed"] >= 1
    assert again["accounts"]["officer"][0]["totp_key"] == world["accounts"]["officer"][0]["totp_key"]
    report = AnnualReport.objects.get(pk=again["accounts"]["officer"][0]["report"])
    assert report.status == ReportStatus.DRAFT and report.plan_items.count() == 1


def test_the_locustfile_runs_the_scenario_rounds_of_each_role():
    tree = ast.parse((Path(scenario.__file__).parent / "locustfile.py").read_text(encoding="utf-8"))
    roles = {
        node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(getattr(t, "id", "") == "role" for t in node.targets)
        and node.value.value
    }
    assert roles == set(scenario.ROUNDS)


def test_totp_gives_the_codes_of_rfc_6238():
    key = "3132333435363738393031323334353637383930"  # RFC 6238, appendix B
    assert scenario.totp(key, at=59, digits=8) == "94287082"
    assert scenario.totp(key, at=1111111109, digits=8) == "07081804"
    assert scenario.totp(key, at=59) == "287082"
