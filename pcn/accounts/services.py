"""Writes for people and their roles."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pcn.accounts.models import NETWORK_ROLES, Membership, Role

# Roles a program's coordination may give inside its program (network roles are given by the network).
PROGRAM_ROLES = [r for r in Role if r not in NETWORK_ROLES]

_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password() -> str:
    """Easy to read aloud or copy by hand: four groups of four, no ambiguous characters."""
    return "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))


@transaction.atomic
def membership_grant(
    *, program, username: str, role: str, first_name: str = "", last_name: str = "", email: str = "",
    organization=None, market=None, vendor=None,
) -> tuple[Membership, str | None]:
    """Give `role` in `program` to the user `username`, creating the account if it does not exist.

    Returns the membership and, for a new account, its temporary password (shown once, never stored
    in clear)."""
    if role not in PROGRAM_ROLES:
        raise ValidationError({"role": _("Ce rôle ne se donne pas dans un programme.")})
    scope = {"organization": None, "market": None, "vendor": None}
    if role == Role.PARTNER_WORKER:
        if organization is None:
            raise ValidationError({"organization": _("Choisissez l'organisme où travaille cette personne.")})
        scope["organization"] = organization
    elif role == Role.FUNDER_VIEWER:
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
