"""Writes for people and their roles."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pcn.accounts.models import NETWORK_ROLES, Membership, Role
from pcn.programs.models import Organization

# Roles a program's coordination may give inside its program (network roles are given by the network).
PROGRAM_ROLES = [r for r in Role if r not in NETWORK_ROLES]


def is_network_admin_of(user, network) -> bool:
    return Membership.objects.filter(user=user, role=Role.NETWORK_ADMIN, network=network).exists()

_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password() -> str:
    """Easy to read aloud or copy by hand: four groups of four, no ambiguous characters."""
    return "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))


@transaction.atomic
def membership_grant(
    *, program, username: str, role: str, by, first_name: str = "", last_name: str = "", email: str = "",
    organization=None, market=None, vendor=None,
) -> tuple[Membership, str | None]:
    """Give `role` in `program` to the user `username`, creating the account if it does not exist.

    An existing account is given the role only if it already holds a role in this program, or if `by`
    is a network admin: a program's coordination cannot pull in people from other programs.
    Returns the membership and, for a new account, its temporary password (shown once, never stored
    in clear)."""
    if role not in PROGRAM_ROLES:
        raise ValidationError({"role": _("Ce rôle ne se donne pas dans un programme.")})
    scope = {"organization": None, "market": None, "vendor": None}
    if role == Role.PARTNER_WORKER:
        if organization is None or organization.kind not in Organization.PARTNER_KINDS:
            raise ValidationError(
                {"organization": _("Choisissez l'organisme partenaire (ou le conseil de bande) où travaille cette personne.")}
            )
        scope["organization"] = organization
    elif role == Role.FUNDER_VIEWER:
        if organization is not None and organization.kind != Organization.Kind.FUNDER:
            raise ValidationError({"organization": _("Choisissez un bailleur de fonds, ou laissez vide.")})
        scope["organization"] = organization
    elif role == Role.MARKET_MANAGER:
        if market is None:
            raise ValidationError({"market": _("Choisissez le marché que gère cette personne.")})
        scope["market"] = market
    elif role == Role.VENDOR:
        if vendor is None:
            raise ValidationError({"vendor": _("Choisissez l'entreprise de ce marchand.")})
        scope["vendor"] = vendor
    for party in scope.values():
        if party is not None and party.program.pk != program.pk:
            raise ValidationError(_("Choisissez un organisme, un marché ou un marchand de ce programme."))

    User = get_user_model()
    user = User.objects.filter(username__iexact=username.strip()).first()
    password = None
    if user is not None and not (
        user.memberships.filter(program=program).exists() or is_network_admin_of(by, program.network)
    ):
        raise ValidationError(
            {
                "username": _(
                    "Ce nom d'utilisateur est déjà pris. Choisissez-en un autre. Si cette personne a déjà un compte "
                    "dans un autre programme, demandez à l'administration du réseau de lui donner ce rôle."
                )
            }
        )
    if user is None:
        password = temporary_password()
        user = User(username=username.strip(), first_name=first_name, last_name=last_name, email=email)
        user.full_clean(exclude=["password"])
        user.set_password(password)
        user.save()
    if Membership.objects.filter(user=user, role=role, program=program, **scope).exists():
        raise ValidationError(_("Cette personne a déjà ce rôle dans le programme."))
    membership = Membership(user=user, role=role, program=program, **scope)
    membership.full_clean()
    membership.save()
    return membership, password


@transaction.atomic
def membership_revoke(*, membership: Membership, by) -> None:
    if membership.user_id == by.pk and membership.role == Role.COORDINATOR:
        raise ValidationError(_("Vous ne pouvez pas retirer votre propre rôle de coordination."))
    membership.delete()
