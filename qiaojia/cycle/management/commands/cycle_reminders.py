import datetime
import uuid

from django.core.management.base import BaseCommand

from qiaojia.core import context
from qiaojia.cycle.services import reminders_send


class Command(BaseCommand):
    help = (
        "Send the day's annual-report reminders (due in 7 or 1 days, overdue, or a returned report's "
        "resubmission date). Run once a day, e.g. from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day to send the reminders of (YYYY-MM-DD; default today).",
        )

    def handle(self, *args, **options):
        token = context.set_current(context.ActorContext(None, "cycle_reminders", None, "cli-" + uuid.uuid4().hex[:12]))
        try:
            sent = reminders_send(today=options["today"])
        finally:
            context.reset(token)
        self.stdout.write(f"{sent} reminder(s) sent")
