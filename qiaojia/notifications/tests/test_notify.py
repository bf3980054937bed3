from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from conftest import verified_client
from qiaojia.accounts.models import Role
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
    created = _both(
        hans,
        hant,
        subject=lambda u: translation.get_language(),
        body=translation.gettext_lazy("Notice"),
        url="/cycle/reports/",
    )
    assert len(created) == 2
    by_user = {n.recipient_id: n for n in Notification.objects.all()}
    assert by_user[hans.pk].subject == "zh-hans"
    assert by_user[hant.pk].subject == "zh-hant"
    assert AuditEntry.objects.filter(object_type="notifications.notification").count() == 1


def test_email_leaves_only_from_the_background_job_once(make_user, business_association):
    hans, hant = _users(make_user, business_association)
    _both(hans, hant, subject="年度報告已退回", body="請於5個工作日內修改", url="/cycle/reports/1/")
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
    _both(hans, hant, subject="x", body="")
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
