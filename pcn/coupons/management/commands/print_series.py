from django.core.management.base import BaseCommand, CommandError

from pcn.coupons.models import Series
from pcn.coupons.printjobs import series_print


class Command(BaseCommand):
    help = "Writes a series' coupons as a PDF ready to print on letter paper (the same printer as the page)."

    def add_arguments(self, parser):
        parser.add_argument("series", type=int, help="series id")
        parser.add_argument("--out", required=True, help="PDF file to write")
        parser.add_argument("--language", default="fr", choices=["fr", "en"])

    def handle(self, *args, **options):
        series = Series.objects.select_related("season__program", "coupon_class").filter(pk=options["series"]).first()
        if series is None:
            raise CommandError(f"no series {options['series']}")

        def progress(done: int) -> None:
            self.stderr.write(f"\r{done} / {series.count}", ending="")

        if series.status == Series.Status.VOID:
            raise CommandError(f"series {series.pk} is void: it is not printed any more")
        with open(options["out"], "wb") as out:
            count = series_print(series, out, language=options["language"], on_progress=progress)
        self.stderr.write("")
        self.stdout.write(f"{count} coupons written to {options['out']}")
