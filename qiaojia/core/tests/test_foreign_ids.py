"""Every list filter and every export reads foreign ids through the same scoped selector.

For every list and export route (found in the URL patterns by their names, so a new one without a row
in FILTERS fails), and every filter it accepts (declared in FILTERS, and checked against the filter bar
the page renders), officer_a sends another association's id: no row only B has appears, an id filter
answers exactly as it does for an id that does not exist (so it reveals neither B's rows nor which of
A's rows are also B's), and nothing answers 500 — not even an id beyond 64 bits."""

import datetime
import html
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_credit_code, verified_client
from qiaojia.core.tests.test_isolation import ANYONE, MATRIX, world  # noqa: F401 - `world` is a fixture
from qiaojia.members import services as member_services
from qiaojia.members.models import MembershipLevel

pytestmark = pytest.mark.django_db

# A list or an export: routes named like these must have a row in FILTERS.
LIST_ROUTE = re.compile(
    r"(-list|-export|dashboard|totals|inbox|portal|search|suggest|check-ins|attendance|"
    r"compilation|unread-count|feed|^home:index)$"
)

# Kinds of filter. Every filter gets B's association id. One naming an association's record by id also gets
# B's own record of that kind (it must answer as a missing id does) and a 65-bit id; one naming a record no
# association owns (ID) gets a missing and a 65-bit id.
ASSOCIATION, CAMPAIGN, ID = "association", "campaign", "id"
# route -> {query parameter: kind, or "value"}: every filter the list or export reads from the query string.
FILTERS: dict[str, dict[str, str]] = {
    "home:index": {},
    "home:calendar-list": {
        "association": ASSOCIATION,
        "view": "value",
        "month": "value",
        "source": "value",
        "kind": "value",
        "city": "value",
        "country": "value",
    },
    "home:calendar-feed": {
        "association": ASSOCIATION,
        "view": "value",
        "month": "value",
        "source": "value",
        "kind": "value",
        "city": "value",
        "country": "value",
    },
    "meetings:joint-list": {},
    "home:audit-list": {
        "q": "value",
        "actor": "value",
        "action": "value",
        "object_type": "value",
        "since": "value",
        "until": "value",
    },
    "home:audit-export": {
        "q": "value",
        "actor": "value",
        "action": "value",
        "object_type": "value",
        "since": "value",
        "until": "value",
    },
    "accounts:user-list": {"q": "value", "role": "value"},
    "orgs:association-list": {"q": "value", "kind": "value", "status": "value", "department": ID},
    "orgs:association-export": {"q": "value", "kind": "value", "status": "value", "department": ID},
    "orgs:partner-list": {"q": "value", "kind": "value"},
    "orgs:partner-export": {"q": "value", "kind": "value"},
    "orgs:department-list": {},
    "members:person-list": {
        "association": ASSOCIATION,
        "q": "value",
        "overseas_status": "value",
        "country": "value",
        "id_hash": "value",
    },
    "members:person-export": {
        "association": ASSOCIATION,
        "q": "value",
        "overseas_status": "value",
        "country": "value",
        "id_hash": "value",
    },
    "members:duplicate-list": {},
    "members:enterprise-list": {"association": ASSOCIATION, "q": "value", "industry": "value"},
    "members:enterprise-export": {"association": ASSOCIATION, "q": "value", "industry": "value"},
    "search:search": {"q": "value"},
    "search:suggest": {"q": "value"},
    "imports:import-list": {},
    "meetings:meeting-list": {"q": "value", "kind": "value", "status": "value", "year": "value"},
    "meetings:meeting-export": {"q": "value", "kind": "value", "status": "value", "year": "value"},
    "meetings:meeting-attendance": {},
    "meetings:attendance-export": {},
    "cycle:priorities-list": {},
    "cycle:report-list": {"q": "value", "year": "value", "status": "value"},
    "cycle:dashboard": {"q": "value", "year": "value", "state": "value"},
    "cycle:plan-list": {"year": "value"},
    "cycle:compilation": {},
    "notifications:inbox": {"unread": "value"},
    "notifications:unread-count": {},
    "activities:activity-list": {"association": ASSOCIATION, "q": "value", "kind": "value", "year": "value"},
    "activities:activity-export": {"association": ASSOCIATION, "q": "value", "kind": "value", "year": "value"},
    "activities:open-list": {},
    "activities:registration-list": {},
    "events:event-list": {"q": "value", "status": "value", "year": "value"},
    "events:delegation-list": {"status": "value"},
    "events:joinable-list": {},
    "events:event-check-ins": {},
    "events:event-export": {},
    "volunteering:campaign-list": {"q": "value", "brand": "value", "status": "value", "year": "value"},
    "volunteering:donation-list": {
        "association": ASSOCIATION,
        "campaign": CAMPAIGN,
        "q": "value",
        "year": "value",
        "kind": "value",
    },
    "volunteering:donation-export": {
        "association": ASSOCIATION,
        "campaign": CAMPAIGN,
        "q": "value",
        "year": "value",
        "kind": "value",
    },
    "volunteering:totals": {"year": "value"},
    "news:portal": {},
    "news:feed": {},
    "news:association-feed": {},
    "news:article-list": {"association": ASSOCIATION, "q": "value", "status": "value"},
    **{
        name: {
            "association": ASSOCIATION,
            "q": "value",
            "side": "value",
            "kind": "value",
            "industry": "value",
            "country": "value",
            "status": "value",
            "mine": "value",
        }
        for name in ("trade:offer-list", "trade:offer-export", "trade:match-list")
    },
    **{
        name: {"association": ASSOCIATION, "q": "value", "industry": "value", "country": "value", "listed": "value"}
        for name in ("trade:profile-list", "trade:profile-export")
    },
    "trade:public-list": {"q": "value", "kind": "value"},
    "trade:introduction-list": {"q": "value", "stage": "value"},
    "trade:introduction-export": {"q": "value", "stage": "value"},
    "trade:project-list": {
        "association": ASSOCIATION,
        "q": "value",
        "kind": "value",
        "stage": "value",
        "year": "value",
    },
    "trade:project-export": {
        "association": ASSOCIATION,
        "q": "value",
        "kind": "value",
        "stage": "value",
        "year": "value",
    },
    "trade:rate-list": {},
    **{
        name: {"q": "value", "status": "value", "category": "value", "overdue": "value", "mine": "value"}
        for name in ("voice:opinion-list", "voice:opinion-export")
    },
    "voice:rates-export": {"year": "value", "month": "value", "by": "value"},
    # B2B matchmaking: the sessions the viewer sees and one session's schedule, neither filtered.
    "trade:b2b-list": {},
    "trade:b2b-export": {},
}
# Never filters: the page number and the export's file format.
NOT_FILTERS = {"page", "format"}
MISSING_ID = "987654321"
HUGE_ID = "99999999999999999999999"


