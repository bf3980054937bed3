import datetime
import uuid

from django.core.management.base import BaseCommand

from qiaojia.core import context
from qiaojia.voice.services import opinions_check_deadlines


class Command(BaseCommand):
    help = "Remind the handlers of opinions due soon and escalate the overdue ones. Run once a working day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, default=None, help="The day to check as of (YYYY-MM-DD)."
        )

    def handle(self, *args, **options):
        token = context.set_current(context.ActorContext(None, "voice_deadlines", None, "cli-" + uuid.uuid4().hex[:12]))
        try:
            reminded, escalated = opinions_check_deadlines(today=options["today"])
        finally:
            context.reset(token)
        self.stdout.write(f"{reminded} reminded, {escalated} escalated")
