"""The overview page and the audit trail, at the paths they had in core."""

import pytest
from django.urls import reverse

from qiaojia.core.chinese import to_script
from qiaojia.core.models import AuditAction
from qiaojia.core.services import audit_log

pytestmark = pytest.mark.django_db


def test_the_paths_are_the_ones_core_had():
    assert reverse("home:index") == "/"
    assert reverse("home:audit-list") == "/admin-tools/audit/"
    assert reverse("home:audit-export") == "/admin-tools/audit/export/"


def test_a_visitor_is_welcomed_and_a_user_sees_the_overview(client, login, staff_user, business_association):
    welcome = client.get(reverse("home:index"))
    assert welcome.status_code == 200 and "home/welcome.html" in [t.name for t in welcome.templates]
    assert to_script(business_association.name, "zh-hans") in welcome.content.decode()
    overview = login(staff_user).get(reverse("home:index"))
    assert overview.status_code == 200 and "home/home.html" in [t.name for t in overview.templates]


def test_the_audit_trail_is_for_administrators_and_filtered(login, admin_user, staff_user, business_association):
    audit_log(action=AuditAction.UPDATE, instance=business_association, changes={"address": ["", "鄭州"]})
    assert login(staff_user).get(reverse("home:audit-list")).status_code == 404
    client = login(admin_user)
    page = client.get(reverse("home:audit-list"), {"action": AuditAction.UPDATE}).content.decode()
    assert to_script(business_association.name, "zh-hans") in page
    other = client.get(reverse("home:audit-list"), {"action": AuditAction.DELETE}).content.decode()
    assert to_script(business_association.name, "zh-hans") not in other
