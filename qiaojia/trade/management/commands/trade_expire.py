import datetime
import uuid

from django.core.management.base import BaseCommand

from qiaojia.core import context
from qiaojia.trade.services import offers_expire


class Command(BaseCommand):
    help = "Expire the published offers and needs whose validity has ended. Run once a day, e.g. from cron."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, default=None, help="The day to expire as of (YYYY-MM-DD)."
        )

    def handle(self, *args, **options):
        token = context.set_current(context.ActorContext(None, "trade_expire", None, "cli-" + uuid.uuid4().hex[:12]))
        try:
            count = offers_expire(today=options["today"])
        finally:
            context.reset(token)
        self.stdout.write(f"{count} item(s) expired")
