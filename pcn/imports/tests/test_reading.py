"""Reading CSV and XLSX files as people save them."""

import datetime

import pytest

from pcn.imports.columns import CellError, choices, integer, money, yes_no
from pcn.imports.kinds import looks_like_identity
from pcn.imports.reading import ImportFileError, read_bytes
from pcn.imports.tests.helpers import csv_bytes, xlsx_bytes

ROWS = [["Nom de l'entreprise", "Produits vendus"], ["Érablière Côté", "Produits de l'érable, Miel"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_it_reads_csv_in_every_encoding_and_separator_excel_uses(encoding, delimiter):
    sheet = read_bytes(csv_bytes(ROWS, delimiter=delimiter, encoding=encoding), "marchands.csv")
    assert sheet.headers == ROWS[0]
    assert sheet.rows == [(2, ROWS[1])]


def test_line_numbers_are_the_spreadsheets_even_around_blank_and_comment_rows():
    rows = [["A", "B"], ["# Exemple à effacer", "x"], ["1", "2"], ["", ""], [" ", ""], ["3", "4"]]
    for content, name in ((csv_bytes(rows), "f.csv"), (xlsx_bytes(rows), "f.xlsx")):
        assert read_bytes(content, name).rows == [(3, ["1", "2"]), (6, ["3", "4"])]


def test_xlsx_numbers_dates_and_times_read_as_a_person_typed_them():
    rows = [["a", "b", "c", "d", "e"], [3, 12.5, datetime.date(2026, 6, 13), datetime.time(9, 30), None]]
    sheet = read_bytes(xlsx_bytes(rows), "f.xlsx")
    assert sheet.rows == [(2, ["3", "12.5", "2026-06-13", "9:30", ""])]


def test_an_xlsx_is_read_whatever_its_name_and_a_damaged_one_is_refused_plainly():
    assert read_bytes(xlsx_bytes(ROWS), "export.csv").headers == ROWS[0]
    with pytest.raises(ImportFileError, match="ne s'ouvre pas"):
        read_bytes(b"PK\x03\x04 not really a zip", "f.xlsx")


def test_an_empty_file_or_one_without_headers_on_line_one_is_refused():
    with pytest.raises(ImportFileError, match="vide"):
        read_bytes(b"", "f.csv")
    with pytest.raises(ImportFileError, match="première ligne"):
        read_bytes(csv_bytes([["", ""], ["A", "B"]]), "f.csv")


def test_cell_parsers_accept_what_people_type_and_say_how_to_fix_the_rest():
    assert integer(1, 20)("3,0") == 3
    assert money("12 000,50 $") == 1_200_050
    assert (yes_no("Oui"), yes_no("x"), yes_no("NON")) == (True, True, False)
    from pcn.programs.choices import ProductCategory

    assert choices(ProductCategory.choices)("legumes; Fruits | eggs") == ["vegetables", "fruit", "eggs"]
    with pytest.raises(CellError) as error:
        integer(1, 20)("trois")
    assert error.value.fix == "Écrivez un nombre entier, sans lettres, de 1 à 20."
    with pytest.raises(CellError):
        money("-5")


@pytest.mark.parametrize("header", ["Nom", "Prénom", "NAME", "Date de naissance", "Téléphone", "Phone", "Courriel",
                                    "E-mail", "Adresse", "Code postal", "No d'assurance maladie", "DDN"])
def test_identity_headers_are_recognized(header):
    assert looks_like_identity(header)


@pytest.mark.parametrize("header", ["Nombre de personnes", "Communauté", "Situations", "Notes"])
def test_ordinary_headers_are_not_identity(header):
    assert not looks_like_identity(header)


@pytest.mark.django_db
def test_the_command_checks_then_imports_a_file(tmp_path):
    from django.core.management import CommandError, call_command

    from pcn.markets.models import Vendor
    from pcn.testing import make_user, make_world

    world = make_world("Alpha")
    make_user("coordo")
    path = tmp_path / "marchands.csv"
    path.write_bytes(csv_bytes([["Nom de l'entreprise", "Type", "Produits vendus", "Points de vente"],
                                ["Ferme Neuve", "Producteur", "Œufs", "Place du marché"]], delimiter=";"))
    args = ["import_sheet", "vendors", str(path), "--program", str(world["program"].pk), "--by", "coordo"]
    call_command(*args)
    assert not Vendor.objects.filter(business_name="Ferme Neuve").exists()
    call_command(*args, "--commit")
    assert Vendor.objects.get(business_name="Ferme Neuve").categories == ["eggs"]
    with pytest.raises(CommandError, match="1 problem"):
        call_command(*args, "--commit")  # the name is now taken
