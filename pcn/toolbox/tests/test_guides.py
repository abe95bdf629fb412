import re
import tempfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.template import Context, Template
from django.test import SimpleTestCase, TestCase
from django.urls import get_resolver, reverse
from django.utils import translation

import pcn
from pcn.accounts.models import Role
from pcn.testing import make_role_users, make_world
from pcn.toolbox import guidebook, markup
from pcn.toolbox.guidebook import all_guides, guide_get, guide_search

PCN = Path(pcn.__file__).resolve().parent
REQUIRED = {"demarrer-un-programme", "recruter-des-marchands", "former-les-partenaires", "journee-de-marche",
            "fermer-une-saison", "proteger-les-donnees"}
# Quoted words in the French guides that are not the app's own labels (examples, a poster's wording).
NOT_LABELS = {"Téléphone de Marie", "Coupons nourriciers acceptés ici"}


def slugs(language: str) -> set[str]:
    return {slug for slug, lang in all_guides() if lang == language}


def resolve_for_test(kind: str, target: str) -> str | None:
    return {"url:home": "/", "guide:autre": "/guides/autre/"}.get(f"{kind}:{target}")


class RendererTest(SimpleTestCase):
    def render(self, text: str) -> markup.Rendered:
        return markup.render(text, resolve_for_test)

    def test_it_renders_headings_paragraphs_lists_bold_and_links(self):
        out = self.render(
            "# Titre\n\n## Avant\n\nUne phrase\nsur deux lignes.\n\n- **Un** point\n- Un autre\n  qui continue\n\n"
            "1. Premier\n2. Deuxième\n   - sous-point\n\n### Fin\n\n"
            "Voir [l'accueil](url:home) et [l'autre guide](guide:autre)."
        )
        self.assertEqual(out.html, "\n".join([
            "<h2>Titre</h2>", "<h2>Avant</h2>", "<p>Une phrase sur deux lignes.</p>",
            "<ul><li><strong>Un</strong> point</li><li>Un autre qui continue</li></ul>",
            "<ol><li>Premier</li><li>Deuxième<ul><li>sous-point</li></ul></li></ol>",
            "<h3>Fin</h3>",
            '<p>Voir <a href="/">l&#x27;accueil</a> et <a href="/guides/autre/">l&#x27;autre guide</a>.</p>',
        ]))
        self.assertEqual(out.problems, [])
        self.assertEqual(out.links, [("url", "home"), ("guide", "autre")])

    def test_html_in_a_guide_is_escaped_never_run(self):
        out = self.render(
            '<script>alert("x")</script>\n\n## <img src=x onerror=alert(1)>\n\n- **<b>gras</b>**\n\n'
            "[<svg onload=alert(1)>](url:home)"
        )
        self.assertNotIn("<script", out.html)
        self.assertNotIn("<img", out.html)
        self.assertNotIn("<b>", out.html)
        self.assertNotIn("<svg", out.html)
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;", out.html)
        self.assertIn('<a href="/">&lt;svg onload=alert(1)&gt;</a>', out.html)
        self.assertIn("<strong>&lt;b&gt;gras&lt;/b&gt;</strong>", out.html)

    def test_only_app_pages_and_guides_become_links(self):
        out = self.render('[a](javascript:alert(1)) [b](https://example.com) [c](url:home" onclick="x) [d](url:nope)')
        self.assertEqual(out.html.count("<a "), 0)
        self.assertNotIn("href", out.html)
        self.assertIn("[a](javascript:alert(1))", out.html)
        self.assertIn("&quot; onclick=&quot;x)", out.html)
        self.assertEqual(out.problems, ["unknown link target url:nope"])  # kept as plain text: « d »

    def test_plain_text_has_no_markup(self):
        text = markup.plain_text("## Titre\n\n- **Gras** et [lien](url:home)\n\n1. Un")
        self.assertEqual(text, "Titre. Gras et lien. Un.")


