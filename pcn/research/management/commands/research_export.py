import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pcn.accounts.access import program_roles
from pcn.accounts.models import Role
from pcn.programs.models import Season
from pcn.research.export import season_export
from pcn.research.selectors import sharing_in_force
from pcn.research.services import research_download_record


class Command(BaseCommand):
    help = ("Writes a season's research export (the ZIP researchers download) to a file, for a researcher of a "
            "program whose sharing with research is in force, with the program's threshold; records the download "
            "as the page does, and prints how long it took.")

    def add_arguments(self, parser):
        parser.add_argument("season", type=int, help="season id")
        parser.add_argument("--user", required=True, help="username of the researcher receiving the export")
        parser.add_argument("--output", help="file or folder to write (default: the export's name, here)")

    def handle(self, *args, **o):
        season = Season.objects.select_related("program").filter(pk=o["season"]).first()
        if season is None:
            raise CommandError(f"no season {o['season']}")
        user = get_user_model().objects.filter(username=o["user"]).first()
        if user is None:
            raise CommandError(f"no user {o['user']}")
        if Role.RESEARCHER not in program_roles(user, season.program):
            raise CommandError(f"{user.username} does not hold the researcher role in {season.program}")
        sharing = sharing_in_force(season.program)
        if sharing is None or not sharing.shared:
            raise CommandError(f"{season.program} does not share its data with research: nothing was written")
        started = time.perf_counter()
        name, content = season_export(season, threshold=sharing.threshold)
        target = Path(o["output"] or name)
        if target.is_dir():
            target = target / name
        target.write_bytes(content)
        research_download_record(season=season, sharing=sharing, by=user)
        self.stdout.write(f"{target} ({len(content):,} bytes) in {time.perf_counter() - started:.1f} s")
