import time

from django.core.management.base import BaseCommand

from qiaojia.search import registry
from qiaojia.search.services import reindex


class Command(BaseCommand):
    help = "Rebuild the search index from the records (after a bulk load), in one transaction."

    def add_arguments(self, parser):
        parser.add_argument(
            "kinds",
            nargs="*",
            help="kinds to rebuild (default: all): " + ", ".join(i.kind for i in registry.indexers()),
        )

    def handle(self, *args, kinds, **options):
        started = time.perf_counter()
        counts = reindex(kinds=kinds or None)
        for kind, n in counts.items():
            self.stdout.write(f"{kind}: {n}")
        self.stdout.write(f"{time.perf_counter() - started:.1f} s")
