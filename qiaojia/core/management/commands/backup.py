"""`manage.py backup`: one archive with a consistent snapshot of the database and the media files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qiaojia.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the database (SQLite online backup or pg_dump -Fc) and every media "
        "file, with a manifest of checksums and row counts, to one archive readable only by its owner "
        "(0600). --encrypt encrypts it with QIAOJIA_BACKUP_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="A folder (a dated name is made in it) or a file; default QIAOJIA_BACKUP_DIR.",
        )
        parser.add_argument("--encrypt", action="store_true", help="Encrypt with QIAOJIA_BACKUP_KEY (AES-256-GCM).")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, **options):
        try:
            result = backup_create(output=options["output"], encrypt=options["encrypt"], using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{result.path}: {result.tables} tables, {result.rows} rows, {result.files} files"
            + (", encrypted" if result.encrypted else "")
            + "."
        )
