"""A report's history names people, not accounts, and writes times as the reader does."""

import re

from django.urls import reverse
from django.utils import translation

from conftest import verified_client
from qiaojia.core import context
from qiaojia.core.chinese import to_script
from qiaojia.core.readable import format_datetime
from qiaojia.cycle import services
from qiaojia.cycle.models import ReportEvent


def test_history_names_the_person_behind_each_account(client, staff_user, officer_of, make_person, report):
    officer_of.first_name = "省僑商會負責人"  # an account with a full name but no member record
    officer_of.save()
    staff_user.person = make_person("王曉紅")  # an account that belongs to a person
    staff_user.save()
    for user, step in ((officer_of, services.report_submit), (staff_user, None)):
        token = context.set_current(context.ActorContext(user.pk, user.username, None, "req"))
        try:
            if step is not None:
                report = step(report=report, expected_version=report.version)
            else:
                report = services.report_return(report=report, expected_version=report.version, reason="請補充")
        finally:
            context.reset(token)
    token = context.set_current(context.ActorContext(None, "cycle_reminders", None, "cli-1"))
    try:
        ReportEvent.objects.create(report=report, kind="reminded", actor_name="cycle_reminders")
    finally:
        context.reset(token)

    verified_client(client, staff_user)
    page = client.get(reverse("cycle:report-detail", args=[report.pk])).content.decode()
    timeline = re.search(r'<ul class="timeline" id="timeline">(.*?)</ul>', page, re.S).group(1)
    # an account's label follows the reader's script; a person's name is shown as registered
    assert to_script("省僑商會負責人", "zh-hans") in timeline and "王曉紅" in timeline
    for account in (officer_of.username, staff_user.username, "cycle_reminders"):
        assert account not in timeline
    with translation.override("zh-hans"):
        assert "平台" in timeline  # the reminder was the platform's
        first = report.events.order_by("at", "id").first()
        assert format_datetime(first.at) in timeline
    assert not re.search(r"\d{4}-\d\d-\d\d", timeline)
