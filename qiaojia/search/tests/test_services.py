"""The index is written in the same transaction as the record, and rebuilt in bulk on demand."""

import pytest
from django.db import transaction

from qiaojia.members import services as member_services
from qiaojia.members.models import Person
from qiaojia.orgs import services as org_services
from qiaojia.search.models import SearchEntry
from qiaojia.search.selectors import parse, search_kind
from qiaojia.search.services import grams, grams_text, reindex

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_a_rolled_back_create_leaves_no_entry(db):
    with pytest.raises(Boom), transaction.atomic():
        member_services.person_create(data={"name": "回滾人"})
        assert SearchEntry.objects.filter(title="回滾人").exists()
        raise Boom
    assert not SearchEntry.objects.filter(title="回滾人").exists()
    assert not SearchEntry.objects.filter(grams__contains="滚").exists()


def test_create_writes_the_entry_with_its_keys(db):
    person = member_services.person_create(data={"name": "單小明", "name_en": "Sam Shan"})
    entry = SearchEntry.objects.get(kind="person", object_id=person.pk)
    assert (entry.title, entry.key, entry.pinyin, entry.initials, entry.english) == (
        "單小明",
        "单小明",
        "shanxiaoming",
        "sxm",
        "sam shan",
    )
    assert entry.grams == "单 单小 小 小明 明"


def test_a_rename_updates_the_entry(staff_user):
    person = member_services.person_create(data={"name": "柴莉"})
    member_services.person_update(person=person, expected_version=person.version, data={"name": "柴麗華"})
    entry = SearchEntry.objects.get(kind="person", object_id=person.pk)
    assert (entry.title, entry.key, entry.pinyin) == ("柴麗華", "柴丽华", "chailihua")
    assert [e.title for e in search_kind(viewer=staff_user, kind="person", query=parse("莉"))] == []
    assert [e.title for e in search_kind(viewer=staff_user, kind="person", query=parse("麗華"))] == ["柴麗華"]
    assert [e.title for e in search_kind(viewer=staff_user, kind="person", query=parse("柴丽华"))] == ["柴麗華"]


def test_a_failed_update_leaves_the_entry_as_it_was(db):
    person = member_services.person_create(data={"name": "柴莉"})
    with pytest.raises(Boom), transaction.atomic():
        member_services.person_update(person=person, expected_version=person.version, data={"name": "王五"})
        raise Boom
    assert SearchEntry.objects.get(kind="person", object_id=person.pk).title == "柴莉"


def test_association_rename_updates_the_entry(business_association):
    org_services.association_update(
        association=business_association, expected_version=business_association.version, data={"name": "河南省華僑商會"}
    )
    assert SearchEntry.objects.get(kind="association", object_id=business_association.pk).key == "河南省华侨商会"


def test_reindex_rebuilds_bulk_loaded_rows(staff_user):
    Person.objects.bulk_create(
        [Person(name="批量甲", name_key="批量甲", name_pinyin="piliangjia", name_initials="plj")]
    )
    assert search_kind(viewer=staff_user, kind="person", query=parse("批量")) == []
    counts = reindex(kinds=["person"])
    assert counts == {"person": Person.objects.count()}
    assert [e.title for e in search_kind(viewer=staff_user, kind="person", query=parse("plj"))] == ["批量甲"]
    assert [e.title for e in search_kind(viewer=staff_user, kind="person", query=parse("批量甲"))] == ["批量甲"]


def test_bulk_created_records_are_indexed_in_the_same_transaction(staff_user):
    from qiaojia.search.services import index_new_objects

    with pytest.raises(Boom), transaction.atomic():
        rows = Person.objects.bulk_create(
            [Person(name="導入甲", name_key="导入甲", name_pinyin="daorujia", name_initials="drj")]
        )
        assert index_new_objects(rows) == 1
        assert [e.title for e in search_kind(viewer=staff_user, kind="person", query=parse("drj"))] == ["導入甲"]
        raise Boom
    assert not SearchEntry.objects.filter(title="導入甲").exists()


def test_grams_are_the_short_chinese_pieces():
    assert grams("柴莉") == {"柴", "莉", "柴莉"}
    assert grams("abc公司") == {"c公", "公", "司", "公司"}
    assert grams_text("abc公司") == "c公 公 公司 司"
    assert grams_text("abc") is None


