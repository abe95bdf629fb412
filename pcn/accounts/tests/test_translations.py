"""The English catalogue is complete, compiled, faithful to its placeholders, and actually served.

French is the source language (msgids are French); English must never fall back to French. These tests
read pcn/locale/en/LC_MESSAGES/django.po with a small parser of their own (no extra dependency), compare
it with the compiled django.mo (so a forgotten `make messages` / compilemessages fails here), and render
pages with the language cookie set to English.
"""

import ast
import gettext
import re
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.testing import make_user, make_world

CATALOG_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_FILE = CATALOG_DIR / "django.po"
MO_FILE = CATALOG_DIR / "django.mo"

PLACEHOLDER = re.compile(r"%\([^)]*\)[a-z]|%[sd]|\{\{.*?\}\}|\{[^{}]*\}")
HTML_TAG = re.compile(r"<[^>]+>")
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(text: str) -> str:
    # PO strings use C escapes (\" \\ \n \t), which a Python string literal reads the same way.
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[dict]:
    """Every entry of a .po file: msgctxt, msgid, msgid_plural, msgstr, msgstr_plural {n: str}, flags."""
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple | None = None

    def new_entry() -> dict:
        return {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": None,
                "msgstr_plural": {}, "flags": set(), "obsolete": False}

    def finish():
        nonlocal entry, field
        if entry is not None and entry["msgid"] is not None:
            entries.append(entry)
        entry, field = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            entry = entry or new_entry()
            entry["obsolete"] = True
            continue
        if line.startswith("#"):
            if entry is not None and entry["msgid"] is not None:
                finish()
            entry = entry or new_entry()
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword in ("msgctxt", "msgid") and entry is not None and entry["msgid"] is not None:
                finish()
            entry = entry or new_entry()
            if index is not None:
                entry["msgstr_plural"][int(index)] = value
                field = ("msgstr_plural", int(index))
            else:
                entry[keyword] = value
                field = (keyword,)
            continue
        if line.startswith('"') and entry is not None and field is not None:
            value = _unquote(line)
            if field[0] == "msgstr_plural":
                entry["msgstr_plural"][field[1]] += value
            else:
                entry[field[0]] += value
            continue
        raise AssertionError(f"{path}:{number}: cannot read this line: {raw!r}")
    finish()
    return entries


def _label(entry: dict) -> str:
    return repr(entry["msgid"][:70])


