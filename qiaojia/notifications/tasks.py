"""The notifications' background job: the e-mails of the notices a `notify` call wrote."""

import logging

from django.core.mail import get_connection
from django.utils import timezone

from qiaojia.jobs import services as jobs

from .models import Notification
from .services import SEND_KIND, SENDERS, _channels, send_email

log = logging.getLogger(__name__)


@jobs.register(SEND_KIND)
def send_job(job, progress) -> None:
    """Deliver the notices a `notify` call queued; a notice already e-mailed is not sent again."""
    ids = [int(i) for i in job.params.get("ids", [])]
    pending = list(
        Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("recipient").order_by("id")
    )
    connection = get_connection()
    sent = 0
    with connection:
        for done, notification in enumerate(pending, start=1):
            try:
                ok = send_email(notification, connection=connection)
            except Exception:  # noqa: BLE001 - one bad address must not stop the others
                log.exception("notification %s: e-mail not sent", notification.pk)
                ok = False
            for name in _channels():
                if name != "email":
                    SENDERS[name](notification)
            if ok:
                Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
                sent += 1
            progress(done, len(pending))
    if pending and not sent:
        raise jobs.JobError("No e-mail could be sent.")
