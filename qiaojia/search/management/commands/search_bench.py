import json
import time

from django.core.management.base import BaseCommand
from django.db import connection

from qiaojia.search import search_bench
from qiaojia.search.models import SearchEntry


class Command(BaseCommand):
    help = (
        "Time the search against a naive LIKE '%q%' scan. --fill N writes synthetic people straight into "
        "the index first: use a scratch database only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fill", type=int, default=0, help="fill the index up to N synthetic people first")
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, fill, repeat, **options):
        have = SearchEntry.objects.filter(kind="person").count()
        if fill > have:
            started = time.perf_counter()
            search_bench.fill_index(n=fill - have, seed=2025 + have)
            self.stderr.write(f"filled {fill - have} in {time.perf_counter() - started:.0f} s")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        results = search_bench.run(repeat=repeat)
        self.stdout.write(
            json.dumps(
                {"vendor": connection.vendor, "people": max(fill, have), "results": results},
                ensure_ascii=False,
                indent=1,
            )
        )
