import uuid

from django.core.management.base import BaseCommand

from qiaojia.core import context
from qiaojia.trade.services_deals import digest_send


class Command(BaseCommand):
    help = "Send the weekly digest of new matches to those who did not switch it off. Run once a week, e.g. from cron."

    def handle(self, *args, **options):
        token = context.set_current(context.ActorContext(None, "trade_digest", None, "cli-" + uuid.uuid4().hex[:12]))
        try:
            count = digest_send()
        finally:
            context.reset(token)
        self.stdout.write(f"{count} digest(s) sent")
