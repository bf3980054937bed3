"""What a query finds, in which order, and for whom (runs on SQLite and on PostgreSQL)."""

import pytest

from conftest import make_id_number
from qiaojia.accounts.models import Role
from qiaojia.search.selectors import matching_ids, parse, search, search_kind

pytestmark = pytest.mark.django_db


def _titles(viewer, q, kind="person", limit=10):
    query = parse(q)
    return [e.title for e in search_kind(viewer=viewer, kind=kind, query=query, limit=limit)] if query else []


@pytest.fixture
def people(make_person, business_association):
    names = {}
    for name, extra in (
        ("鄭定輝", {"name_en": "Tony Cheng"}),
        ("郑小华", {}),
        ("曾小明", {}),
        ("單小明", {}),
        ("柴莉", {"phone": "+8613812341234", "id_number": make_id_number(21, "19850312")}),
        ("李明", {}),
        ("李明華", {}),
        ("张李明", {}),
        ("王柴", {}),
    ):
        names[name] = make_person(name, association=business_association, **extra)
    return names


@pytest.mark.parametrize(
    "q",
    [
        "鄭定輝",
        "郑定辉",
        "鄭定辉",
        "定輝",
        "定辉",
        "zheng dinghui",
        "zhengdinghui",
        "ZhengDingHui",
        "zdh",
        "zhengd",
        "Tony Cheng",
        "tony",
        "cheng",
    ],
)
def test_zheng_dinghui_is_found_in_every_script_and_spelling(staff_user, people, q):
    assert "鄭定輝" in _titles(staff_user, q)


def test_a_name_stored_in_simplified_is_found_by_traditional(staff_user, people):
    assert "郑小华" in _titles(staff_user, "鄭小華")
    assert "郑小华" in _titles(staff_user, "小華")


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("曾小明", ["zengxiaoming", "zeng xiaoming", "zxm", "zeng"]),
        ("單小明", ["shanxiaoming", "shan xiao ming", "sxm", "单小明", "單小明"]),
    ],
)
def test_surnames_are_read_as_surnames(staff_user, people, name, queries):
    for q in queries:
        assert name in _titles(staff_user, q), q
    # Not by the common reading of the character.
    assert name not in _titles(staff_user, "cengxiaoming" if name == "曾小明" else "danxiaoming")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("柴", {"柴莉", "王柴"}),
        ("柴莉", {"柴莉"}),
        ("莉", {"柴莉"}),
        ("明", {"曾小明", "單小明", "李明", "李明華", "张李明"}),
    ],
)
def test_one_and_two_character_queries(staff_user, people, q, expected):
    assert set(_titles(staff_user, q)) == expected


def test_exact_before_prefix_before_contained(staff_user, people, make_person, business_association):
    assert _titles(staff_user, "李明") == ["李明", "李明華", "张李明"]
    assert _titles(staff_user, "李明", limit=2) == ["李明", "李明華"]
    for name in ("王郑定辉", "鄭定輝華"):
        make_person(name, association=business_association)
    assert _titles(staff_user, "郑定辉") == ["鄭定輝", "鄭定輝華", "王郑定辉"]


@pytest.mark.parametrize("cap", [2000, 2, 1])
def test_contained_tier_is_the_same_whether_the_index_gives_few_or_many_candidates(
    staff_user, make_user, people, make_person, business_association, other_association, monkeypatch, cap
):
    """Below the cap the page is sorted from the trigram index's candidates; at the cap the ordered walk
    runs instead. Both give the same, scoped, pinyin-ordered page."""
    from qiaojia.search import selectors

    monkeypatch.setattr(selectors, "CONTAINS_CANDIDATES", cap)
    for name in ("王郑定辉", "赵郑定辉", "鄭定輝華"):
        make_person(name, association=business_association)
    make_person("钱郑定辉", association=other_association)
    assert _titles(staff_user, "郑定辉") == ["鄭定輝", "鄭定輝華", "钱郑定辉", "王郑定辉", "赵郑定辉"]
    officer = make_user("oa-cap", Role.OFFICER, associations=[business_association])
    assert _titles(officer, "郑定辉") == ["鄭定輝", "鄭定輝華", "王郑定辉", "赵郑定辉"]
    assert _titles(officer, "郑定辉", limit=3) == ["鄭定輝", "鄭定輝華", "王郑定辉"]


def test_pinyin_exact_before_prefix(staff_user, people):
    titles = _titles(staff_user, "liming")
    assert titles[:2] == ["李明", "李明華"]


