"""Writes for grants and their operating expenses, and the check that a grant may pay for something."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pcn.funding.models import Expense, Grant, Purpose
from pcn.lib.money import MAX_AMOUNT_CENTS, format_cents
from pcn.programs.models import Organization, Program, Season

PURPOSE_WORDS = {
    Purpose.COUPONS: lambda: _("des coupons"),
    Purpose.PUBLIC_SALE_BONUS: lambda: _("la bonification du volet grand public"),
    Purpose.OPERATIONS: lambda: _("le fonctionnement"),
}


def grant_label(grant: Grant) -> str:
    """What older pages and exports read in a series' or a sale's `funding_source` text."""
    return str(grant)[:200]


def grant_check_pays_for(*, grant: Grant, season: Season, purpose: str, field: str = "grant") -> None:
    """Refuse (ValidationError on `field`) a grant of another program, one that may not pay for `purpose`, or
    one whose period does not touch the season."""
    if grant.program_id != season.program_id:
        raise ValidationError({field: _("Cette subvention n'est pas de ce programme : choisissez-en une dans la liste.")})
    if not grant.may_pay_for(purpose):
        raise ValidationError({field: _(
            "La subvention « %(grant)s » ne peut pas payer %(what)s. Choisissez une autre subvention, ou cochez "
            "cet usage sur la page de la subvention (Financement)."
        ) % {"grant": grant.name, "what": PURPOSE_WORDS[purpose]()}})
    if grant.ends_on < season.starts_on or grant.starts_on > season.ends_on:
        raise ValidationError({field: _(
            "La subvention « %(grant)s » couvre du %(start)s au %(end)s : elle ne touche pas la saison "
            "%(season)s. Choisissez une subvention de cette période."
        ) % {"grant": grant.name, "start": date_format(grant.starts_on), "end": date_format(grant.ends_on),
             "season": season.name}})


def grants_paying_for(season: Season, purpose: str) -> list[Grant]:
    """The program's grants that may pay for `purpose` and whose period touches the season (few rows: the
    purposes are checked here rather than with a JSON lookup, which SQLite lacks)."""
    grants = Grant.objects.filter(
        program_id=season.program_id, starts_on__lte=season.ends_on, ends_on__gte=season.starts_on
    ).select_related("funder")
    return [g for g in grants if g.may_pay_for(purpose)]


def _check(*, program: Program, funder, name: str, amount_cents: int, starts_on, ends_on, purposes, grant=None):
    errors = {}
    if funder is None or funder.program_id != program.pk or funder.kind != Organization.Kind.FUNDER:
        errors["funder"] = _("Choisissez un bailleur de fonds de ce programme. S'il n'est pas dans la liste, "
                             "ajoutez-le dans Partenaires, avec le type « Bailleur de fonds ».")
    if not (name or "").strip():
        errors["name"] = _("Donnez un nom à la subvention, par exemple « Fonds de développement 2026 ».")
    if not isinstance(amount_cents, int) or amount_cents <= 0:
        errors["amount_cents"] = _("Le montant doit être plus grand que zéro.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("La fin doit venir après le début.")
    purposes = list(dict.fromkeys(purposes or []))
    if not purposes or not set(purposes) <= set(Purpose.values):
        errors["purposes"] = _("Cochez au moins une chose que la subvention peut payer.")
    elif grant is not None:
        kept = set(purposes)
        in_use = [
            (Purpose.COUPONS, grant.series.exists()),
            (Purpose.PUBLIC_SALE_BONUS, grant.public_sales.exists()),
            (Purpose.OPERATIONS, grant.expenses.exists()),
        ]
        for purpose, used in in_use:
            if used and purpose not in kept:
                errors["purposes"] = _(
                    "Cette subvention paie déjà %(what)s : gardez cette case cochée."
                ) % {"what": PURPOSE_WORDS[purpose]()}
                break
    if errors:
        raise ValidationError(errors)
    return name.strip(), [p for p in Purpose.values if p in purposes]


@transaction.atomic
def grant_create(
    *, program: Program, funder: Organization, name: str, amount_cents: int, starts_on: datetime.date,
    ends_on: datetime.date, purposes: list[str], by,
) -> Grant:
    name, purposes = _check(program=program, funder=funder, name=name, amount_cents=amount_cents,
                            starts_on=starts_on, ends_on=ends_on, purposes=purposes)
    grant = Grant(program=program, funder=funder, name=name, amount_cents=amount_cents, starts_on=starts_on,
                  ends_on=ends_on, purposes=purposes, created_by=by)
    grant.full_clean()
    grant.save()
    return grant


@transaction.atomic
def grant_update(
    *, grant: Grant, funder: Organization, name: str, amount_cents: int, starts_on: datetime.date,
    ends_on: datetime.date, purposes: list[str], by,
) -> Grant:
    """Change a grant's terms. A use it already pays for (series, public sales, expenses) stays checked.
    Locking: the grant row."""
    grant = Grant.objects.select_for_update().select_related("program").get(pk=grant.pk)
    name, purposes = _check(program=grant.program, funder=funder, name=name, amount_cents=amount_cents,
                            starts_on=starts_on, ends_on=ends_on, purposes=purposes, grant=grant)
    grant.funder, grant.name, grant.amount_cents = funder, name, amount_cents
    grant.starts_on, grant.ends_on, grant.purposes = starts_on, ends_on, purposes
    grant.full_clean()
    grant.save()
    return grant


@transaction.atomic
def expense_record(
    *, grant: Grant, spent_on: datetime.date, description: str, amount_cents: int, by
) -> Expense:
    """Charge an operating expense (printing, coordination...) to a grant. Append-only: a correction is
    another expense with a negative amount, which may not bring the grant's expenses below zero.
    Locking: the grant row, so that two corrections at once cannot both pass the check."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    errors = {}
    if not grant.may_pay_for(Purpose.OPERATIONS):
        raise ValidationError(_("Cette subvention ne paie pas le fonctionnement : cochez « Fonctionnement » sur la "
                                "subvention d'abord, ou inscrivez la dépense sur une autre subvention."))
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Dites ce qui a été payé, par exemple « Impression des coupons ».")
    if not isinstance(amount_cents, int) or amount_cents == 0:
        errors["amount_cents"] = _("Le montant doit être plus grand que zéro.")
    elif abs(amount_cents) > MAX_AMOUNT_CENTS:
        errors["amount_cents"] = _("Ce montant est trop grand : écrivez au plus %(max)s.") % {
            "max": format_cents(MAX_AMOUNT_CENTS)}
    if spent_on is None:
        errors["spent_on"] = _("Donnez la date de la dépense.")
    if errors:
        raise ValidationError(errors)
    if amount_cents < 0:
        spent = grant.expenses.aggregate(t=Coalesce(Sum("amount_cents"), 0))["t"]
        if spent + amount_cents < 0:
            raise ValidationError({"amount_cents": _(
                "Une correction ne peut pas retirer plus que ce qui a été dépensé sur cette subvention (%(spent)s)."
            ) % {"spent": format_cents(spent)}})
    expense = Expense(grant=grant, spent_on=spent_on, description=description, amount_cents=amount_cents,
                      recorded_by=by)
    expense.full_clean()
    expense.save()
    return expense
