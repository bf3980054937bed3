import time

from django.core.management.base import BaseCommand

from qiaojia.jobs.services import run_pending


class Command(BaseCommand):
    help = "Run queued background jobs; loops unless --once (the production and scale path)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued, then stop")
        parser.add_argument("--sleep", type=float, default=1.0, help="seconds between polls of an empty queue")

    def handle(self, *args, once=False, sleep=1.0, **options):
        while True:
            ran = run_pending()
            if ran:
                self.stdout.write(f"ran {ran} job(s)")
            if once:
                return
            if not ran:
                time.sleep(sleep)