@pytest.mark.parametrize(
    "q", ["13812341234", "1234", "138", "8613812341234", "410102", "19850312", make_id_number(21, "19850312")]
)
def test_phone_and_id_numbers_are_never_searchable(staff_user, people, q):
    assert _titles(staff_user, q) == []
    assert not matching_ids(kind="person", q=q).exists()


@pytest.mark.parametrize("small_scope", [5000, 1, 0])
def test_officer_scope_is_the_same_as_a_list_or_as_a_probe(
    make_user, make_person, business_association, other_association, people, monkeypatch, small_scope
):
    """A small association's members are filtered as a list of ids, a large one's by probing each
    candidate's memberships: the results are the same."""
    from qiaojia.search import selectors

    monkeypatch.setattr(selectors, "SMALL_SCOPE", small_scope)
    make_person("鄭秘密", association=other_association)
    make_person("李明秘", association=other_association)
    officer = make_user("oa-scope", Role.OFFICER, associations=[business_association])
    assert _titles(officer, "鄭") == ["鄭定輝", "郑小华"]
    assert _titles(officer, "李明") == ["李明", "李明華", "张李明"]
    assert _titles(officer, "lm") == ["李明", "李明華"]
    assert "鄭秘密" in _titles(make_user("ob-scope", Role.OFFICER, associations=[other_association]), "鄭秘密")


def test_officer_finds_only_people_of_their_associations(
    make_user, make_person, business_association, other_association, people
):
    make_person("鄭秘密", association=other_association)
    officer_a = make_user("oa", Role.OFFICER, associations=[business_association])
    officer_b = make_user("ob", Role.OFFICER, associations=[other_association])
    assert "鄭定輝" in _titles(officer_a, "鄭") and "鄭秘密" not in _titles(officer_a, "鄭")
    assert _titles(officer_b, "鄭") == ["鄭秘密"]
    assert _titles(officer_b, "zdh") == []


def test_member_finds_only_their_own_record(make_user, people):
    member = make_user("m", Role.MEMBER, person=people["柴莉"])
    assert _titles(member, "柴") == ["柴莉"]
    groups = {g.kind: g for g in search(viewer=member, q="河南")}
    assert groups["enterprise"].entries == []


def test_associations_are_found_by_every_signed_in_user_and_link_where_they_may_go(
    make_user, business_association, other_association, officer_of, staff_user
):
    member = make_user("m2", Role.MEMBER)
    for viewer in (member, officer_of, staff_user):
        groups = {g.kind: g for g in search(viewer=viewer, q="河南省")}
        assert {e.title for e in groups["association"].entries} == {business_association.name, other_association.name}
    groups = {g.kind: g for g in search(viewer=officer_of, q="河南省")}
    by_title = {e.title: e.url for e in groups["association"].entries}
    assert by_title[business_association.name] == f"/orgs/associations/{business_association.pk}/"
    assert by_title[other_association.name] == f"/p/associations/{other_association.pk}/"


def test_association_by_short_name_pinyin_and_english(staff_user, business_association):
    for q in ("省僑商會", "省侨商会", "henanshengqiao", "hnsqs", "businessmen", "河南省侨商联合会"):
        assert business_association.name in _titles(staff_user, q, kind="association"), q


def test_enterprises_are_found(staff_user, business_association):
    from qiaojia.members import services

    services.enterprise_add(
        association=business_association,
        data={"name": "鄭州華僑實業有限公司", "name_en": "Zhengzhou Overseas Industry"},
        membership_data={"level": "member_unit", "joined_on": "2020-01-01"},
    )
    for q in ("郑州华侨", "华侨", "實業", "zhengzhou", "zzhq", "overseas industry"):
        assert _titles(staff_user, q, kind="enterprise") == ["鄭州華僑實業有限公司"], q


def test_highlight_marks_the_match_in_the_registered_name(staff_user, people):
    group = {g.kind: g for g in search(viewer=staff_user, q="定辉")}["person"]
    assert str(group.entries[0].title_html) == "鄭<mark>定輝</mark>"


def test_empty_and_punctuation_queries_find_nothing(staff_user, people):
    assert all(g.entries == [] for g in search(viewer=staff_user, q="  "))
    assert all(g.entries == [] for g in search(viewer=staff_user, q="-"))
    assert _titles(staff_user, '"') == []


@pytest.mark.parametrize("pk", [1, 7, 42, 987654321, 10**12])
def test_result_urls_match_reverse(pk):
    from django.urls import reverse

    from qiaojia.search.registry import detail_url

    for name in ("members:person-detail", "members:enterprise-detail", "orgs:association-detail", "orgs-public"):
        assert detail_url(name, pk) == reverse(name, args=[pk])
