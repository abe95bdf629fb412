"""Writes for series and coupon custody. The page, the commands (and later the API) call these."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Sum
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pcn.coupons import codes
from pcn.coupons.ledger import event_append, season_open_check, series_digest
from pcn.coupons.models import Coupon, CouponStatus, CustodyEvent, Series
from pcn.funding.models import Purpose
from pcn.funding.services import grant_check_pays_for, grant_label
from pcn.lib.money import format_cents
from pcn.programs.models import Organization, Season

MAX_SERIES_COUNT = 2_000_000
Kind = CustodyEvent.Kind

# Where each kind of move takes coupons from, and to.
MOVES = {
    Kind.ALLOCATE: (CouponStatus.STOCK, CouponStatus.PARTNER),
    Kind.DISTRIBUTE: (CouponStatus.PARTNER, CouponStatus.HOUSEHOLD),
    Kind.TRANSFER: (CouponStatus.PARTNER, CouponStatus.PARTNER),
    Kind.RETURN: (CouponStatus.PARTNER, CouponStatus.STOCK),
    Kind.VOID: (None, CouponStatus.VOID),  # from the stock or from a partner, as the caller says
    Kind.SELL: (None, CouponStatus.SOLD),  # from the stock (a kiosk) or from a partner that sells
}


def _lock(season: Season) -> Season:
    return Season.objects.select_for_update().get(pk=season.pk)


@transaction.atomic
def series_issue(
    *,
    season: Season,
    denomination_cents: int,
    coupon_class,
    colour: str,
    valid_from,
    valid_until,
    funding_source: str = "",
    grant=None,
    count: int,
    booklet_size: int | None = None,
    by,
    source: str = CustodyEvent.Source.WEB,
) -> Series:
    """Create a series and its coupons, all in central stock, and record the issue in the ledger.

    `grant` (optional) is the grant that pays for the coupons: one of the program's, allowed to pay for
    coupons, whose period touches the season; its label then fills `funding_source`. Without a grant,
    `funding_source` says in words who pays.

    Locking: the season row is locked, so series numbers and the ledger stay in order. Coupons are
    written with PostgreSQL's COPY (or one executemany on SQLite): a million take seconds."""
    season = _lock(season)
    season_open_check(season)
    errors = {}
    if not season.denominations.filter(value_cents=denomination_cents).exists():
        allowed = ", ".join(format_cents(d.value_cents) for d in season.denominations.all())
        errors["denomination_cents"] = _(
            "Cette valeur n'est pas prévue pour la saison (valeurs prévues : %(allowed)s). Choisissez-en une, "
            "ou ajoutez-la dans la configuration de la saison."
        ) % {"allowed": allowed or "—"}
    if coupon_class is None or coupon_class.season_id != season.pk:
        errors["coupon_class"] = _("Choisissez une catégorie de coupon de cette saison.")
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = _("La date de fin de validité doit venir après la date de début.")
    elif (
        valid_from
        and valid_until
        and (valid_from < season.coupons_valid_from or valid_until > season.coupons_valid_until)
    ):
        errors["valid_until"] = _(
            "Les coupons de la saison sont valides du %(start)s au %(end)s : choisissez des dates dans cette période."
        ) % {"start": date_format(season.coupons_valid_from), "end": date_format(season.coupons_valid_until)}
    if not 1 <= count <= MAX_SERIES_COUNT:
        errors["count"] = _("Une série compte de 1 à %(max)s coupons.") % {
            "max": number_format(MAX_SERIES_COUNT, force_grouping=True)
        }
    if booklet_size is not None and not 1 <= booklet_size <= count:
        errors["booklet_size"] = _("Un carnet compte de 1 coupon au nombre de coupons de la série.")
    if grant is not None:
        try:
            grant_check_pays_for(grant=grant, season=season, purpose=Purpose.COUPONS)
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            funding_source = grant_label(grant)
    elif not (funding_source or "").strip():
        errors["funding_source"] = _("Dites qui paie ces coupons : choisissez la subvention, ou écrivez la source "
                                     "de financement.")
    if errors:
        raise ValidationError({k: v if isinstance(v, list) else [v] for k, v in errors.items()})

    number = (season.series.aggregate(n=Max("number"))["n"] or 0) + 1
    series = Series(
        season=season,
        number=number,
        denomination_cents=denomination_cents,
        coupon_class=coupon_class,
        colour=colour,
        valid_from=valid_from,
        valid_until=valid_until,
        funding_source=funding_source.strip(),
        grant=grant,
        count=count,
        booklet_size=booklet_size,
        issued_by=by,
    )
    series.full_clean()
    series.save()
    codes_in_order = _insert_coupons(series)
    event_append(
        season=season,
        kind=Kind.ISSUE,
        from_status="",
        from_partner=None,
        to_status=CouponStatus.STOCK,
        to_partner=None,
        ranges=[(series.pk, 1, count)],
        coupon_count=count,
        value_cents=series.value_cents,
        by=by,
        source=source,
        digest=series_digest(series, codes_in_order),
    )
    return series


