import time

from django.core.management.base import BaseCommand, CommandError

from pcn.reports.simulation import DEFAULTS, simulate


class Command(BaseCommand):
    help = (
        "Generates a province-sized simulated dataset through the application's services (ten programs of one "
        "network: at --scale 1, about 150 markets, 3,000 vendors, 20,000 households, 3,000,000 coupons and "
        "2,400,000 redemptions, two programs with a past season, closed) and prints its speed, step by step. "
        "Refuses a database that already holds programs unless --force, which adds the simulated network beside "
        "them: it never deletes anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0,
                            help="share of the province's sizes (1: the province; 0.001 for a quick try)")
        parser.add_argument("--seed", type=int, default=7, help="seed of the random choices (codes stay random)")
        parser.add_argument("--force", action="store_true",
                            help="add the simulation beside the programs already in the database (nothing is deleted)")
        parser.add_argument("--password", default="",
                            help="password of the simulated network analyst, coordinators and treasurers "
                                 "(default: none, they cannot log in)")
        parser.add_argument("--verify", action="store_true",
                            help="then re-check every season's ledger (season_verify), as pcn verify_ledger does")

    def handle(self, *args, scale, seed, force, password, verify, **options):
        from pcn.programs.models import Network, Program

        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        existing = Program.objects.count()
        if existing and not force:
            raise CommandError(
                f"This database already holds {existing} program(s). The simulation adds a network of ten programs "
                "and about a hundred thousand rows per 0.05 of scale; run it on an empty database, or pass --force "
                "to add it beside what is there (nothing is deleted).")
        name, prefix, n = "Réseau des marchés publics du Québec (simulation)", "sim-", 1
        while Network.objects.filter(name=name).exists():
            n += 1
            name, prefix = f"Réseau des marchés publics du Québec (simulation {n})", f"sim{n}-"
        sizes = ", ".join(f"{round(v * scale):,} {k}" for k, v in DEFAULTS.items())
        self.stdout.write(f"Simulating {name} at scale {scale} (about {sizes}), seed {seed}")
        result = simulate(scale=scale, seed=seed, prefix=prefix, network_name=name, password=password or None,
                          out=self.stdout)
        meter = result["meter"]
        self.stdout.write("")
        for line in meter.lines():
            self.stdout.write(line)
        self.stdout.write(f"whole simulation {meter.seconds:.0f} s")
        self.stdout.write("")
        for label, value in result["figures"].items():
            self.stdout.write(f"{label:32}{value:>16,}")
        if result["refreshed"] is False:
            self.stdout.write("Report facts not computed: pcn.reports.snapshot.season_refresh is not there yet.")
        elif result["refreshed"] is not True:
            self.stderr.write(f"Report facts not computed: {result['refreshed']}")
        logins = [result["analyst"].username] + [f"{prefix}coordo-…", f"{prefix}tresorier-…-1"]
        self.stdout.write(f"Logins: {', '.join(logins)}"
                          + (" (with the --password given)" if password else " (no password: pass --password)"))
        if verify:
            from pcn.coupons.ledger import season_verify

            started, failures = time.perf_counter(), 0
            for season in result["seasons"]:
                problems = season_verify(season)
                if problems:
                    failures += 1
                    self.stderr.write(f"{season}: {problems[0].message}")
            self.stdout.write(f"ledger verified for {len(result['seasons'])} seasons in "
                              f"{time.perf_counter() - started:.0f} s: {'OK' if not failures else 'FAILED'}")
            if failures:
                raise CommandError(f"{failures} season(s) failed the ledger check")
