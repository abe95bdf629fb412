from django.core.management.base import BaseCommand, CommandError

from pcn.coupons.ledger import season_verify
from pcn.programs.models import Season


class Command(BaseCommand):
    help = (
        "Re-computes every season's hash chain and checks that the value issued equals the value in each "
        "holding state, to the cent. Exits with status 1 and names the first broken row or unbalanced season."
    )

    def handle(self, *args, **options):
        failures = 0
        seasons = Season.objects.select_related("program").order_by("program__name", "starts_on")
        for season in seasons:
            problems = season_verify(season)
            if problems:
                failures += 1
                for problem in problems:
                    where = f" (custody event id {problem.event_id})" if problem.event_id else ""
                    self.stderr.write(f"{season.program.name} · {season.name}: {problem.message}{where}")
            else:
                self.stdout.write(f"{season.program.name} · {season.name}: OK")
        if failures:
            raise CommandError(f"{failures} season(s) failed the ledger check")
        self.stdout.write(self.style.SUCCESS(f"Ledger verified: {seasons.count()} season(s), every chain intact and balanced."))
