"""Every link in the header and the main menu, for every role, leads to a page (200), and so does every link
on a member's own overview and record: a role never meets a 404 behind its own menu."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from conftest import verified_client
from qiaojia.core.chinese import to_script
from qiaojia.core.tests import test_isolation as isolation

world = isolation.world  # both associations, every role's account

ROLES = ("member", "officer_a", "officer_b", "staff", "admin")


def _matches(tag, attrs, wanted_tag, name):
    return tag == wanted_tag and (name in (attrs.get("class") or "").split() or attrs.get("id") == name)


class LinkFinder(HTMLParser):
    """The href of every <a> inside the elements matched by `inside` (a tag and a class or id)."""

    def __init__(self, inside):
        super().__init__()
        self.inside, self.depth, self.links = inside, 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += tag not in VOID
        elif any(_matches(tag, attrs, t, c) for t, c in self.inside):
            self.depth = 1
        if self.depth and tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1


VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "area", "col", "embed", "param", "track"}
MENUS = (("header", "topbar"), ("nav", "sidenav"))


def links(html: str, inside=MENUS) -> list[str]:
    finder = LinkFinder(inside)
    finder.feed(html)
    return [href for href in finder.links if href.startswith("/") and not urlsplit(href).path.startswith("/static/")]


def _walk(client, hrefs):
    failures = []
    for href in dict.fromkeys(hrefs):
        status = client.get(href).status_code
        if status != 200:
            failures.append(f"{href} -> {status}")
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_of_every_role_answers_200(client, world, role):
    verified_client(client, world["users"][role])
    home = client.get("/")
    assert home.status_code == 200
    menu = links(home.content.decode())
    assert len(menu) >= 6, menu
    failures = _walk(client, menu)
    assert not failures, f"{role}: " + ", ".join(failures)


@pytest.mark.django_db
def test_a_member_sees_their_associations_and_every_link_on_their_pages_leads_somewhere(client, world):
    member = world["users"]["member"]
    verified_client(client, member)
    html = client.get("/").content.decode()
    own = world["A"]["association"]
    assert to_script(own.name, "zh-hans") in html, "the overview does not name the member's association"
    assert to_script(world["B"]["association"].name, "zh-hans") not in html
    main = (("main", "main"),)
    record = client.get(f"/members/people/{member.person_id}/")
    assert record.status_code == 200
    failures = _walk(client, links(html, main) + links(record.content.decode(), main))
    assert not failures, ", ".join(failures)