def test_every_list_and_export_route_declares_its_filters():
    routes = {name for name in MATRIX if LIST_ROUTE.search(name)}
    assert not routes - set(FILTERS), f"list or export routes without a FILTERS row: {sorted(routes - set(FILTERS))}"
    assert not set(FILTERS) - routes, f"FILTERS rows for no route: {sorted(set(FILTERS) - routes)}"


class _FilterBar(HTMLParser):
    """The names of the fields of the page's own GET forms (its filter bars), not the header's search box."""

    def __init__(self, path: str):
        super().__init__()
        self.path, self.inside, self.names = path, False, set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = html.unescape(attrs.get("action") or "").split("?")[0]
            self.inside = (attrs.get("method") or "get").lower() == "get" and action in ("", self.path)
        elif self.inside and tag in ("input", "select", "textarea") and attrs.get("name"):
            if (attrs.get("type") or "").lower() not in ("submit", "button"):
                self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


@pytest.fixture
def marked(world):  # noqa: F811 - the isolation matrix's fixture, imported above
    """The isolation world with every app's objects for A and B, a person and an enterprise in both, and
    the names that mark rows: A's only, both's, and B's only."""
    for kwargs_for, _allowed, _method in MATRIX.values():
        if kwargs_for:
            kwargs_for(world, "A")
            kwargs_for(world, "B")
    a, b = world["A"]["association"], world["B"]["association"]
    joined = {"level": MembershipLevel.MEMBER, "joined_on": datetime.date(2022, 1, 1)}
    both = member_services.member_add(association=a, person_data={"name": "雙會員甲乙"}, membership_data=joined)
    member_services.membership_create(association=b, person=both.person, data=joined)
    unit = member_services.enterprise_create(data={"name": "雙屬實業有限公司", "credit_code": make_credit_code(950)})
    for association in (a, b):
        member_services.membership_create(
            association=association,
            enterprise=unit,
            data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": datetime.date(2022, 1, 1)},
        )
    from qiaojia.volunteering.tests.world import make_campaign, make_donation

    make_donation(a, donor_name="甲會捐贈人", receipt_number="R-FA")
    make_donation(b, donor_name="乙會秘密捐贈人", receipt_number="R-FB")
    world["B", "own"] = {ASSOCIATION: b, CAMPAIGN: make_campaign(b, name="乙會籌備中募集", open_=False)}

    def names(k):
        from qiaojia.activities.tests.world import activity_world
        from qiaojia.meetings.tests.world import meeting_world
        from qiaojia.news.tests.world import news_world

        return {
            world[k]["person"].name,
            world[k]["enterprise"].name,
            world[k]["partner"].name,
            activity_world(world, k)["activity"].title,
            meeting_world(world, k)["meeting"].title,
            news_world(world, k)["draft"].title,
            "甲會捐贈人" if k == "A" else "乙會秘密捐贈人",
        } | ({"乙會籌備中募集"} if k == "B" else set())

    world["markers"] = {"A": names("A"), "both": {"雙會員甲乙", "雙屬實業有限公司"}, "B": names("B")}
    return world


