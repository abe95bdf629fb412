from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pcn.coupons import closeout
from pcn.coupons.models import CustodyEvent
from pcn.lib.money import format_cents
from pcn.programs.models import Season


class Command(BaseCommand):
    help = ("Closes a season after its last redemption deadline (the same service as the close-out page): "
            "expires the coupons still held by households or the public, checks the ledger, locks the season, "
            "and prints where every coupon ended up. --dry-run prints the report and what closing would do.")

    def add_arguments(self, parser):
        parser.add_argument("season", type=int, help="season id")
        parser.add_argument("--user", required=True, help="username of the person closing (a coordinator)")
        parser.add_argument("--dry-run", action="store_true", help="change nothing; print the report and the blockers")

    def handle(self, *args, **o):
        season = Season.objects.select_related("program").filter(pk=o["season"]).first()
        if season is None:
            raise CommandError(f"no season {o['season']}")
        user = get_user_model().objects.filter(username=o["user"]).first()
        if user is None:
            raise CommandError(f"no user {o['user']}")
        if o["dry_run"]:
            report = closeout.season_disposition(season)
            self.print_report(report)
            blockers = closeout.season_close_blockers(season)
            if blockers:
                self.stdout.write("Cannot close yet:")
                for blocker in blockers:
                    self.stdout.write(f"  - {blocker}")
            else:
                out = report.outstanding
                self.stdout.write(f"Dry run: closing would expire {out.count} coupons ({money(out.value_cents)}). "
                                  "Nothing was changed.")
            return
        try:
            closeout.season_close(season=season, by=user, source=CustodyEvent.Source.COMMAND)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.print_report(closeout.season_disposition(season))
        self.stdout.write(f"Season {season.pk} ({season.name}) is closed.")

    def print_report(self, report: closeout.Disposition) -> None:
        season = report.season
        self.stdout.write(f"{season.program.name} · {season.name} (last redemption day {report.deadline})")
        width = max(len(line.label) for line in report.states)
        for line in report.states:
            self.stdout.write(f"  {line.label:<{width}}  {line.count:>9}  {money(line.value_cents):>16}  "
                              f"{line.percent:>5} %")
        self.stdout.write(f"  {'Total':<{width}}  {report.total.count:>9}  {money(report.total.value_cents):>16}")
        self.stdout.write(f"  {'Issued':<{width}}  {report.issued.count:>9}  {money(report.issued.value_cents):>16}")
        self.stdout.write("  total = issued: OK" if report.balanced else "  total = issued: MISMATCH")
        for problem in report.problems:
            self.stdout.write(f"  problem: {problem}")
        if report.unmatched:
            self.stdout.write(f"  unmatched codes: {len(report.unmatched)} ({report.unmatched_attempts} attempts)")


def money(cents: int) -> str:
    return format_cents(cents, "en")
