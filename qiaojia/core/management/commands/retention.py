"""`manage.py retention`: delete what is past its retention period (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from qiaojia.core.retention import retention_run


class Command(BaseCommand):
    help = (
        "Delete files nothing refers to, expired export files and import uploads, meeting sign-in details and "
        "audit rows past their retention periods (settings QIAOJIA_*_RETENTION_DAYS and *_KEEP_HOURS), and "
        "report the counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted; change nothing.")

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        outcome = retention_run(dry_run=dry_run)
        for rule, count in outcome:
            self.stdout.write(f"{rule.label}: {count} {'to delete' if dry_run else 'deleted'}")
        total = sum(count for _rule, count in outcome)
        self.stdout.write(
            f"Dry run: {total} would be deleted, nothing was changed." if dry_run else f"{total} deleted."
        )
