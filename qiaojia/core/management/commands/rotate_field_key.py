"""`manage.py rotate_field_key`: re-encrypt every encrypted field under the current key."""

from django.core.management.base import BaseCommand, CommandError

from qiaojia.core.keyrotation import field_key_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt the values written under an old field key (QIAOJIA_FIELD_OLD_KEYS) with the current one "
        "(QIAOJIA_FIELD_KEY), in batches; run it after moving the old key into QIAOJIA_FIELD_OLD_KEYS, then drop "
        "the old key. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; change nothing.")
        parser.add_argument(
            "--rehash",
            action="store_true",
            help="Also recompute the lookup hashes under the current QIAOJIA_HASH_KEY (after changing "
            "it; searches by ID number miss the rows not yet rehashed until this finishes).",
        )
        parser.add_argument("--batch", type=int, default=1000, help="Rows per transaction (default 1000).")

    def handle(self, *args, **options):
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        result = field_key_rotate(dry_run=options["dry_run"], rehash=options["rehash"], batch=options["batch"])
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{result.checked} encrypted value(s) checked: {result.reencrypted} {verb} re-encrypted"
            + (f", {result.rehashed} hash(es) {verb} recomputed" if options["rehash"] else "")
            + "."
        )
        if result.unreadable:
            raise CommandError(
                f"{len(result.unreadable)} value(s) could not be read with the current or old keys "
                f"and were left alone: {', '.join(result.unreadable[:20])}"
            )
