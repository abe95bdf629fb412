from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pcn.accounts.demo import DEMO_PASSWORD, NETWORK_NAME, Login, demo_seed
from pcn.programs.models import Program

LOGIN_URL = "http://127.0.0.1:8000/login/"


class Command(BaseCommand):
    help = (
        "Crée (ou remet à jour) les données de démonstration : trois programmes fictifs et un compte par rôle, "
        f"tous avec le mot de passe « {DEMO_PASSWORD} ». Peut être relancée sans créer de doublons."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Lancer même si DEBUG est désactivé (seulement sur une base de démonstration).",
        )

    def handle(self, *args, force: bool = False, **options):
        # The demo password is public: it must never reach a production database by accident.
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusé : DEBUG est désactivé, cette base ressemble donc à une installation de production.\n"
                f"seed_demo crée des comptes dont le mot de passe est public (« {DEMO_PASSWORD} »).\n"
                "Sur un poste de développement, relancez avec DEBUG=1. Si cette base sert vraiment à une "
                "démonstration, relancez avec --force."
            )
        logins = demo_seed()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write("")
        self.stdout.write(f"Connectez-vous à {LOGIN_URL} avec l'un de ces comptes :")
        self.stdout.write("")
        self.stdout.write(format_logins(logins))
        self.stdout.write("")
        programs = Program.objects.filter(network__name=NETWORK_NAME).values_list("name", flat=True)
        self.stdout.write("Programmes : " + ", ".join(programs) + ".")


def format_logins(logins: list[Login]) -> str:
    """A plain-text table that fits an 80-column terminal."""
    header = ("Rôle", "Utilisateur", "Mot de passe")
    rows = [(login.role, login.username, login.password) for login in logins]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = [header, tuple("-" * w for w in widths), *rows]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in lines)