class GuideFilesTest(TestCase):
    def test_every_guide_exists_in_french_and_in_english_with_the_same_slugs(self):
        self.assertEqual(slugs("fr"), slugs("en"))
        self.assertLessEqual(REQUIRED, slugs("fr"))

    def test_every_guide_renders_with_no_markdown_or_problem_left(self):
        for (slug, language), guide in all_guides().items():
            where = f"{slug}.{language}"
            self.assertTrue(guide.title and guide.summary, where)
            self.assertEqual(guide.rendered.problems, [], where)
            html = guide.rendered.html
            self.assertIn("<h2>", html, where)
            for raw in ("**", "](", "\n#", "\n- ", "\n1. ", "<script"):
                self.assertNotIn(raw, html, f"{where}: {raw!r} left in the page")
            for line in html.splitlines():
                self.assertRegex(line, r"^<(h2|h3|h4|p|ul|ol)>.*</\1>$", where)

    def test_every_app_link_in_a_guide_resolves_and_opens(self):
        linked = set()
        for (slug, language), guide in all_guides().items():
            for kind, target in guide.rendered.links:
                url = reverse("guide_detail", args=[target]) if kind == "guide" else reverse(target)
                self.assertIn(target, slugs("fr") if kind == "guide" else {target}, f"{slug}.{language}")
                linked.add(url)
        self.assertIn(reverse("directory"), linked)
        for url in linked:
            response = self.client.get(url)
            self.assertIn(response.status_code, {200, 302}, url)  # 302: a page that asks to sign in first

    def test_the_pages_a_guide_names_are_real_pages(self):
        names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
        for (slug, language), guide in all_guides().items():
            self.assertTrue(guide.pages, f"{slug}.{language}")
            self.assertLessEqual(set(guide.pages), names, f"{slug}.{language}")
            self.assertEqual(guide.pages, guide_get(slug, "fr")[0].pages, f"{slug}.{language}: same pages as French")

    def test_the_french_guides_name_buttons_and_pages_the_app_really_has(self):
        sources = "\n".join(
            p.read_text(encoding="utf-8") for p in PCN.rglob("*")
            if p.suffix in {".html", ".py"} and "toolbox" not in p.parts and "tests" not in p.parts
            and "migrations" not in p.parts
        )
        sources = sources.replace("\\'", "'")
        for slug in slugs("fr"):
            for label in re.findall(r"« ([^«»]+?) »", guide_get(slug, "fr")[0].body):
                if label not in NOT_LABELS:
                    self.assertIn(label, sources, f"{slug}.fr names « {label} », which no page shows")


class SearchTest(TestCase):
    def test_it_finds_a_guide_by_a_word_of_its_text_in_french(self):
        found = [hit.guide.slug for hit in guide_search("réclamations", "fr")]
        self.assertIn("fermer-une-saison", found)
        self.assertEqual([hit.guide.slug for hit in guide_search("hors ligne", "fr")], ["journee-de-marche"])

    def test_accents_and_case_do_not_matter_and_words_match_from_their_start(self):
        self.assertEqual(guide_search("RECLAMATION", "fr"), guide_search("réclamation", "fr"))
        self.assertEqual(guide_search("script", "fr"), [])  # not « inscription »

    def test_it_finds_a_guide_by_a_word_of_its_text_in_english(self):
        hits = guide_search("offline", "en")
        self.assertEqual([hit.guide.slug for hit in hits], ["journee-de-marche"])
        self.assertEqual(hits[0].guide.language, "en")
        self.assertIn("<mark>Offline</mark>", hits[0].excerpt)
        self.assertEqual(guide_search("hors ligne", "en"), [])  # English readers search the English text

    def test_a_guide_with_the_words_in_its_title_comes_first(self):
        self.assertEqual(guide_search("fermer saison", "fr")[0].guide.slug, "fermer-une-saison")


