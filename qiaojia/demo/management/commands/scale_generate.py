"""`manage.py scale_generate`: associations, people and memberships in bulk, for benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from qiaojia.demo.scale import CHUNK, generate


class Command(BaseCommand):
    help = (
        "Generate N associations and M people with their memberships (realistic Chinese names in both scripts), "
        "deterministic from --seed, written in bulk. Adds to what the database holds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--associations", type=int, required=True, help="Associations to add.")
        parser.add_argument("--people", type=int, required=True, help="People to add.")
        parser.add_argument("--seed", type=int, default=2025, help="Random seed (default 2025).")
        parser.add_argument(
            "--memberships-per-person",
            type=float,
            default=1.2,
            help="Average memberships per person, at least 1 (default 1.2).",
        )
        parser.add_argument(
            "--id-share",
            type=float,
            default=0.05,
            help="Share of mainland people holding an encrypted ID number (default 0.05).",
        )
        parser.add_argument("--chunk", type=int, default=CHUNK, help=f"Rows per transaction (default {CHUNK}).")
        parser.add_argument("--no-reindex", action="store_true", help="Skip the search app's bulk reindex.")

    def handle(self, *args, **options):
        if options["associations"] < 1 or options["people"] < 0:
            raise CommandError("--associations must be at least 1 and --people cannot be negative.")
        if options["memberships_per_person"] < 1:
            raise CommandError("--memberships-per-person must be at least 1.")
        result = generate(
            associations=options["associations"],
            people=options["people"],
            seed=options["seed"],
            memberships_per_person=options["memberships_per_person"],
            id_share=options["id_share"],
            chunk=options["chunk"],
            reindex=not options["no_reindex"],
            progress=lambda message: self.stdout.write(message),
        )
        timings = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated (seed {result.seed}) in {result.seconds:.1f} s: {result.associations} associations, "
                f"{result.people} people ({result.distinct_names} distinct names, {result.id_numbers} ID numbers), "
                f"{result.memberships} memberships. {timings}. Search index: {result.reindex or 'skipped'}."
            )
        )
