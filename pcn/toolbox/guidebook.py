"""The guides: short how-to pages kept as text files in ``pcn/toolbox/guides/``, one per guide and language.

A file is named ``<slug>.<language>.md`` (the slug is French, the same in every language) and starts with a
small front matter::

    ---
    title: Fermer une saison
    summary: Une phrase qui dit à quoi sert le guide.
    order: 5
    pages: season_closeout, season_detail
    ---

``pages`` names the pages (URL names) where the guide helps; those pages carry ``{% guide_link "<slug>" %}``.
The body is in the small Markdown subset of ``pcn.toolbox.markup``. French is the reference: a guide
without its English file is shown in French, with a note.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from html import escape
from pathlib import Path

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from pcn.toolbox import markup

GUIDES_DIR = Path(__file__).resolve().parent / "guides"
LANGUAGES = ("fr", "en")
REFERENCE = "fr"
FILE_NAME = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)\.(fr|en)\.md$")
EXCERPT_BEFORE, EXCERPT_AFTER = 60, 180


@dataclass(frozen=True)
class Guide:
    slug: str
    language: str
    title: str
    summary: str
    order: int
    pages: tuple[str, ...]
    body: str

    @cached_property
    def rendered(self) -> markup.Rendered:
        return markup.render(self.body, resolve_link)

    @property
    def html(self) -> SafeString:
        return mark_safe(self.rendered.html)  # noqa: S308 - built by markup.render from escaped text only

    @cached_property
    def plain(self) -> str:
        return markup.plain_text(self.body)


class GuideFileError(ValueError):
    pass


def resolve_link(kind: str, target: str) -> str | None:
    """The address of an app page by its URL name (one that needs no argument), or of another guide."""
    if kind == "guide":
        return reverse("guide_detail", args=[target]) if guide_exists(target) else None
    try:
        return reverse(target)
    except NoReverseMatch:
        return None


def parse(text: str, *, slug: str, language: str) -> Guide:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---" or "---" not in (line.strip() for line in lines[1:]):
        raise GuideFileError(f"{slug}.{language}.md: the file must start with a front matter between two '---' lines")
    end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    meta = {}
    for line in lines[1:end]:
        if line.strip():
            key, sep, value = line.partition(":")
            if not sep:
                raise GuideFileError(f"{slug}.{language}.md: front matter line without ':': {line!r}")
            meta[key.strip()] = value.strip()
    missing = {"title", "summary"} - meta.keys()
    if missing:
        raise GuideFileError(f"{slug}.{language}.md: front matter lacks {', '.join(sorted(missing))}")
    return Guide(
        slug=slug, language=language, title=meta["title"], summary=meta["summary"],
        order=int(meta.get("order") or 99),
        pages=tuple(p.strip() for p in meta.get("pages", "").split(",") if p.strip()),
        body="\n".join(lines[end + 1:]).strip("\n"),
    )


def _signature() -> tuple:
    """The files and their modification times: an edited guide is read again without a restart."""
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in GUIDES_DIR.glob("*.md")))


@cache
def _load(signature: tuple) -> dict[tuple[str, str], Guide]:
    guides = {}
    for name, _mtime in signature:
        match = FILE_NAME.match(name)
        if not match:
            raise GuideFileError(f"{name}: a guide file is named <slug>.fr.md or <slug>.en.md (lower case, dashes)")
        slug, language = match.groups()
        guides[slug, language] = parse((GUIDES_DIR / name).read_text(encoding="utf-8"), slug=slug, language=language)
    return guides


def all_guides() -> dict[tuple[str, str], Guide]:
    return _load(_signature())


def current_language() -> str:
    language = (get_language() or REFERENCE).split("-")[0]
    return language if language in LANGUAGES else REFERENCE


def guide_exists(slug: str) -> bool:
    return (slug, REFERENCE) in all_guides()


def guide_get(slug: str, language: str) -> tuple[Guide, bool]:
    """The guide in this language, or in French when it has no file in this language: (guide, fell back).
    KeyError when there is no such guide."""
    guides = all_guides()
    if (slug, language) in guides:
        return guides[slug, language], False
    return guides[slug, REFERENCE], language != REFERENCE


def guides_in(language: str) -> list[Guide]:
    """Every guide once, in this language where it exists, in reading order."""
    references = sorted((g for (_slug, lang), g in all_guides().items() if lang == REFERENCE),
                        key=lambda g: (g.order, g.slug))
    return [guide_get(g.slug, language)[0] for g in references]


# Search


def _fold(text: str) -> tuple[str, list[int]]:
    """Lower case without accents (« Étape » finds « etape »), with each folded character's index in the
    original text, so that a match found in the folded text can be cut and marked in the original."""
    folded, index = [], []
    for i, char in enumerate(text):
        for c in unicodedata.normalize("NFKD", char.casefold()):
            if not unicodedata.combining(c):
                folded.append(c)
                index.append(i)
    return "".join(folded), index


def _word(word: str) -> re.Pattern:
    """A query word matches at the start of a word: « réclamation » finds « réclamations », « script » does
    not find « inscription »."""
    return re.compile(r"(?<!\w)" + re.escape(word))


def query_words(query: str) -> list[str]:
    words = re.findall(r"\w+", _fold(query)[0])
    return list(dict.fromkeys(w for w in words if len(w) > 1 or w.isdigit()))[:10]


@dataclass(frozen=True)
class Hit:
    guide: Guide
    excerpt: SafeString


def _marked(text: str, words: list[str]) -> SafeString:
    """The text, escaped, with every occurrence of the words in <mark>."""
    folded, index = _fold(text)
    spans = []
    for word in words:
        for m in _word(word).finditer(folded):
            spans.append((index[m.start()], index[m.end() - 1] + 1))
    html, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            start = at
        if start >= end:
            continue
        html += [escape(text[at:start]), "<mark>", escape(text[start:end]), "</mark>"]
        at = end
    html.append(escape(text[at:]))
    return mark_safe("".join(html))  # noqa: S308 - every piece of text is escaped above


def _excerpt(guide: Guide, words: list[str]) -> SafeString:
    text = guide.plain
    folded, index = _fold(text)
    found = [m.start() for m in (_word(w).search(folded) for w in words) if m]
    if not found:
        return _marked(guide.summary, words)
    at = index[min(found)]
    start, end = max(0, at - EXCERPT_BEFORE), min(len(text), at + EXCERPT_AFTER)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    if end < len(text):
        space = text.rfind(" ", at, end)
        end = space if space > at else end
    before, after = ("… " if start else ""), (" …" if end < len(text) else "")
    return mark_safe(before + _marked(text[start:end], words) + after)  # noqa: S308 - _marked escapes the text


def guide_search(query: str, language: str) -> list[Hit]:
    """Guides (in this language, or French where there is no translation) whose title, summary or text hold
    every word of the query, accents and case aside; those with the words in their title first, then those
    that use them most."""
    words = query_words(query)
    if not words:
        return []
    hits = []
    for guide in guides_in(language):
        title = _fold(guide.title)[0]
        haystack = _fold(f"{guide.title} {guide.summary} {guide.plain}")[0]
        patterns = [_word(w) for w in words]
        if all(p.search(haystack) for p in patterns):
            in_title = sum(bool(p.search(title)) for p in patterns)
            times = sum(len(p.findall(haystack)) for p in patterns)
            hits.append(((-in_title, -times, guide.order, guide.slug), Hit(guide, _excerpt(guide, words))))
    return [hit for _rank, hit in sorted(hits, key=lambda h: h[0])]
