from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from pcn.markets.models import Market, Vendor
from pcn.programs.models import Network, Organization, Program


class Role(models.TextChoices):
    NETWORK_ADMIN = "network_admin", _("Administration du réseau")
    NETWORK_ANALYST = "network_analyst", _("Analyse pour le réseau")
    COORDINATOR = "coordinator", _("Coordination")
    TREASURER = "treasurer", _("Trésorerie")
    PARTNER_WORKER = "partner_worker", _("Intervention (organisme partenaire)")
    MARKET_MANAGER = "market_manager", _("Gestion de marché")
    VENDOR = "vendor", _("Marchand")
    RESEARCHER = "researcher", _("Recherche")
    FUNDER_VIEWER = "funder_viewer", _("Bailleur de fonds (lecture)")


NETWORK_ROLES = (Role.NETWORK_ADMIN, Role.NETWORK_ANALYST)


class Membership(models.Model):
    """Gives a user one role, either in the network or in one program (and, for some roles, one party of it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisme"), on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    market = models.ForeignKey(
        Market, verbose_name=_("marché"), on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("marchand"), on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("rôle d'un utilisateur")
        verbose_name_plural = _("rôles des utilisateurs")
        constraints = [
            # NULL never equals NULL in a unique index, hence the Coalesce: one row per role and scope.
            models.UniqueConstraint(
                "user",
                "role",
                Coalesce("network", Value(0)),
                Coalesce("program", Value(0)),
                Coalesce("organization", Value(0)),
                Coalesce("market", Value(0)),
                Coalesce("vendor", Value(0)),
                name="membership_unique_role_and_scope",
                violation_error_message=_("Cette personne a déjà ce rôle dans le programme."),
            ),
            models.CheckConstraint(
                condition=(Q(role__in=NETWORK_ROLES, network__isnull=False, program__isnull=True))
                | (~Q(role__in=NETWORK_ROLES) & Q(network__isnull=True, program__isnull=False)),
                name="membership_network_roles_in_network_others_in_program",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.PARTNER_WORKER, organization__isnull=False)
                | Q(role=Role.FUNDER_VIEWER)
                | (~Q(role__in=[Role.PARTNER_WORKER, Role.FUNDER_VIEWER]) & Q(organization__isnull=True)),
                name="membership_partner_worker_has_partner",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.MARKET_MANAGER, market__isnull=False)
                | (~Q(role=Role.MARKET_MANAGER) & Q(market__isnull=True)),
                name="membership_market_manager_has_market",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.VENDOR, vendor__isnull=False) | (~Q(role=Role.VENDOR) & Q(vendor__isnull=True)),
                name="membership_vendor_has_vendor",
            ),
        ]

    def __str__(self) -> str:
        scope = self.program or self.network
        return f"{self.user} · {self.get_role_display()} · {scope}"

    @property
    def scope_object(self):
        """The party the role is tied to (partner, market or vendor), if any."""
        return self.organization or self.market or self.vendor
