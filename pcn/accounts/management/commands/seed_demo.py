from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pcn.accounts.demo import CIRCULATION_SEASON, DEMO_PASSWORD, NETWORK_NAME, Login, coupons_to_try, demo_seed
from pcn.coupons.codes import display
from pcn.coupons.models import Coupon
from pcn.lib.money import format_cents
from pcn.programs.models import Program

SITE = "http://127.0.0.1:8000"
LOGIN_URL = f"{SITE}/login/"
STALL_URL = f"{SITE}/stall/"


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
        coupons = coupons_to_try()
        if coupons:
            self.stdout.write("")
            self.stdout.write(format_coupons(coupons))


def format_coupons(coupons: list[Coupon]) -> str:
    """Codes a newcomer can type at the stall, and where to type them."""
    program, season = CIRCULATION_SEASON
    lines = [f"Coupons valides à essayer ({program}, {season}) :", ""]
    for coupon in coupons:
        held = "chez un ménage" if coupon.household_id else "vendu au grand public"
        lines.append(f"  {display(coupon.code)}  {format_cents(coupon.value_cents)}, {held}")
    lines += [
        "",
        f"Tapez-en un sur {STALL_URL} (compte marchand-quebec)",
        "ou dans la saisie du gestionnaire de marché (compte gestionnaire-quebec).",
    ]
    return "\n".join(lines)


def format_logins(logins: list[Login]) -> str:
    """A plain-text table that fits an 80-column terminal."""
    header = ("Rôle", "Utilisateur", "Mot de passe")
    rows = [(login.role, login.username, login.password) for login in logins]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = [header, tuple("-" * w for w in widths), *rows]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in lines)