def test_a_piece_is_found_whole_whatever_it_holds(staff_user):
    """One- and two-character queries match a piece exactly: punctuation, a Latin letter beside a
    character or a quote inside a piece neither splits it nor widens the match."""
    for name in ("約翰·史密斯", "翰史", "abc公司", 'x"张'):
        member_services.person_create(data={"name": name})

    def titles(q: str) -> set[str]:
        return {e.title for e in search_kind(viewer=staff_user, kind="person", query=parse(q))}

    assert titles("翰·") == {"約翰·史密斯"}
    assert titles("翰") == {"約翰·史密斯", "翰史"}
    assert titles("c公") == {"abc公司"}
    assert titles('"张') == {'x"张'}
    assert titles("史") == {"約翰·史密斯", "翰史"}


def test_insert_rows_returns_the_ids_the_rows_got(db):
    from qiaojia.core.bulk import insert_rows

    with transaction.atomic():
        ids = insert_rows(
            SearchEntry,
            ("kind", "object_id", "title", "subtitle", "key", "pinyin", "initials"),
            [("test", n, f"行{n}", "", f"行{n}", "xing", "x") for n in range(5)],
            return_ids=True,
        )
    assert len(set(ids)) == 5
    stored = dict(SearchEntry.objects.filter(pk__in=ids).values_list("pk", "object_id"))
    assert stored == dict(zip(ids, range(5), strict=True))


def test_a_bulk_write_is_found_by_its_longer_pieces_and_leaves_the_per_row_path_working(staff_user):
    """A bulk write large enough for SQLite's one-statement FTS5 path: its rows are found by three
    characters or more (the FTS5 table on SQLite, the trigram index on PostgreSQL), a rolled-back one
    leaves nothing, and a record created afterwards one at a time is indexed as before."""
    from django.db import connection

    from qiaojia.search.backends import SQLITE_FTS_INSERT_TRIGGER
    from qiaojia.search.services import FTS_BULK_MIN, index_new_objects

    def people(prefix: str) -> list[Person]:
        return Person.objects.bulk_create(
            [
                Person(name=f"{prefix}{i}", name_key=f"{prefix}{i}", name_pinyin=f"py{i}", name_initials="x")
                for i in range(FTS_BULK_MIN)
            ]
        )

    with pytest.raises(Boom), transaction.atomic():
        assert index_new_objects(people("退回批量")) == FTS_BULK_MIN
        raise Boom
    assert search_kind(viewer=staff_user, kind="person", query=parse("退回批")) == []
    with transaction.atomic():
        assert index_new_objects(people("冯小批量")) == FTS_BULK_MIN
    found = search_kind(viewer=staff_user, kind="person", query=parse("小批量"))
    assert len(found) > 0 and all(e.title.startswith("冯小批量") for e in found)
    # ... and by one or two characters (the pieces' FTS5 table on SQLite, their GIN index on PostgreSQL).
    found = search_kind(viewer=staff_user, kind="person", query=parse("批"), limit=500)
    assert {e.title for e in found} == {f"冯小批量{i}" for i in range(FTS_BULK_MIN)}
    assert search_kind(viewer=staff_user, kind="person", query=parse("退回")) == []
    member_services.person_create(data={"name": "逐一登记人"})
    assert [e.title for e in search_kind(viewer=staff_user, kind="person", query=parse("逐一登"))] == ["逐一登记人"]
    if connection.vendor == "sqlite":  # the trigger put back is the migration's own
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'search_entry_ai'")
            assert cursor.fetchone()[0] == SQLITE_FTS_INSERT_TRIGGER


def test_a_short_query_past_its_first_window_of_ids_asks_the_whole_index(staff_user, monkeypatch):
    """A common piece is looked for among its first ids; when they hold fewer entries of the kind than a
    page, the whole index is asked, so the page is the same either way."""
    from qiaojia.search import selectors

    monkeypatch.setattr(selectors, "GRAM_CANDIDATES", 3)
    for i in range(6):
        member_services.enterprise_create(data={"name": f"窗口企业{i}"})
    people = [member_services.person_create(data={"name": f"窗口人{i}"}) for i in range(4)]
    found = search_kind(viewer=staff_user, kind="person", query=parse("窗"), limit=3)
    assert [e.object_id for e in found] == sorted(p.pk for p in people)[:3]
