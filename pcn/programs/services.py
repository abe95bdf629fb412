"""Writes for programs, seasons and organizations. Views, commands and imports all call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pcn.lib.money import MAX_AMOUNT_CENTS
from pcn.programs.models import CouponClass, Denomination, EntitlementRow, Organization, Program, Season


@transaction.atomic
def program_save(*, program: Program) -> Program:
    """Create or update a program after checking every rule on it."""
    if program.fiduciary_id and (
        program.pk is None
        or program.fiduciary.program_id != program.pk
        or program.fiduciary.kind != Organization.Kind.FIDUCIARY
    ):
        raise ValidationError(
            {"fiduciary": _("Le fiduciaire doit être une organisation de ce programme, du type « Fiduciaire ».")}
        )
    program.full_clean()
    program.save()
    return program


@transaction.atomic
def season_save(*, season: Season) -> Season:
    """Create or update a season.

    Locking: the program row is locked for the transaction, so two seasons saved at once cannot both
    pass the no-overlap check.
    """
    Program.objects.select_for_update().get(pk=season.program_id)
    season.full_clean()
    season.save()
    # Sizes above a lowered cap no longer exist; a raised cap leaves new sizes to fill (the home page's
    # checklist and the season page say so), never a silent amount.
    season.entitlement_rows.filter(household_size__gt=season.household_size_cap).delete()
    return season


@transaction.atomic
def season_set_entitlements(*, season: Season, amounts_cents: dict[int, int]) -> Season:
    """Replace the season's entitlement table: one amount (cents, > 0) per household size 1..cap.

    Locking: the season row is locked first, so the cap checked is the one in force."""
    season = Season.objects.select_for_update().get(pk=season.pk)
    expected = set(range(1, season.household_size_cap + 1))
    if set(amounts_cents) != expected:
        raise ValidationError(
            _("Donnez un montant pour chaque taille de ménage, de 1 à %(cap)s personnes.")
            % {"cap": season.household_size_cap}
        )
    for size, cents in amounts_cents.items():
        if not isinstance(cents, int) or not 0 < cents <= MAX_AMOUNT_CENTS:
            raise ValidationError(
                _("Le montant pour un ménage de %(size)s personnes doit être plus grand que zéro, et raisonnable.")
                % {"size": size}
            )
    season.entitlement_rows.all().delete()
    EntitlementRow.objects.bulk_create(
        EntitlementRow(season=season, household_size=size, amount_cents=cents)
        for size, cents in sorted(amounts_cents.items())
    )
    return season


@transaction.atomic
def season_set_denominations(*, season: Season, values_cents: list[int]) -> Season:
    """Replace the face values (cents) this season's coupons are printed in."""
    if not values_cents:
        raise ValidationError(_("Donnez au moins une valeur de coupon."))
    if any(not isinstance(c, int) or not 0 < c <= MAX_AMOUNT_CENTS for c in values_cents):
        raise ValidationError(_("Chaque valeur de coupon doit être plus grande que zéro."))
    if len(set(values_cents)) != len(values_cents):
        raise ValidationError(_("Chaque valeur de coupon ne peut paraître qu'une fois."))
    Season.objects.select_for_update().get(pk=season.pk)
    season.denominations.all().delete()
    Denomination.objects.bulk_create(Denomination(season=season, value_cents=c) for c in sorted(values_cents))
    return season


@transaction.atomic
def coupon_class_save(*, coupon_class: CouponClass) -> CouponClass:
    coupon_class.full_clean()
    coupon_class.save()
    return coupon_class


@transaction.atomic
def organization_save(*, organization: Organization) -> Organization:
    organization.full_clean()
    organization.save()
    return organization
