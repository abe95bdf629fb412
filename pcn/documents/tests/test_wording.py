"""The wording language: what is refused when saved, and how a wording and a program's data become text."""

from django.test import SimpleTestCase

from pcn.documents import wording
from pcn.documents.placeholders import PLACEHOLDERS, sample_facts, values
from pcn.documents.services import shipped_wording
from pcn.documents.kinds import LANGUAGES, Kind


class CheckTest(SimpleTestCase):
    def test_every_shipped_wording_passes_the_check(self):
        for kind in Kind.values:
            for language in LANGUAGES:
                with self.subTest(kind=kind, language=language):
                    self.assertEqual(wording.check(shipped_wording(kind, language)), [])

    def test_an_unknown_placeholder_is_named_with_the_list_of_known_ones(self):
        problems = wording.check("# Titre\n\nBonjour {{ programme }} et {{ program }}.")
        self.assertEqual(len(problems), 1)
        self.assertIn("Repère inconnu : {{ programme }}", problems[0])
        for name in PLACEHOLDERS:
            self.assertIn("{{ %s }}" % name, problems[0])

    def test_a_list_placeholder_inside_a_sentence_is_refused(self):
        problems = wording.check("# Titre\n\nLes marchés : {{ markets }}")
        self.assertEqual(problems, ["Ligne 3 : {{ markets }} devient une liste. Mettez-le seul sur sa ligne."])

    def test_rows_placeholder_outside_a_table_is_refused_and_inside_one_is_accepted(self):
        self.assertIn("Ligne 3 : {{ blank_rows }} ajoute des lignes", wording.check("# T\n\n{{ blank_rows }}")[0])
        self.assertEqual(wording.check("# T\n\n| A | B |\n|---|---|\n{{ blank_rows }}\n| Total | |"), [])

    def test_a_wording_needs_a_title_line(self):
        self.assertIn("La première ligne doit être le titre", wording.check("Bonjour")[0])
        self.assertIn("Le texte est vide", wording.check("  \n ")[0])

    def test_stray_braces_are_refused(self):
        self.assertIn("Ligne 2 : ces accolades doubles ne forment pas un repère", wording.check("# T\n{{ program")[0])


class FillTest(SimpleTestCase):
    def test_text_placeholders_are_filled_in_the_document_language(self):
        facts = sample_facts()
        fr = wording.html("# T\n\nDu {{ valid_from }} au {{ valid_until }}, {{ denominations }}, {{ frequency }}.",
                          values(facts, "fr"))
        en = wording.html("# T\n\nFrom {{ valid_from }} to {{ valid_until }}, {{ denominations }}, {{ frequency }}.",
                          values(facts, "en"))
        self.assertIn("Du 13 juin 2026 au 12 septembre 2026, 2\u00a0$, 5\u00a0$ et 10\u00a0$, chaque semaine.", fr)
        self.assertIn("From June 13, 2026 to September 12, 2026, $2, $5 and $10, every week.", en)

    def test_a_table_gets_its_rows_and_the_cap_row_says_or_more(self):
        body = "# T\n\n| Personnes | Montant |\n|---|---|\n{{ entitlement_rows }}"
        html = wording.html(body, values(sample_facts(), "fr"))
        self.assertIn("<thead><tr><th>Personnes</th><th>Montant</th></tr></thead>", html)
        self.assertIn("<tr><td>1</td><td>25\u00a0$</td></tr>", html)
        self.assertIn("<tr><td>4 ou plus</td><td>60\u00a0$</td></tr>", html)

    def test_data_and_wording_cannot_inject_markup(self):
        facts = sample_facts()
        facts.program = "<script>alert(1)</script> & **Cie**"
        html = wording.html("# <b>T</b>\n\n**{{ program }}**", values(facts, "fr"))
        self.assertNotIn("<script>", html)
        self.assertNotIn("<b>T</b>", html)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; &amp;", html)

    def test_a_missing_party_is_a_line_to_fill_in(self):
        html = wording.html("# T\n\nMarchand : {{ vendor }}", values(sample_facts(), "fr"))
        self.assertIn("Marchand : ______", html)
