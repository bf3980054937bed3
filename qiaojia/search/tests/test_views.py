"""The search page and the list filters: who sees what, and a fixed number of queries."""

import datetime
import re

import pytest
from django.urls import reverse

from qiaojia.core.chinese import to_simplified
from qiaojia.members import services as member_services
from qiaojia.members.models import MembershipLevel
from qiaojia.orgs.tests.helpers import query_count, text_of
from qiaojia.search import registry

pytestmark = pytest.mark.django_db


# Session, user, second-factor device and officer scope, then at most one query per ranking tier
# (six for a Latin query) for each registered kind (three, and the test app's): bounded, whatever the
# number of rows.
def max_queries() -> int:
    return 4 + len(list(registry.indexers())) * 6


def _add_people(association, start, stop, stem="鄭"):
    for n in range(start, stop):
        member_services.member_add(
            association=association,
            person_data={"name": f"{stem}會員{n:03d}"},
            membership_data={"level": MembershipLevel.MEMBER, "joined_on": datetime.date(2020, 1, 1)},
        )


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("search:search") + "?q=鄭")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.get(reverse("search:suggest") + "?q=鄭")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_search_page_groups_and_highlights(login, staff_user, make_person, business_association):
    make_person("鄭定輝", association=business_association)
    page = text_of(login(staff_user).get(reverse("search:search"), {"q": "郑定"}))
    assert "<mark>鄭定</mark>輝" in page
    assert reverse("members:person-list") + "?q=%E9%83%91%E5%AE%9A" in page


def test_header_box_on_every_page_for_signed_in_users(client, login, staff_user):
    assert 'action="/search/"' not in text_of(client.get(reverse("accounts:login")))
    assert 'action="/search/"' in text_of(login(staff_user).get(reverse("home:index")))


def test_suggest_lists_a_few_results(login, staff_user, business_association):
    _add_people(business_association, 0, 8)
    page = text_of(login(staff_user).get(reverse("search:suggest"), {"q": "鄭會員"}))
    assert page.count('role="option"') == 5 + 0  # five people; the association does not match


def test_officer_never_sees_another_associations_people(
    login, make_user, make_person, business_association, other_association
):
    from qiaojia.accounts.models import Role

    make_person("鄭定輝", association=business_association)
    make_person("鄭秘密", association=other_association)
    officer = make_user("oa", Role.OFFICER, associations=[business_association])
    client = login(officer)
    for url in (reverse("search:search"), reverse("search:suggest"), reverse("members:person-list")):
        page = re.sub(r"<[^>]+>", "", text_of(client.get(url, {"q": "鄭"})))
        assert "鄭定輝" in page, url
        assert "鄭秘密" not in page, url
    assert "鄭秘密" not in text_of(client.get(reverse("members:person-list"), {"q": "zhengmimi"}))


def test_list_filters_use_the_index(login, staff_user, make_person, business_association):
    make_person("單小明", association=business_association)
    make_person("王五", association=business_association)
    client = login(staff_user)
    for q in ("sxm", "shan xiao ming", "单小明", "小明"):
        page = text_of(client.get(reverse("members:person-list"), {"q": q}))
        assert "單小明" in page and "王五" not in page, q
    page = text_of(client.get(reverse("orgs:association-list"), {"q": "省侨商会"}))
    assert to_simplified(business_association.name) in page  # in the reader's script


def test_list_filter_ranks_exact_first(login, staff_user, make_person, business_association):
    for name in ("张李明", "李明華", "李明"):
        make_person(name, association=business_association)
    page = text_of(login(staff_user).get(reverse("members:person-list"), {"q": "李明"}))
    assert page.index(">李明<") < page.index(">李明華<") < page.index(">张李明<")


@pytest.mark.parametrize("viewer", ["staff_user", "officer_of"])
@pytest.mark.parametrize("q", ["鄭", "鄭會", "鄭會員", "zhenghuiyuan", "zhy"])
def test_search_page_queries_do_not_grow_with_rows(login, request, business_association, viewer, q):
    client = login(request.getfixturevalue(viewer))
    url = reverse("search:search") + f"?q={q}"
    _add_people(business_association, 0, 3)
    few = query_count(client, url)
    _add_people(business_association, 3, 40)
    many = query_count(client, url)
    # More rows fill a page from fewer tiers: never more queries.
    assert many <= few <= max_queries()


@pytest.mark.parametrize("q", ["鄭", "鄭會員", "zhy"])
def test_filtered_person_list_queries_do_not_grow_with_rows(login, officer_of, business_association, q):
    client = login(officer_of)
    url = reverse("members:person-list") + f"?q={q}"
    _add_people(business_association, 0, 3)
    few = query_count(client, url)
    _add_people(business_association, 3, 60)
    assert few == query_count(client, url) <= 10


def test_control_characters_in_the_query_are_left_out(login, staff_user, make_person, business_association):
    """A NUL byte once ended SQLite's FTS phrase early (a server error); PostgreSQL refuses it in a string."""
    make_person("鄭定輝", association=business_association)
    client = login(staff_user)
    client.raise_request_exception = False
    for name in ("search:search", "search:suggest"):
        for q in ("鄭\x00定輝", "zheng\x00dinghui", "\u202e鄭定輝\u200b", "\x00"):
            response = client.get(reverse(name), {"q": q})
            assert response.status_code == 200, (name, q)
            assert ("定輝" in text_of(response)) is (q != "\x00"), (name, q)
