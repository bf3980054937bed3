"""Exports of every list: formats that open, masking, the viewer's scope and filters, bounded queries and memory."""

import csv
import datetime
import io
import json
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from bench.exports import export_measure
from conftest import make_credit_code, make_id_number
from qiaojia.exports import formats as exports
from qiaojia.exports.formats import Column, xlsx_chunks
from qiaojia.members import services as member_services
from qiaojia.members.exports import PERSON_COLUMNS, person_export_spec
from qiaojia.members.models import Membership, MembershipLevel, Person
from qiaojia.members.selectors import person_list
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import PartnerKind
from qiaojia.orgs.tests.helpers import CLEAR_ID_RE, CLEAR_PHONE_RE

pytestmark = pytest.mark.django_db

LISTS = ["members:person-export", "members:enterprise-export", "orgs:association-export", "orgs:partner-export"]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    text = body_of(response).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(body_of(response)), read_only=True)
    return [list(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def world(business_association, other_association, make_person, today):
    a = make_person(
        "鄭定輝",
        association=business_association,
        phone="13812341234",
        name_en="Zheng Dinghui",
        id_number=make_id_number(21, "19800101"),
        birth_date=datetime.date(1980, 1, 1),
    )
    b = make_person(
        "王秘密", association=other_association, phone="13998765432", id_number=make_id_number(22, "19750203")
    )
    org_services.partner_create(
        association=business_association,
        data={"name": "鄭州大學", "kind": PartnerKind.UNIVERSITY, "contact": "張老師 13712345678"},
    )
    org_services.partner_create(
        association=other_association, data={"name": "秘密夥伴", "kind": PartnerKind.UNIVERSITY}
    )
    member_services.enterprise_add(
        association=business_association,
        data={"name": "中原貿易有限公司", "credit_code": make_credit_code(8101), "representative": a},
        membership_data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": today},
    )
    member_services.enterprise_add(
        association=other_association,
        data={"name": "秘密實業有限公司", "credit_code": make_credit_code(8102)},
        membership_data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": today},
    )
    return {"a": a, "b": b}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_person_export_opens_and_is_masked(login, staff_user, world, fmt):
    response = login(staff_user).get(reverse("members:person-export") + f"?format={fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPES[fmt]
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    header, data = rows[0], rows[1:]
    assert len(header) == len(PERSON_COLUMNS) and len(data) == 2
    by_name = {row[0]: row for row in data}
    zheng = by_name["鄭定輝"]
    assert zheng[1] == "Zheng Dinghui"
    assert zheng[6] == "138****1234"
    assert zheng[7] == make_id_number(21, "19800101")[:3] + "*" * 11 + make_id_number(21, "19800101")[-4:]
    assert zheng[3] in ("1980-01-01", datetime.datetime(1980, 1, 1))
    flat = json.dumps(rows, default=str, ensure_ascii=False)
    assert not CLEAR_PHONE_RE.search(flat) and not CLEAR_ID_RE.search(flat)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", LISTS)
def test_officer_export_holds_only_their_association(login, officer_of, world, name, fmt):
    response = login(officer_of).get(reverse(name) + f"?format={fmt}")
    assert response.status_code == 200
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    flat = json.dumps(rows, default=str, ensure_ascii=False)
    assert len(rows) >= 2, f"{name} exported nothing of the officer's own association"
    for secret in ("王秘密", "秘密夥伴", "秘密實業有限公司", "河南省歸國華僑聯誼會"):
        assert secret not in flat, f"{name} ({fmt}) exports {secret} to an officer of another association"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_honours_the_page_filters(login, staff_user, world, business_association, fmt):
    client = login(staff_user)
    rows = csv_rows if fmt == "csv" else xlsx_rows
    by_association = rows(
        client.get(reverse("members:person-export"), {"association": business_association.pk, "format": fmt})
    )
    assert [r[0] for r in by_association[1:]] == ["鄭定輝"]
    by_pinyin = rows(client.get(reverse("members:person-export"), {"q": "zdh", "format": fmt}))
    assert [r[0] for r in by_pinyin[1:]] == ["鄭定輝"]
    partners = rows(client.get(reverse("orgs:partner-export"), {"q": "鄭州", "format": fmt}))
    assert [r[0] for r in partners[1:]] == ["鄭州大學"]


def test_free_text_is_masked_too(login, staff_user, world):
    rows = csv_rows(login(staff_user).get(reverse("orgs:partner-export")))
    contacts = [r[4] for r in rows[1:]]
    assert "張老師 137****5678" in contacts


def test_credit_codes_are_not_mistaken_for_id_numbers(login, staff_user, world):
    rows = csv_rows(login(staff_user).get(reverse("members:enterprise-export")))
    assert make_credit_code(8101) in {r[2] for r in rows[1:]}


def test_a_formula_stays_text(login, staff_user, business_association, make_person):
    make_person("=HYPERLINK(1)", association=business_association)
    client = login(staff_user)
    assert csv_rows(client.get(reverse("members:person-export")))[1][0] == "'=HYPERLINK(1)"
    workbook = load_workbook(io.BytesIO(body_of(client.get(reverse("members:person-export") + "?format=xlsx"))))
    cell = workbook.active["A2"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


def test_file_name_is_dated_and_in_the_readers_language(login, staff_user, world):
    client = login(staff_user)
    with translation.override("zh-hans"):
        response = client.get(reverse("members:person-export") + "?format=xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans")
    disposition = response["Content-Disposition"]
    stamp = datetime.date.today().strftime("%Y%m%d")
    assert disposition.startswith(f'attachment; filename="people-{stamp}')
    assert ".xlsx" in disposition and "filename*=UTF-8''" in disposition
    real_name = unquote(disposition.split("filename*=UTF-8''")[1])
    assert real_name.endswith(".xlsx") and stamp in real_name


def test_unknown_format_falls_back_to_csv(login, staff_user, world):
    response = login(staff_user).get(reverse("members:person-export") + "?format=exe")
    assert response["Content-Type"].startswith("text/csv")


def test_audit_export_is_for_administrators_and_masked(login, admin_user, staff_user, world):
    assert login(staff_user).get(reverse("home:audit-export")).status_code == 404
    response = login(admin_user).get(reverse("home:audit-export") + "?object_type=members.person&format=xlsx")
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert len(rows) > 2
    flat = json.dumps(rows, default=str, ensure_ascii=False)
    assert not CLEAR_PHONE_RE.search(flat) and not CLEAR_ID_RE.search(flat)
    assert "138****1234" in flat


def test_list_toolbars_offer_both_formats_with_the_filters(login, staff_user, world):
    client = login(staff_user)
    page = client.get(reverse("members:person-list") + "?q=zdh&page=1").content.decode()
    assert "/members/people/export/?q=zdh&amp;format=csv" in page or "format=csv" in page
    assert "format=xlsx" in page and "page=1&amp;format" not in page
    for name in ("orgs:association-list", "orgs:partner-list", "members:enterprise-list"):
        assert "format=xlsx" in client.get(reverse(name)).content.decode(), name


def _add_people(association, start, stop):
    for i in range(start, stop):
        person = Person.objects.create(name=f"人{i}", name_key=f"人{i}", phone=f"+86138000{i:05d}")
        Membership.objects.create(association=association, person=person, joined_on=datetime.date(2020, 1, 1))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("viewer", ["staff_user", "officer_of"])
def test_export_queries_do_not_grow_with_rows(login, request, business_association, monkeypatch, viewer, fmt):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 10_000)
    client = login(request.getfixturevalue(viewer))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            body_of(client.get(reverse("members:person-export") + f"?format={fmt}"))
        return len(ctx.captured_queries)

    _add_people(business_association, 0, 5)
    count()
    few = count()
    _add_people(business_association, 5, 80)
    assert count() == few


def test_export_of_20k_rows_keeps_memory_bounded(business_association, staff_user):
    people = Person.objects.bulk_create(
        [
            Person(
                name=f"張{i}",
                name_key=f"张{i}",
                name_en=f"Zhang {i}",
                phone=f"+86139{i:08d}",
                birth_date=datetime.date(1980, 1, 1) + datetime.timedelta(days=i % 9000),
            )
            for i in range(20_000)
        ],
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        [Membership(association=business_association, person=p, joined_on=datetime.date(2020, 1, 1)) for p in people],
        batch_size=2000,
    )
    queryset = person_list(viewer=staff_user).order_by("pk")
    for fmt in ("csv", "xlsx"):
        stats = export_measure(queryset, person_export_spec(staff_user), fmt, trace_memory=True)
        assert stats.rows == 20_000
        # All rows held at once would take well over 100 MB of Python objects.
        assert stats.peak_mb < 40, f"{fmt} peak {stats.peak_mb:.1f} MB"


def test_xlsx_continues_on_a_new_sheet_past_the_row_limit(monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)
    data = b"".join(xlsx_chunks(([str(i), i] for i in range(5)), ["text", "number"], title="人員"))
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["人員", "人員 2", "人員 3"]
    values = [row for ws in workbook.worksheets for row in ws.iter_rows(min_row=2, values_only=True)]
    assert values == [("0", 0), ("1", 1), ("2", 2), ("3", 3), ("4", 4)]


def test_xlsx_keeps_types_and_strips_what_xml_cannot_hold():
    when = datetime.datetime(2025, 3, 5, 8, 30, 15)
    columns = [
        Column("a", lambda r: r[0]),
        Column("b", lambda r: r[1]),
        Column("c", lambda r: r[2]),
        Column("d", lambda r: r[3]),
    ]
    rows = exports.rows_of([(datetime.date(2025, 3, 5), when, "a\x01b & <c>", True)], columns)
    workbook = load_workbook(io.BytesIO(b"".join(xlsx_chunks(rows, ["a", "b", "c", "d"]))))
    assert [c.value for c in workbook.active[2]] == [datetime.datetime(2025, 3, 5), when, "ab & <c>", str(_("Yes"))]
