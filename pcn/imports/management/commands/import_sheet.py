from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pcn.imports.kinds import KINDS, Target
from pcn.imports.reading import ImportFileError, read_bytes
from pcn.imports.services import import_rows
from pcn.programs.models import Organization, Program, Season


class Command(BaseCommand):
    help = ("Checks a CSV or XLSX file of markets, vendors, partners or households and, with --commit and no "
            "error, imports every row in one transaction (the same checks and services as the import pages).")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--program", type=int, help="program id (markets, vendors, partners)")
        parser.add_argument("--season", type=int, help="season id (households; partners' quotas)")
        parser.add_argument("--by", required=True, help="username of the person importing")
        parser.add_argument("--commit", action="store_true", help="import; without it, only check")

    def handle(self, *args, **o):
        kind = KINDS[o["kind"]]
        user = get_user_model().objects.filter(username=o["by"]).first()
        if user is None:
            raise CommandError(f"no user {o['by']}")
        season = Season.objects.select_related("program").filter(pk=o["season"]).first() if o["season"] else None
        if o["season"] and season is None:
            raise CommandError(f"no season {o['season']}")
        if kind.season_scoped and season is None:
            raise CommandError("households need --season")
        program = season.program if season else Program.objects.filter(pk=o["program"]).first()
        if program is None:
            raise CommandError("give --program (or --season)")
        if o["program"] and program.pk != o["program"]:
            raise CommandError("the season is not in that program")
        partners = list(Organization.objects.filter(program=program, kind__in=Organization.PARTNER_KINDS))
        try:
            sheet = read_bytes(Path(o["file"]).read_bytes(), o["file"])
        except (OSError, ImportFileError) as error:
            raise CommandError(str(error)) from None
        report = import_rows(kind=kind, target=Target(program=program, season=season, partners=partners), sheet=sheet,
                             by=user, commit=o["commit"])
        for problem in report.problems:
            where = f"line {problem.line}" + (f", {problem.column}" if problem.column else "")
            self.stderr.write(f"{where}: {problem.message} {problem.fix}")
        if report.problems:
            raise CommandError(f"{len(report.problems)} problem(s); nothing imported.")
        verb = "imported" if report.committed else "valid (check only; add --commit to import)"
        self.stdout.write(f"{len(report.rows)} row(s) {verb}.")
