from django.core.management.base import BaseCommand

from qiaojia.cycle.documents import prepare_parts
from qiaojia.cycle.selectors import accepted_reports


class Command(BaseCommand):
    help = (
        "Lay out and keep the compilation pages of the accepted reports that have none for the present "
        "template, translations and WeasyPrint: after a deploy that changed one of them, or for reports "
        "accepted from the command line (a request's acceptance does it in the background)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Only the reports on this year (default: all).")

    def handle(self, *args, **options):
        pks = list(accepted_reports(options["year"]).values_list("pk", flat=True))
        laid_out = prepare_parts(pks)
        self.stdout.write(f"{len(pks)} accepted report(s): {laid_out} part(s) laid out, the others were kept")