class EnglishCatalogTest(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.entries = parse_po(PO_FILE)
        cls.header = next(e for e in cls.entries if e["msgid"] == "" and e["msgctxt"] is None)
        cls.messages = [e for e in cls.entries if e is not cls.header]

    def test_the_catalog_has_hundreds_of_entries_and_no_obsolete_one(self):
        self.assertGreater(len(self.messages), 400)
        self.assertEqual([_label(e) for e in self.entries if e["obsolete"]], [])

    def test_the_header_says_english_with_two_plural_forms_and_is_not_fuzzy(self):
        self.assertNotIn("fuzzy", self.header["flags"])
        self.assertIn("Language: en\n", self.header["msgstr"])
        self.assertIn("Plural-Forms: nplurals=2; plural=(n != 1);\n", self.header["msgstr"])
        self.assertIn("charset=UTF-8", self.header["msgstr"])

    def test_every_entry_is_translated_and_none_is_fuzzy(self):
        fuzzy = [_label(e) for e in self.messages if "fuzzy" in e["flags"]]
        self.assertEqual(fuzzy, [], "fuzzy entries: the translation needs a review, then remove the flag")
        untranslated = []
        for e in self.messages:
            if e["msgid_plural"] is not None:
                forms = e["msgstr_plural"]
                if sorted(forms) != [0, 1] or not all(value.strip() for value in forms.values()):
                    untranslated.append(_label(e))
            elif not (e["msgstr"] or "").strip():
                untranslated.append(_label(e))
        self.assertEqual(untranslated, [], "entries without an English translation")

    def test_placeholders_and_html_tags_are_kept_exactly(self):
        problems = []
        for e in self.messages:
            pairs = [(e["msgid"], e["msgstr"])]
            if e["msgid_plural"] is not None:
                pairs = [(e["msgid"], e["msgstr_plural"].get(0, "")), (e["msgid_plural"], e["msgstr_plural"].get(1, ""))]
            for source, translation in pairs:
                for pattern in (PLACEHOLDER, HTML_TAG):
                    if Counter(pattern.findall(source)) != Counter(pattern.findall(translation)):
                        problems.append(f"{source!r} -> {translation!r}")
        self.assertEqual(problems, [])

    def test_french_quotes_become_english_quotes(self):
        left = [_label(e) for e in self.messages
                if any(mark in s for s in [e["msgstr"] or "", *e["msgstr_plural"].values()] for mark in "«»")]
        self.assertEqual(left, [], "« » around names become “ ” in English")

    def test_the_compiled_mo_file_holds_exactly_what_the_po_file_says(self):
        self.assertTrue(MO_FILE.exists(), "compile the catalog: make messages")
        with MO_FILE.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        catalog = compiled._catalog  # the parsed .mo: {msgid: msgstr} and {(msgid, n): msgstr}
        expected = {}
        for e in self.messages:
            key = e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}\x04{e['msgid']}"
            if e["msgid_plural"] is not None:
                for n, value in e["msgstr_plural"].items():
                    expected[(key, n)] = value
            else:
                expected[key] = e["msgstr"]
        stale = {key: (catalog.get(key), value) for key, value in expected.items() if catalog.get(key) != value}
        self.assertEqual(stale, {}, "django.mo is out of date: run make messages (or compilemessages)")
        extra = set(catalog) - set(expected) - {""}
        self.assertEqual(extra, set(), "django.mo holds messages that the .po no longer has")
        # The public API agrees, plurals included.
        for e in self.messages:
            if e["msgid_plural"] is not None and e["msgctxt"] is None:
                self.assertEqual(compiled.ngettext(e["msgid"], e["msgid_plural"], 1), e["msgstr_plural"][0])
                self.assertEqual(compiled.ngettext(e["msgid"], e["msgid_plural"], 2), e["msgstr_plural"][1])
            elif e["msgctxt"] is None:
                self.assertEqual(compiled.gettext(e["msgid"]), e["msgstr"])


class EnglishPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.world["program"])

    def in_english(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def test_the_language_cookie_is_the_usual_one(self):
        self.assertEqual(settings.LANGUAGE_COOKIE_NAME, "django_language")

    def test_the_login_page_is_french_by_default(self):
        response = self.client.get(reverse("login"))
        self.assertContains(response, "Connexion")
        self.assertContains(response, '<html lang="fr">')

    def test_the_login_page_is_english_with_the_cookie(self):
        self.in_english()
        response = self.client.get(reverse("login"))
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "<h1>Log in</h1>", html=False)
        self.assertContains(response, "Username")
        self.assertContains(response, "Password")
        self.assertContains(response, "Forgot your password?")
        for french in ("Connexion", "Se connecter", "Nom d&#x27;utilisateur", "Mot de passe"):
            self.assertNotContains(response, french)

    def test_a_logged_in_page_is_english_with_the_cookie(self):
        self.client.force_login(self.coordinator)
        self.in_english()
        response = self.client.get(reverse("program_detail", args=[self.world["program"].pk]))
        self.assertContains(response, '<html lang="en">')
        for english in ("Log out", "Seasons", "Partners", "Vendors", "Governance", "Team", "Edit the program"):
            self.assertContains(response, english)
        for french in ("Se déconnecter", "Saisons", "Gouvernance", "Modifier le programme", "Coupons nourriciers"):
            self.assertNotContains(response, french)

    def test_the_home_page_is_english_with_the_cookie(self):
        self.client.force_login(self.coordinator)
        self.in_english()
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Hello coordo")
        self.assertContains(response, "Change my password")
        self.assertNotContains(response, "Bonjour")
        self.assertNotContains(response, "Changer mon mot de passe")
