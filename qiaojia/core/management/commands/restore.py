"""`manage.py restore ARCHIVE`: restore a backup into an empty database and media folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qiaojia.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty database and media folder: every "
        "checksum is verified before anything is written, and the restored tables are compared with the "
        "manifest. An encrypted archive is read with QIAOJIA_BACKUP_KEY. Run `migrate` afterwards when the "
        "code is newer than the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database", default="default", help="The database alias (default: default).")
        parser.add_argument(
            "--media-root", type=Path, default=None, help="Restore the files here (default MEDIA_ROOT)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Restore over a database and media folder that are not empty."
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Check the archive (decryption, every checksum) and restore nothing.",
        )

    def handle(self, *args, **options):
        if not options["archive"].is_file():
            raise CommandError(f"{options['archive']} is not a file.")
        try:
            result = backup_restore(
                options["archive"],
                using=options["database"],
                media_root=options["media_root"],
                force=options["force"],
                verify_only=options["verify_only"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        what = f"{result.tables} tables, {result.rows} rows, {result.files} files (backup of {result.created_at})"
        self.stdout.write(
            f"The backup is sound: {what}." if options["verify_only"] else f"Restored {what}; every checksum matches."
        )
