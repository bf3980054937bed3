"""Measure the people export: rows/s (untraced run) and peak memory (traced run), as JSON.

    manage.py export_benchmark --generate 100000   # first fill a scratch database with synthetic people
    manage.py export_benchmark --format xlsx --limit 100000

Run it against a scratch database only: --generate writes rows without audit entries."""

import datetime
import json
import resource

from django.core.management.base import BaseCommand
from django.db import transaction

from qiaojia.accounts.models import Role, User
from qiaojia.core.exports import export_measure
from qiaojia.members.exports import person_export_spec
from qiaojia.members.models import Membership, Person
from qiaojia.members.selectors import person_list
from qiaojia.orgs.models import Association, AssociationKind, Department, Federation

SURNAMES = "王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林鄭"
GIVEN = "偉芳娜秀英敏靜麗強磊軍洋勇艷傑娟濤明超蘭霞平剛桂"


class Command(BaseCommand):
    help = "Benchmark the streamed people export (csv or xlsx) on the configured database."

    def add_arguments(self, parser):
        parser.add_argument("--generate", type=int, default=0, help="bulk-create this many synthetic people first")
        parser.add_argument("--format", choices=["csv", "xlsx", "both"], default="both")
        parser.add_argument("--limit", type=int, default=0, help="export at most this many rows (0: all)")
        parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")

    def handle(self, *args, **options):
        if options["generate"]:
            self._generate(options["generate"])
        viewer = User.objects.filter(role=Role.ADMIN, is_active=True).first() or User(role=Role.ADMIN, is_active=True)
        qs = person_list(viewer=viewer).order_by("pk")
        if options["limit"]:
            qs = qs.filter(pk__in=Person.objects.order_by("pk").values("pk")[: options["limit"]])
        results = {}
        for fmt in ["csv", "xlsx"] if options["format"] == "both" else [options["format"]]:
            timed = export_measure(qs, person_export_spec(viewer), fmt)
            result = {
                "rows": timed.rows,
                "seconds": round(timed.seconds, 2),
                "rows_per_s": round(timed.rows_per_s),
                "cpu_seconds": round(timed.cpu_seconds, 2),
                "rows_per_cpu_s": round(timed.rows / timed.cpu_seconds) if timed.cpu_seconds else None,
                "bytes": timed.bytes,
                "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
            if not options["no_trace"]:
                traced = export_measure(qs, person_export_spec(viewer), fmt, trace_memory=True)
                result["traced_peak_mb"] = round(traced.peak_mb, 1)
            results[fmt] = result
        self.stdout.write(json.dumps(results, indent=2))

    @transaction.atomic
    def _generate(self, n: int) -> None:
        federation = Federation.objects.first() or Federation.objects.create(name="河南省僑聯")
        department = Department.objects.filter(federation=federation).first() or Department.objects.create(
            federation=federation, name="文化經濟聯絡部", supervises_associations=True
        )
        associations = list(Association.objects.all()[:20])
        for i in range(len(associations), 20):
            associations.append(
                Association.objects.create(
                    federation=federation,
                    name=f"基準測試社團{i}",
                    kind=AssociationKind.HOMETOWN,
                    supervising_department=department,
                )
            )
        if not User.objects.filter(role=Role.ADMIN).exists():
            User.objects.create(username="bench-admin", role=Role.ADMIN)
        start = Person.objects.count()
        batch = 5000
        for offset in range(0, n, batch):
            people = Person.objects.bulk_create(
                [
                    Person(
                        name=SURNAMES[i % 20] + GIVEN[(i // 20) % len(GIVEN)] + GIVEN[(i // 500) % len(GIVEN)],
                        name_en=f"Person {start + i}",
                        phone=f"+86139{(start + i) % 10**8:08d}",
                        birth_date=datetime.date(1950, 1, 1) + datetime.timedelta(days=i % 20000),
                        id_number_masked=f"410***********{i % 10000:04d}",
                    )
                    for i in range(offset, min(n, offset + batch))
                ]
            )
            Membership.objects.bulk_create(
                [
                    Membership(association=associations[p.pk % 20], person=p, joined_on=datetime.date(2020, 1, 1))
                    for p in people
                ]
            )
        self.stderr.write(f"generated {n} people")