def _url(w, name: str) -> str:
    kwargs_for = MATRIX[name][0]
    return reverse(name, kwargs=kwargs_for(w, "A") if kwargs_for else None)


def _foreign_values(w, kind: str) -> dict[str, str]:
    values = {"B's association": str(w["B"]["association"].pk)}
    if kind in (ASSOCIATION, CAMPAIGN):
        values["B's own"] = str(w["B", "own"][kind].pk)
    if kind in (ASSOCIATION, CAMPAIGN, ID):
        values["missing id"], values["65-bit id"] = MISSING_ID, HUGE_ID
    return values


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_another_associations_id_on_every_filter_shows_none_of_its_rows(marked, name):
    w = marked
    allowed = MATRIX[name][1]
    user = w["users"]["officer_a" if "officer_a" in allowed else "staff"]
    client = verified_client(Client(), user)
    url = _url(w, name)
    public = allowed == ANYONE

    baseline = client.get(url)
    assert baseline.status_code < 500
    declared = FILTERS[name]
    if baseline.status_code == 200 and "html" in baseline.get("Content-Type", "") and not baseline.streaming:
        parser = _FilterBar(url)
        parser.feed(_body(baseline))
        undeclared = parser.names - set(declared) - NOT_FILTERS
        assert not undeclared, f"{name}: filters its page offers but FILTERS does not declare: {sorted(undeclared)}"

    _assert_no_foreign_rows(w, client, user, name, url, declared, public)


def _assert_no_foreign_rows(w, client, user, name, url, declared, public) -> None:
    markers = set().union(*w["markers"].values())
    failures = []
    for param, kind in declared.items():
        answers = {}
        for label, value in _foreign_values(w, kind).items():
            response = client.get(url, {param: value})
            body = _body(response)
            answers[label] = (response.status_code, {m for m in markers if m in body})
            if response.status_code >= 500:
                failures.append(f"{name}?{param}=<{label}> -> {response.status_code}")
            leaked = {m for m in w["markers"]["B"] if m in body}
            if user.username == "officer_a" and not public and leaked:
                failures.append(f"{name}?{param}=<{label}> shows B's {sorted(leaked)}")
        foreign, missing = answers.get("B's own"), answers.get("missing id")
        if foreign is not None and user.username == "officer_a" and foreign != missing:
            failures.append(f"{name}?{param}=<B's own {kind}> answers {foreign}, a missing id {missing}")
    assert not failures, "\n".join(failures)


def _source_routes() -> dict[str, str]:
    """Every registered export source that belongs to a list, with that list's own export route: the same
    queryset is also served by `exports:source`, which must scope each filter as the list's export does."""
    from qiaojia.exports.sources import export_sources

    return {s.name: s.list_url.replace("-list", "-export") for s in export_sources() if s.list_url}


def test_every_listed_export_source_has_its_lists_export_route():
    routes = _source_routes()
    assert routes and not set(routes.values()) - set(FILTERS), f"sources without a swept export route: {routes}"


@pytest.mark.parametrize("source", sorted(_source_routes()))
def test_another_associations_id_through_the_generic_source_export_shows_none_of_its_rows(marked, source):
    w = marked
    route = _source_routes()[source]
    allowed = MATRIX[route][1]
    user = w["users"]["officer_a" if "officer_a" in allowed else "admin" if "admin" in allowed else "staff"]
    client = verified_client(Client(), user)
    url = reverse("exports:source", kwargs={"name": source})
    assert client.get(url).status_code < 500
    _assert_no_foreign_rows(w, client, user, f"exports:source/{source}", url, FILTERS[route], allowed == ANYONE)
