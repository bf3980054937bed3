"""The audit trail as people read it: people by name, records as their owners name them, fields by their
labels, values by their choices' labels, related ids by their names, times in the reader's format; and
the page's queries do not grow with its rows."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from qiaojia.accounts.models import Role
from qiaojia.core import context
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.core.readable import format_datetime
from qiaojia.core.services import audit_log
from qiaojia.members.models import Membership, MembershipLevel

pytestmark = pytest.mark.django_db

TECHNICAL = [
    re.compile(r"\b[a-z_]+\.[a-z_]+ ?#\d+"),  # accounts.user #1
    re.compile(r"\b[a-z]+_[a-z_]+\b"),  # in_review, president_unit, demo_load
    re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d"),  # ISO timestamps
    re.compile(r"[+-]\d\d:?\d\d\b(?!\d)"),  # offsets
]


def visible_text(page: str) -> str:
    body = page.split("<main", 1)[1]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<form .*?</form>", " ", body, flags=re.S)  # the filters: inputs, not history
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture
def acting(admin_user, make_person):
    """The administrator acts, as the person linked to the account."""
    admin_user.person = make_person("楊海強")
    admin_user.save()
    token = context.set_current(context.ActorContext(admin_user.pk, admin_user.username, "10.0.0.1", "req-1"))
    yield admin_user
    context.reset(token)


@pytest.fixture
def history(acting, business_association, other_association, make_person, make_user):
    person = make_person("鄭定輝", association=business_association)
    membership = Membership.objects.get(person=person)
    audit_log(
        action=AuditAction.UPDATE,
        instance=membership,
        changes={
            "association": [other_association.pk, business_association.pk],
            "level": [MembershipLevel.MEMBER, MembershipLevel.DIRECTOR],
            "joined_on": ["2020-01-01", "2021-03-05"],
        },
    )
    officer = make_user("officer_x", Role.OFFICER)
    officer.first_name = "省僑商會負責人"
    officer.save()
    audit_log(
        action=AuditAction.UPDATE,
        instance=officer,
        changes={"role": [Role.MEMBER, Role.OFFICER], "is_active": [True, False], "person": [None, person.pk]},
    )
    return {"person": person, "membership": membership, "officer": officer}


def test_entries_name_people_records_fields_and_values(login, admin_user, history, business_association):
    with translation.override("en"):
        client = login(admin_user)
        client.cookies["django_language"] = "en"
        page = client.get(reverse("home:audit-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    text = visible_text(page)
    assert f"鄭定輝's membership in {business_association.name}" in text
    assert "楊海強" in text  # the actor, by the person linked to the account
    assert "Level" in text and "Member → Director" in text  # label, and values by their choices' labels
    assert "Association" in text and business_association.name in text  # an id resolved to its name
    assert "省僑商會負責人" in text and "Federation administrator" not in text  # an account by its full name
    assert "Role" in text and "Member → Association officer" in text
    assert "Yes → No" in text and "Own member record : 鄭定輝" in text  # a value set where none was
    assert "5 Mar 2021" in text or "March 5, 2021" in text
    for pattern in TECHNICAL:
        assert not pattern.search(text), (pattern.pattern, pattern.search(text).group())
    assert "accounts.user" not in text and "officer_x" not in text


def test_entries_read_in_chinese_with_the_readers_time(login, admin_user, history):
    client = login(admin_user)
    page = client.get(reverse("home:audit-list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    text = visible_text(page)
    entry = AuditEntry.objects.filter(object_type="members.membership").latest("id")
    with translation.override("zh-hans"):
        assert format_datetime(entry.at) in text
        assert "年" in format_datetime(entry.at)
    assert "理事" in text and "级别" in text  # Director, level
    assert "楊海強" in text and "杨海强" not in text  # who acted: a person's name, as registered in every script
    for pattern in TECHNICAL:
        assert not pattern.search(text), (pattern.pattern, pattern.search(text).group())


def test_system_actors_are_named_as_the_platform(login, admin_user, business_association):
    token = context.set_current(context.ActorContext(None, "demo_load", None, "cli-demo-1"))
    try:
        audit_log(action=AuditAction.UPDATE, instance=business_association, changes={"address": ["", "鄭州"]})
    finally:
        context.reset(token)
    text = visible_text(login(admin_user).get(reverse("home:audit-list")).content.decode())
    assert "demo_load" not in text
    with translation.override("zh-hans"):
        assert "平台" in text


def test_the_page_queries_do_not_grow_with_its_rows(login, admin_user, history, business_association, make_person):
    client = login(admin_user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home:audit-list")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(20):
        person = make_person(f"會員{i}", association=business_association)
        membership = Membership.objects.get(person=person)
        audit_log(
            action=AuditAction.UPDATE, instance=membership, changes={"association": [None, business_association.pk]}
        )
    assert count() <= few + 2  # kinds of record on the page may add a query each; rows do not


def test_the_export_reads_as_the_page(login, admin_user, history, business_association):
    response = login(admin_user).get(reverse("home:audit-export") + "?format=csv", HTTP_ACCEPT_LANGUAGE="en")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert f"鄭定輝's membership in {business_association.name}" in body
    assert "楊海強" in body and "Member → Director" in body
    assert "accounts.user" not in body and "in_review" not in body