class GuidePagesTest(TestCase):
    def english(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def test_anyone_can_read_the_guides_without_signing_in(self):
        response = self.client.get(reverse("guide_list"))
        self.assertContains(response, "Guides pratiques")
        for slug in REQUIRED:
            self.assertContains(response, reverse("guide_detail", args=[slug]))
        response = self.client.get(reverse("guide_detail", args=["fermer-une-saison"]))
        self.assertContains(response, "<h1>Fermer une saison</h1>", html=True)
        self.assertContains(response, "Voir le bilan de fermeture")
        self.assertContains(response, f'href="{reverse("guide_detail", args=["proteger-les-donnees"])}"')

    def test_an_unknown_guide_is_not_found_and_the_pages_only_read(self):
        self.assertEqual(self.client.get("/guides/pas-un-guide/").status_code, 404)
        self.assertEqual(self.client.post(reverse("guide_list")).status_code, 405)
        self.assertEqual(self.client.post(reverse("guide_detail", args=["fermer-une-saison"])).status_code, 405)

    def test_the_guide_shows_in_english_for_an_english_reader(self):
        self.english()
        response = self.client.get(reverse("guide_detail", args=["journee-de-marche"]))
        self.assertContains(response, "<h1>Run a market day</h1>", html=True)
        self.assertContains(response, "Save the stack")
        self.assertNotContains(response, 'id="fell-back"')

    def test_a_guide_without_its_english_file_is_shown_in_french_with_a_note(self):
        with tempfile.TemporaryDirectory() as folder:
            Path(folder, "essai.fr.md").write_text(
                "---\ntitle: Un essai\nsummary: Seulement en français.\npages: home\n---\n## Étape\n\nBonjour.\n",
                encoding="utf-8")
            with mock.patch.object(guidebook, "GUIDES_DIR", Path(folder)):
                self.english()
                response = self.client.get(reverse("guide_detail", args=["essai"]))
                self.assertContains(response, 'id="fell-back"')
                self.assertContains(response, '<article class="guide" lang="fr">')
                self.assertContains(response, "<h1>Un essai</h1>", html=True)
                listing = self.client.get(reverse("guide_list"))
                self.assertContains(listing, "Un essai")

    def test_search_shows_matching_guides_with_an_excerpt(self):
        response = self.client.get(reverse("guide_list"), {"q": "hors ligne"})
        self.assertContains(response, "1 guide contient « hors ligne »")
        self.assertContains(response, "Tenir une journée de marché")
        self.assertContains(response, "« <mark>Hors</mark> <mark>ligne</mark> »")
        self.assertNotContains(response, "Fermer une saison</a>")

    def test_search_in_english(self):
        self.english()
        response = self.client.get(reverse("guide_list"), {"q": "close-out report"})
        self.assertContains(response, "Close a season")
        self.assertContains(response, "the season cannot be <mark>close</mark>d")

    def test_a_search_with_no_result_says_so_and_lists_every_guide(self):
        response = self.client.get(reverse("guide_list"), {"q": '<script>alert("x")</script> zzz'})
        self.assertContains(response, "Aucun guide ne contient tous ces mots.")
        self.assertNotContains(response, "<script>alert")
        self.assertContains(response, "&lt;script&gt;")
        self.assertContains(response, "Démarrer un programme")

    def test_the_footer_links_to_the_guides(self):
        response = self.client.get(reverse("login"))
        self.assertContains(response, f'<a href="{reverse("guide_list")}">Guides pratiques</a>', html=True)


class GuideLinkTest(TestCase):
    def render(self, text: str, language: str = "fr") -> str:
        with translation.override(language):
            return Template("{% load guides %}" + text).render(Context())

    def test_it_links_to_the_guide_in_the_page_language(self):
        url = reverse("guide_detail", args=["fermer-une-saison"])
        self.assertHTMLEqual(self.render('{% guide_link "fermer-une-saison" %}'),
                             f'<a class="guide-link" href="{url}">Guide : Fermer une saison</a>')
        self.assertIn("Close a season", self.render('{% guide_link "fermer-une-saison" %}', "en"))

    def test_an_unknown_guide_renders_nothing(self):
        self.assertEqual(self.render('{% guide_link "pas-un-guide" %}'), "")

    def test_every_guide_link_in_the_templates_names_a_guide(self):
        used = set()
        for path in PCN.rglob("*.html"):
            for slug in re.findall(r'{%\s*guide_link\s+"([^"]+)"\s*%}', path.read_text(encoding="utf-8")):
                self.assertIn(slug, slugs("fr"), f"{path} links to a guide that does not exist: {slug}")
                used.add(slug)
        self.assertLessEqual(REQUIRED - {"proteger-les-donnees"}, used)

    def test_the_pages_where_a_guide_helps_show_its_link(self):
        world = make_world("Portneuf")
        users = make_role_users(world, "p")
        season = world["season"]
        self.client.force_login(users[Role.COORDINATOR])
        for url, title in [
            (reverse("season_closeout", args=[season.pk]), "Fermer une saison"),
            (reverse("season_detail", args=[season.pk]), "Fermer une saison"),
            (reverse("season_detail", args=[season.pk]), "Démarrer un programme"),
            (reverse("program_detail", args=[world["program"].pk]), "Démarrer un programme"),
            (reverse("vendor_list", args=[world["program"].pk]), "Recruter des marchands"),
            (reverse("household_enrol", args=[season.pk]), "Former les organismes partenaires"),
            (reverse("household_enrol", args=[season.pk]), "Protéger les données des participants"),
            (reverse("market_entry", args=[world["market"].pk]), "Tenir une journée de marché"),
        ]:
            self.assertContains(self.client.get(url), f"Guide : {title}", msg_prefix=url)
