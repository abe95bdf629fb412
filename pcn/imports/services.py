"""Checking and importing a spreadsheet: every row or none.

`import_rows` reads the header, parses every cell, runs the kind's checks across rows, then creates the
rows one by one through the apps' services inside one transaction, each row in its own savepoint so that a
refused row is reported and the next ones are still checked. Unless every row went through and `commit`
is asked, the whole transaction is rolled back: the preview is this same run, rolled back, so what the
preview promises is what the import does (checked again at confirmation, since the data may have changed).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from pcn.imports.columns import CellError, Column, normalize
from pcn.imports.kinds import Kind, Problem, Row, Target, looks_like_identity
from pcn.imports.reading import Sheet


@dataclass
class Report:
    kind: Kind
    columns: list[Column] = field(default_factory=list)  # the kind's columns present in the file, in file order
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # every problem, by line
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def preview(self) -> list[dict]:
        """The rows as they will be created: their line, what happens, and each column's value as shown."""
        return [
            {"line": row.line, "outcome": row.outcome, "problems": bool(row.problems),
             "cells": [(str(col.header), _shown(row, col)) for col in self.columns]}
            for row in self.rows
        ]


def _shown(row: Row, col: Column) -> str:
    value = row.values.get(col.key)
    if isinstance(value, models.Model):  # a reference resolved (a partner, an operator)
        return str(value)
    if isinstance(value, list) and any(isinstance(v, models.Model) for v in value):
        return " ; ".join(str(v) for v in value)
    if col.key not in row.values:
        return row.raw.get(col.key, "")
    return col.display(value)


def _map_headers(kind: Kind, headers: list[str], report: Report) -> dict[int, Column]:
    names = {}
    for col in kind.columns:
        for name in col.names():
            names.setdefault(name, col)
    mapping: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        label = header or _("(sans titre)")
        col = names.get(normalize(header.rstrip("*").strip()))
        if col is None:
            if not header:
                report.problems.append(Problem(1, _("colonne %(n)s") % {"n": index + 1},
                                               _("Cette colonne n'a pas de titre."),
                                               _("Donnez-lui le titre d'une colonne du modèle, ou supprimez-la.")))
            elif kind.refuse_identity and looks_like_identity(header):
                report.problems.append(Problem(
                    1, label,
                    _("Cette colonne semble contenir l'identité des personnes (nom, adresse, téléphone, courriel ou "
                      "date de naissance). Le programme ne garde jamais ces renseignements."),
                    _("Supprimez cette colonne du fichier, puis renvoyez-le."),
                ))
            else:
                report.problems.append(Problem(
                    1, label, _("Cette colonne n'est pas connue : ce qu'elle contient ne serait pas importé."),
                    _("Renommez-la comme dans le modèle (%(names)s), ou supprimez-la.")
                    % {"names": ", ".join(f"« {c.header} »" for c in kind.columns)},
                ))
            continue
        if col.key in seen:
            report.problems.append(Problem(1, label, _("Cette colonne est en double (colonne %(n)s aussi).")
                                           % {"n": seen[col.key] + 1}, _("Gardez une seule de ces colonnes.")))
            continue
        seen[col.key] = index
        mapping[index] = col
    for col in kind.columns:
        if col.required and col.key not in seen:
            report.problems.append(Problem(1, str(col.header), _("Cette colonne obligatoire manque."),
                                           _("Ajoutez une colonne « %(header)s » : %(help)s")
                                           % {"header": col.header, "help": col.help}))
    report.columns = [mapping[i] for i in sorted(mapping)]
    return mapping


def _parse(kind: Kind, mapping: dict[int, Column], line: int, cells: list[str]) -> Row:
    row = Row(line=line, raw={})
    for index, col in mapping.items():
        row.raw[col.key] = cells[index].strip() if index < len(cells) else ""
    for col in mapping.values():
        text = row.raw[col.key]
        if not text:
            if col.required:
                kind.add(row, col.key, _("Cette case est vide."), _("Écrivez-y : %(help)s") % {"help": col.help})
            continue
        try:
            row.values[col.key] = col.parse(text)
        except CellError as error:
            row.problems.append(Problem(line, str(col.header), error.message, error.fix or str(col.help)))
    return row


def import_rows(*, kind: Kind, target: Target, sheet: Sheet, by, commit: bool) -> Report:
    """Check every row and, with `commit` and no problem at all, create them all in one transaction.

    Nothing is written unless every row is valid. The report lists every problem found, by line."""
    report = Report(kind=kind)
    mapping = _map_headers(kind, sheet.headers, report)
    report.rows = [_parse(kind, mapping, line, cells) for line, cells in sheet.rows]
    if not report.rows and not report.problems:
        report.problems.append(Problem(2, "", _("Le fichier n'a aucune ligne à importer sous les titres."),
                                       _("Remplissez une ligne par élément sous la ligne des titres.")))
    if kind.season_scoped and target.season is not None and target.season.closed_at is not None:
        report.problems.append(Problem(1, "", _("Cette saison est fermée : on ne peut plus y inscrire de ménages."),
                                       _("Choisissez une saison en cours.")))
    kind.prepare(report.rows, target)
    with transaction.atomic():
        if not report.problems:  # a header problem: no row can be trusted to land in the right field
            state: dict = {}
            for row in report.rows:
                if row.problems:
                    continue
                try:
                    with transaction.atomic():
                        kind.create(row, target, by, state)
                except ValidationError as error:
                    kind.add_validation_error(row, error)
                except IntegrityError:
                    kind.add(row, "", _("Cette ligne entre en conflit avec une donnée enregistrée en même temps."),
                             _("Renvoyez le fichier dans un moment."))
        report.problems.extend(p for row in report.rows for p in row.problems)
        position = {str(col.header): index for index, col in enumerate(report.columns)}
        report.problems.sort(key=lambda p: (p.line, position.get(p.column, -1)))
        report.committed = commit and report.ok
        if not report.committed:
            transaction.set_rollback(True)
    if not report.committed:
        for row in report.rows:
            row.created = None
    return report
