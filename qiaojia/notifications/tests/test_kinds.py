"""The registry of notice kinds and the rules that pick who is told."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qiaojia.accounts.models import Role
from qiaojia.notifications import recipients as own_rules
from qiaojia.notifications.kinds import UnknownNoticeKind, kinds, notice_kind
from qiaojia.notifications.models import Notification
from qiaojia.notifications.services import notify
from qiaojia.orgs import recipients
from qiaojia.orgs.models import Department

DOMAIN_APPS = ("activities", "cycle", "demo", "events", "exports", "imports", "meetings", "news", "volunteering")


def _inactive(user):
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def test_sending_an_undeclared_kind_is_an_error_and_writes_nothing(make_user):
    user = make_user("li", Role.OFFICER)
    with pytest.raises(UnknownNoticeKind):
        notify("news.publishd", user=user, subject="x", body="")
    assert not Notification.objects.exists()


def test_a_code_declared_twice_differently_stops_the_start_up():
    with pytest.raises(ImproperlyConfigured):
        notice_kind("cycle.submitted", label=_("Report submitted"), rule=own_rules.user_account)


def test_each_app_declares_its_kinds_from_its_own_notices_module():
    declared = {kind.code.split(".")[0] for kind in kinds()}
    assert {"accounts", "cycle", "events", "meetings", "members", "news", "volunteering"} <= declared


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_the_inbox_names_every_kind_in_words_never_by_its_code(language):
    with translation.override(language):
        for kind in kinds():
            label = Notification(kind=kind.code).get_kind_display()
            assert label.strip() and label != kind.code and "." not in label
        assert Notification(kind="retired.kind").get_kind_display() == str(_("Notice"))


def test_notifications_imports_no_domain_app():
    folder = Path(own_rules.__file__).parent
    for path in folder.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                assert name.split(".")[:2] not in [["qiaojia", app] for app in DOMAIN_APPS], f"{path}: {name}"


def test_federation_matter_goes_to_the_departments_active_staff(
    make_user, business_association, liaison_department, admin_user
):
    staff = make_user("staff_a", Role.STAFF, department=liaison_department)
    _inactive(make_user("staff_gone", Role.STAFF, department=liaison_department))
    other = Department.objects.create(federation=liaison_department.federation, name="宣傳部")
    make_user("staff_other", Role.STAFF, department=other)
    assert recipients.federation_staff(association=business_association) == [staff]
    assert recipients.federation_staff(department=other)[0].username == "staff_other"


def test_federation_matter_of_a_department_without_active_staff_goes_to_the_administrators(
    make_user, business_association, liaison_department
):
    _inactive(make_user("staff_gone", Role.STAFF, department=liaison_department))
    admin = make_user("admin", Role.ADMIN)
    _inactive(make_user("admin_gone", Role.ADMIN))
    other = Department.objects.create(federation=liaison_department.federation, name="宣傳部")
    make_user("staff_other", Role.STAFF, department=other)  # another department's staff are not asked
    assert recipients.federation_staff(association=business_association) == [admin]


def test_a_matter_of_no_association_goes_to_the_department_that_supervises_associations(
    make_user, liaison_department, federation
):
    Department.objects.create(federation=federation, name="辦公室", order=0)
    staff = make_user("staff_a", Role.STAFF, department=liaison_department)
    assert recipients.federation_staff() == [staff]


def test_association_matter_goes_to_its_active_officers_only(
    make_user, business_association, other_association, staff_user
):
    officer = make_user("officer_a", Role.OFFICER, associations=[business_association])
    make_user("officer_b", Role.OFFICER, associations=[other_association])
    _inactive(make_user("officer_gone", Role.OFFICER, associations=[business_association]))
    assert list(recipients.association_officers(association=business_association)) == [officer]


def test_a_persons_matter_goes_to_their_own_account_or_to_no_one(make_user, make_person):
    with_account, without = make_person("鄭定輝"), make_person("李無號")
    account = make_user("zdh", Role.MEMBER, person=with_account)
    assert list(recipients.person_accounts(people=[with_account, without])) == [account]
    assert list(recipients.person_accounts(people=[without])) == []


def test_notify_tells_each_user_once_and_never_an_inactive_one(make_user, business_association):
    officer = make_user("officer_a", Role.OFFICER, associations=[business_association])
    _inactive(make_user("officer_gone", Role.OFFICER, associations=[business_association]))
    sent = notify(
        "news.published", association=business_association, author=officer, params={"title": "已發布"}, url="/news/"
    )
    assert [n.recipient for n in sent] == [officer]
