"""`manage.py demo_load`: the seed's world — the federation, its associations, people, enterprises, accounts."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from qiaojia.demo.loader import load
from qiaojia.orgs.models import Federation


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today: {value!r} is not a date as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = "Load the demo world (deterministic from --seed) into an empty database, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when a federation already exists (for `make run`)."
        )
        parser.add_argument("--people", type=int, default=2000, help="Invented people (default 2000).")
        parser.add_argument("--enterprises", type=int, default=300, help="Invented enterprises (default 300).")
        parser.add_argument("--seed", type=int, default=2025, help="Random seed (default 2025).")
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="The date the demo lives in, YYYY-MM-DD (default: today): the current year's work cycle "
            "(priorities, reports, plans) is laid out relative to it.",
        )

    def handle(self, *args, **options):
        if options["people"] < 0 or options["enterprises"] < 0:
            raise CommandError("--people and --enterprises cannot be negative.")
        if Federation.objects.exists():
            if options["if_empty"]:
                self.stdout.write(
                    "Demo data not loaded: the database already holds a federation. "
                    "/ 數據庫中已有僑聯資料，未載入演示數據。"
                )
                return
            raise CommandError(
                "The database already holds a federation; load the demo into an empty database "
                "(or pass --if-empty to skip)."
            )
        today = options["today"]
        if isinstance(today, str):  # call_command passes the option as given, without the parser's type
            today = _date(today)
        result = load(people=options["people"], enterprises=options["enterprises"], seed=options["seed"], today=today)
        counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo loaded (seed {result.seed}) in {result.seconds:.1f} s: {counts}."))
        if result.terms_ending_soon:
            self.stdout.write("Terms ending within the warning period (換屆): " + "、".join(result.terms_ending_soon))
