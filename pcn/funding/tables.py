"""The funding pages' tables, built once (pcn.reports.tables.Table) for the page, the CSV and XLSX downloads and
the funder's PDF report, so the figures cannot differ between them.

Row keys starting with "_" are for the page only (a link, a line under the name): downloads ignore them.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcn.funding.models import Grant
from pcn.funding.selectors import Figures, SeasonFunding
from pcn.reports.tables import COUNT, MONEY, Column, Table

# Each figure once: its attribute on `Figures` and its label, in the order the pages give them.
BUDGET_FIGURES = [
    ("budget_cents", gettext_lazy("Budget")),
    ("committed_cents", gettext_lazy("Engagé (coupons émis)")),
    ("bonus_cents", gettext_lazy("Bonifications (grand public)")),
    ("operations_cents", gettext_lazy("Fonctionnement")),
    ("remaining_cents", gettext_lazy("Reste du budget")),
]
COUPON_FIGURES = [
    ("distributed_cents", gettext_lazy("Remis aux ménages ou vendus")),
    ("redeemed_cents", gettext_lazy("Échangés chez les marchands")),
    ("paid_cents", gettext_lazy("Payés aux marchands")),
    ("owed_cents", gettext_lazy("Échangés, à payer")),
    ("held_cents", gettext_lazy("Encore chez les ménages ou les acheteurs")),
    ("outstanding_cents", gettext_lazy("Ce qui peut encore être réclamé")),
    ("expired_cents", gettext_lazy("Expirés à la fermeture")),
    ("revenue_cents", gettext_lazy("Revenus de la vente au grand public")),
]
FIGURES = BUDGET_FIGURES + COUPON_FIGURES
# What a season shows (no budget, operations or remaining: those are the grant's, across its seasons).
SEASON_FIGURES = [
    ("committed_cents", gettext_lazy("Engagé (coupons émis)")),
    *COUPON_FIGURES[:6],
    ("expired_cents", gettext_lazy("Expirés à la fermeture")),
    ("revenue_cents", gettext_lazy("Revenus de la vente au grand public")),
    ("bonus_cents", gettext_lazy("Bonifications (grand public)")),
]


def _money_columns(figures) -> list[Column]:
    return [Column(attr, label, MONEY) for attr, label in figures]


def _amounts(f: Figures, figures) -> dict:
    return {attr: getattr(f, attr) for attr, _label in figures}


def program_table(rows: list[Figures]) -> Table:
    """The program's grants, one row each, with every figure; and their total."""
    columns = [Column("grant", _("Subvention")), Column("funder", _("Bailleur de fonds")),
               Column("starts_on", _("Début")), Column("ends_on", _("Fin")), *_money_columns(FIGURES)]
    body = [{"grant": f.grant.name, "funder": f.grant.funder.name, "starts_on": f.grant.starts_on.isoformat(),
             "ends_on": f.grant.ends_on.isoformat(), **_amounts(f, FIGURES),
             "_url": reverse("grant_detail", args=[f.grant.pk])} for f in rows]
    total = {"grant": _("Toutes les subventions")}
    for attr, _label in FIGURES:
        total[attr] = sum(getattr(f, attr) for f in rows)
    return Table(title=_("Subventions du programme"), slug="subventions", columns=columns, rows=body,
                 total=total if len(rows) > 1 else None)


def season_table(funding: SeasonFunding) -> Table:
    """The season's money, one row per grant used in the season, then what no grant pays, then the total."""
    columns = [Column("grant", _("Subvention")), Column("funder", _("Bailleur de fonds")),
               Column("budget_cents", _("Budget"), MONEY), *_money_columns(SEASON_FIGURES)]
    body = []
    for f in funding.rows:
        if f.grant is not None:
            body.append({"grant": f.grant.name, "funder": f.grant.funder.name, "budget_cents": f.budget_cents,
                         **_amounts(f, SEASON_FIGURES), "_url": reverse("grant_detail", args=[f.grant.pk])})
        else:
            body.append({"grant": _("Sans subvention"), "funder": "", "budget_cents": None,
                         **_amounts(f, SEASON_FIGURES),
                         "_note": _("Séries et ventes sans subvention choisie ; achats par carte et coupons comptés "
                                    "par valeur.")})
    total = {"grant": _("Toute la saison"), **_amounts(funding.total, SEASON_FIGURES)}
    return Table(title=_("Financement de la saison"), slug="financement-saison", columns=columns, rows=body,
                 total=total)


def grant_figures_table(f: Figures) -> Table:
    """Where the grant stands: one row per figure."""
    return Table(title=_("Où en est la subvention"), slug="subvention",
                 columns=[Column("figure", _("Chiffre")), Column("amount", _("Montant"), MONEY)],
                 rows=[{"figure": str(label), "amount": getattr(f, attr)} for attr, label in FIGURES])


def grant_seasons_table(seasons: list[tuple], total: Figures) -> Table:
    """The grant's figures season by season (pcn.funding.selectors.grant_seasons), and all its seasons."""
    columns = [Column("season", _("Saison")), *_money_columns(SEASON_FIGURES)]
    body = [{"season": season.name, **_amounts(f, SEASON_FIGURES), "_season": season} for season, f in seasons]
    return Table(title=_("Par saison"), slug="par-saison", columns=columns, rows=body,
                 total={"season": _("Toutes les saisons"), **_amounts(total, SEASON_FIGURES)} if len(seasons) > 1
                 else None)


def grant_series(grant: Grant):
    return grant.series.select_related("season", "coupon_class").order_by("season__starts_on", "number")


def grant_expenses(grant: Grant):
    return grant.expenses.select_related("recorded_by").order_by("spent_on", "pk")


def grant_series_table(series_list) -> Table:
    columns = [Column("season", _("Saison")), Column("series", _("Série")), Column("class", _("Catégorie")),
               Column("status", _("État")), Column("count", _("Coupons"), COUNT),
               Column("denomination", _("Valeur du coupon"), MONEY), Column("value", _("Valeur émise"), MONEY)]
    rows = [{"season": s.season.name, "series": str(s), "class": s.coupon_class.name, "status": s.get_status_display(),
             "count": s.count, "denomination": s.denomination_cents, "value": s.value_cents} for s in series_list]
    return Table(title=_("Séries de coupons payées par la subvention"), slug="series", columns=columns, rows=rows)


def grant_expenses_table(expenses, *, with_author: bool = True) -> Table:
    columns = [Column("spent_on", _("Date")), Column("description", _("Ce qui a été payé")),
               *([Column("recorded_by", _("Inscrite par"))] if with_author else []),
               Column("amount", _("Montant"), MONEY)]
    rows = [{"spent_on": e.spent_on.isoformat(), "description": e.description,
             "recorded_by": e.recorded_by.get_full_name() or e.recorded_by.username, "amount": e.amount_cents}
            for e in expenses]
    total = {"spent_on": _("Total"), "amount": sum(e.amount_cents for e in expenses)} if rows else None
    return Table(title=_("Dépenses de fonctionnement"), slug="depenses", columns=columns, rows=rows, total=total)


def html_rows(table: Table) -> dict:
    """The table for a template: each row's (column, value) pairs, with its link and note."""

    def cells(row):
        return {"cells": list(zip(table.columns, table.cells(row), strict=True)), "url": row.get("_url"),
                "note": row.get("_note")}

    return {"table": table, "rows": [cells(r) for r in table.rows],
            "total": cells(table.total) if table.total else None}


__all__ = ["FIGURES", "html_rows", "program_table", "season_table", "grant_figures_table",
           "grant_seasons_table", "grant_series_table", "grant_expenses_table"]
