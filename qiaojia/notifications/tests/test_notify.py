import datetime

from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import verified_client
from qiaojia.accounts.models import Role
from qiaojia.core.chinese import to_traditional
from qiaojia.core.models import AuditEntry
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job
from qiaojia.notifications.models import Notification
from qiaojia.notifications.services import SEND_KIND, notify
from qiaojia.orgs.tests.helpers import query_count


def _users(make_user, association):
    hans = make_user("hans", Role.OFFICER)
    hans.email, hans.language = "hans@example.org", "zh-hans"
    hant = make_user("hant", Role.OFFICER)
    hant.email, hant.language = "hant@example.org", "zh-hant"
    for user in (hans, hant):
        user.save()
    hans.associations.set([association])
    hant.associations.set([association])
    return hans, hant


def _both(hans, hant, **text):
    """One notice to each of the two officers of one association (the rule of an association's matter)."""
    return notify("cycle.returned", association=hans.associations.get(), **text)


def test_notify_writes_each_notice_in_its_recipients_language(make_user, business_association):
    hans, hant = _users(make_user, business_association)
    created = _both(hans, hant, params={"year": 2024, "reason": "缺少財務報表", "date": datetime.date(2025, 4, 30)})
    assert len(created) == 2
    by_user = {n.recipient_id: n for n in Notification.objects.all()}
    with translation.override("zh-hans"):
        simplified = translation.gettext("Your %(year)s annual report was returned for revision") % {"year": 2024}
    assert by_user[hans.pk].subject == simplified
    assert by_user[hant.pk].subject == to_traditional(simplified) != simplified
    assert "2025年4月30日" in by_user[hans.pk].body and "缺少财务报表" in by_user[hans.pk].body
    assert AuditEntry.objects.filter(object_type="notifications.notification").count() == 1


def test_email_leaves_only_from_the_background_job_once(make_user, business_association):
    hans, hant = _users(make_user, business_association)
    params = {"year": 2024, "reason": "請於5個工作日內修改", "date": datetime.date(2025, 4, 30)}
    _both(hans, hant, params=params, url="/cycle/reports/1/")
    assert mail.outbox == []  # nothing is sent inside the request's transaction
    assert Job.objects.filter(kind=SEND_KIND).count() == 1
    assert jobs.run_pending() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["hans@example.org", "hant@example.org"]
    assert "/cycle/reports/1/" in mail.outbox[0].body
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    job = Job.objects.get(kind=SEND_KIND)
    Job.objects.filter(pk=job.pk).update(status="queued")  # a job run twice sends nothing twice
    jobs.run_pending()
    assert len(mail.outbox) == 2


def test_a_rolled_back_change_leaves_no_notice_and_sends_nothing(make_user, business_association):
    hans, _hant = _users(make_user, business_association)
    try:
        with transaction.atomic():
            notify("general", user=hans, subject="x", body="y")
            raise RuntimeError
    except RuntimeError:
        pass
    assert Notification.objects.count() == 0
    assert Job.objects.count() == 0
    assert jobs.run_pending() == 0 and mail.outbox == []


def test_recipients_without_email_get_the_inbox_notice_only(make_user, business_association):
    user = make_user("noemail", Role.OFFICER)
    notify("general", user=user, subject="x", body="y")
    assert Notification.objects.count() == 1
    assert Job.objects.count() == 0


def test_inbox_shows_own_notices_and_marks_them_read(client, make_user, business_association):
    hans, hant = _users(make_user, business_association)
    mine = notify("general", user=hans, subject="我的通知", body="內容", url="/cycle/reports/")[0]
    theirs = notify("general", user=hant, subject="別人的通知", body="")[0]
    verified_client(client, hans)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "我的通知" in page and "別人的通知" not in page
    badge = client.get(reverse("notifications:unread-count")).content.decode()
    assert 'id="unread-count"' in badge and ">1<" in badge
    assert client.post(reverse("notifications:notification-read", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("notifications:notification-read", args=[mine.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/cycle/reports/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "unread-count" not in client.get(reverse("notifications:unread-count")).content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_marks_only_own_notices(client, make_user, business_association):
    hans, hant = _users(make_user, business_association)
    _both(hans, hant, params={"year": 2024, "reason": "x", "date": datetime.date(2025, 4, 30)})
    notify("general", user=hans, subject="y", body="")
    verified_client(client, hans)
    assert client.post(reverse("notifications:read-all")).status_code == 302
    assert Notification.objects.filter(recipient=hans, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=hant, read_at__isnull=True).count() == 1


def test_inbox_queries_do_not_grow_with_notices(client, make_user, business_association):
    hans, _hant = _users(make_user, business_association)
    notify("general", user=hans, subject="x", body="")
    verified_client(client, hans)
    few = query_count(client, reverse("notifications:inbox"))
    for i in range(30):
        notify("general", user=hans, subject=f"n{i}", body="")
    assert query_count(client, reverse("notifications:inbox")) == few


def _inbox(user, language: str) -> str:
    client = verified_client(Client(), user)
    client.cookies["django_language"] = language
    return client.get(reverse("notifications:inbox"), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_notice_is_written_when_read_in_the_readers_language_and_script(make_user, business_association):
    """Sent to a zh-hans reader, read after they chose zh-hant (and English): the words follow the reader,
    not the sender; the free text too; the kind is named by its label, never its code."""
    hans, hant = _users(make_user, business_association)
    _both(hans, hant, params={"year": 2024, "reason": "报表并未盖章", "date": datetime.date(2025, 4, 30)})
    hans.language = "zh-hant"
    hans.save()
    page = _inbox(hans, "zh-hant")
    assert "報表並未蓋章" in page and "2025年4月30日" in page
    assert "报表" not in page and "并" not in page
    assert "cycle.returned" not in page.replace('data-kind="cycle.returned"', "")
    with translation.override("zh-hant"):
        assert translation.gettext("Report returned for revision") in page
    hans.language = "en"
    hans.save()
    page = _inbox(hans, "en")
    assert "30 Apr 2025" in page and "Your 2024 annual report was returned for revision" in page
    assert "报表并未盖章" in page  # free text as it was written, not converted for an English reader


def test_a_persons_name_in_a_notice_stays_as_registered(make_user, business_association):
    from qiaojia.notifications.models import Notification as N
    from qiaojia.notifications.text import person

    hans, hant = _users(make_user, business_association)
    notify(
        "members.decided",
        association=business_association,
        params={"name": person("鄭定輝"), "association": "河南省僑商聯合會", "confirmed": True},
    )
    notice = N.objects.get(recipient=hans)
    assert notice.subject_for("zh-hans").endswith("鄭定輝")
    assert "河南省侨商联合会" in notice.body_for("zh-hans") and "鄭定輝" in notice.body_for("zh-hans")
    assert '<span data-name="">鄭定輝</span>' in notice.body_for("zh-hans", html=True)
    page = _inbox(hans, "zh-hans")
    assert '<span data-name="">鄭定輝</span>' in page and "河南省侨商联合会" in page


def test_the_email_is_in_the_recipients_language_when_sent(make_user, business_association):
    hans, hant = _users(make_user, business_association)
    _both(hans, hant, params={"year": 2024, "reason": "报表并未盖章", "date": datetime.date(2025, 4, 30)})
    hant.language = "en"
    hant.save()
    jobs.run_pending()
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "报表并未盖章" in by_to["hans@example.org"].body and "2025年4月30日" in by_to["hans@example.org"].body
    assert by_to["hant@example.org"].subject == "Your 2024 annual report was returned for revision"
    assert "30 Apr 2025" in by_to["hant@example.org"].body