def _insert_coupons(series: Series, attempts: int = 3) -> list[str]:
    """Write the series' coupons with fresh random codes and return the codes in number order. A code
    already used somewhere (about one chance in 30 billion per coupon) makes the insert fail: it is
    retried with new codes."""
    for attempt in range(attempts):
        codes_ = codes.new_codes(series.count)
        size = series.booklet_size
        rows = (
            (
                series.season_id,
                series.pk,
                n,
                ((n - 1) // size + 1) if size else None,
                code,
                series.denomination_cents,
                CouponStatus.STOCK,
            )
            for n, code in enumerate(codes_, start=1)
        )
        try:
            # wrap_database_errors: the COPY goes through psycopg directly, whose UniqueViolation must read
            # as Django's IntegrityError like the SQLite path's.
            with transaction.atomic(), connection.wrap_database_errors:
                _write_rows(rows)
            return codes_
        except IntegrityError as error:
            if attempt == attempts - 1 or "code" not in str(error):
                raise


_COLUMNS = ("season_id", "series_id", "number", "booklet", "code", "value_cents", "status")


def _write_rows(rows) -> None:
    table = Coupon._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES ({placeholders})", list(rows))


@transaction.atomic
def coupons_move(
    *,
    season: Season,
    kind: str,
    ranges: list[tuple[int, int, int]],
    from_partner: Organization | None = None,
    to_partner: Organization | None = None,
    to_household=None,
    reason: str = "",
    note: str = "",
    by,
    source: str = CustodyEvent.Source.WEB,
) -> CustodyEvent:
    """Move the coupons in `ranges` (series id, first number, last number) and record it in the ledger.

    Every coupon must be where the move says it comes from; otherwise nothing moves and the error says
    which coupons are elsewhere. Locking: the season row is locked for the transaction, and the coupons
    move with a conditional UPDATE, so a coupon changing hands meanwhile is never moved twice."""
    if kind not in MOVES:
        raise ValidationError(_("Ce déplacement n'existe pas."))
    from_status, to_status = MOVES[kind]
    if kind in (Kind.VOID, Kind.SELL):
        from_status = CouponStatus.PARTNER if from_partner else CouponStatus.STOCK
    if kind == Kind.VOID:
        if reason not in CustodyEvent.Reason.values:
            raise ValidationError({"reason": _("Dites pourquoi ces coupons sont annulés : perdus, volés ou détruits.")})
    _check_partners(season, kind, from_partner, to_partner)
    if kind == Kind.DISTRIBUTE and (
        to_household is None or to_household.partner_id != getattr(from_partner, "pk", None)
    ):
        raise ValidationError(_("Les coupons remis à un ménage viennent de son organisme partenaire."))
    season = _lock(season)
    season_open_check(season)

    ranges = merge_ranges(ranges)
    wanted = sum(last - first + 1 for _series, first, last in ranges)
    selected = Coupon.objects.filter(season=season).in_ranges(ranges)
    found = selected.count()
    if found == 0:
        raise ValidationError(_("Aucun coupon de cette saison ne correspond à ce choix."))
    if found != wanted:
        raise ValidationError(
            ngettext(
                "%(missing)s numéro choisi n'existe pas dans la série. Vérifiez les numéros.",
                "%(missing)s numéros choisis n'existent pas dans la série. Vérifiez les numéros.",
                wanted - found,
            )
            % {"missing": wanted - found}
        )
    elsewhere = selected.exclude(status=from_status, partner=from_partner)
    if elsewhere.exists():
        raise ValidationError(_misplaced_message(elsewhere, from_status, from_partner))
    value = selected.aggregate(v=Sum("value_cents"))["v"]
    moved = selected.filter(status=from_status, partner=from_partner).update(
        status=to_status, partner=to_partner, household=to_household
    )
    if moved != found:  # pragma: no cover - a concurrent writer outside the season lock
        raise ValidationError(_("Des coupons ont changé de main pendant l'opération. Rien n'a bougé : réessayez."))
    return event_append(
        season=season,
        kind=kind,
        from_status=from_status,
        from_partner=from_partner,
        to_status=to_status,
        to_partner=to_partner,
        to_household=to_household,
        ranges=ranges,
        coupon_count=found,
        value_cents=value,
        by=by,
        source=source,
        reason=reason,
        note=note,
    )


def _check_partners(season, kind, from_partner, to_partner) -> None:
    for partner in (from_partner, to_partner):
        if partner is not None and (not partner.is_partner_in(season.program_id)):
            raise ValidationError(_("Choisissez un organisme partenaire de ce programme."))
    if kind in (Kind.ALLOCATE, Kind.TRANSFER) and to_partner is None:
        raise ValidationError({"to_partner": _("Choisissez le partenaire qui reçoit les coupons.")})
    if kind in (Kind.TRANSFER, Kind.RETURN, Kind.DISTRIBUTE) and from_partner is None:
        raise ValidationError({"from_partner": _("Choisissez le partenaire qui rend les coupons.")})
    if kind == Kind.TRANSFER and from_partner == to_partner:
        raise ValidationError({"to_partner": _("Choisissez un autre partenaire que celui qui a déjà les coupons.")})


def _where(coupon: Coupon) -> str:
    if coupon.status == CouponStatus.PARTNER:
        return _("chez %(partner)s") % {"partner": coupon.partner.name}
    return str(CouponStatus(coupon.status).label).lower()


def _misplaced_message(elsewhere, from_status, from_partner) -> str:
    count = elsewhere.count()
    sample = ", ".join(
        f"{codes.display(c.code)} ({_where(c)})"
        for c in elsewhere.select_related("partner").order_by("series", "number")[:5]
    )
    if from_status == CouponStatus.STOCK:
        expected = _("en réserve")
    else:
        expected = _("chez %(partner)s") % {"partner": from_partner.name}
    return ngettext(
        "%(count)s coupon n'est pas %(expected)s : %(sample)s. Rien n'a bougé ; retirez-le du choix.",
        "%(count)s coupons ne sont pas %(expected)s : %(sample)s. Rien n'a bougé ; retirez-les du choix.",
        count,
    ) % {"count": count, "expected": expected, "sample": sample + (" …" if count > 5 else "")}


def merge_ranges(ranges) -> list[tuple[int, int, int]]:
    """Sort ranges and join those that touch or overlap, so each coupon is counted once."""
    merged: list[list[int]] = []
    for series_id, first, last in sorted(ranges):
        if first > last:
            raise ValidationError(_("Le premier numéro doit être plus petit que le dernier."))
        if merged and merged[-1][0] == series_id and first <= merged[-1][2] + 1:
            merged[-1][2] = max(merged[-1][2], last)
        else:
            merged.append([series_id, first, last])
    return [tuple(r) for r in merged]


@transaction.atomic
def series_void(*, series: Series, reason: str, by, source: str = CustodyEvent.Source.WEB) -> Series:
    """Void a whole series (a misprint, a theft before distribution): its coupons still in central stock
    become void. Coupons already handed out are first brought back to stock, or voided with their holder."""
    series = Series.objects.select_for_update().get(pk=series.pk)
    season_open_check(_lock(series.season))
    if series.status == Series.Status.VOID:
        raise ValidationError(_("Cette série est déjà annulée."))
    out = series.coupons.exclude(status__in=[CouponStatus.STOCK, CouponStatus.VOID]).count()
    if out:
        raise ValidationError(
            ngettext(
                "%(count)s coupon de cette série a déjà été remis. Faites-le revenir en réserve, ou annulez-le "
                "avec son détenteur, avant d'annuler la série.",
                "%(count)s coupons de cette série ont déjà été remis. Faites-les revenir en réserve, ou "
                "annulez-les avec leur détenteur, avant d'annuler la série.",
                out,
            )
            % {"count": out}
        )
    in_stock = list(
        series.coupons.filter(status=CouponStatus.STOCK).values_list("number", flat=True).order_by("number")
    )
    if in_stock:
        coupons_move(
            season=series.season,
            kind=Kind.VOID,
            ranges=merge_ranges((series.pk, n, n) for n in in_stock),
            reason=reason,
            by=by,
            source=source,
        )
    series.status = Series.Status.VOID
    series.save(update_fields=["status"])
    return series
