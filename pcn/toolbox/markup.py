"""A small, safe Markdown subset for the guides, rendered by our own code (no dependency).

What it knows, and nothing else:

- ``## Titre`` and ``### Sous-titre`` (``#`` counts as ``##``: the guide's title is the page's ``<h1>``);
- paragraphs (lines side by side; a blank line ends them);
- bullet lists (``- `` or ``* ``) and numbered lists (``1. ``); an indented line continues the item above,
  and an indented item starts a list inside it (one level);
- ``**gras**``;
- links to the application's pages by URL name, ``[texte](url:directory)``, and to other guides,
  ``[texte](guide:fermer-une-saison)``. Nothing else becomes a link: a web address stays plain text.

Every line is HTML-escaped before any markup is applied, so a guide can never inject HTML or script; the
only tags in the output are the ones written here. Link targets are resolved by a function the caller
gives (``resolve(kind, target) -> url | None``); a target it does not know is kept as plain text and
reported in ``problems`` (the tests require none).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

HEADING = re.compile(r"^(#{1,4})\s+(.+?)\s*#*\s*$")
BULLET = re.compile(r"^[-*]\s+(.*)$")
NUMBER = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
# Applied to escaped text: the target is letters, digits, "_" and "-" only, so it can carry nothing else.
LINK = re.compile(r"\[([^\[\]\n]+)\]\((url|guide):([A-Za-z0-9_-]+)\)")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")

Resolver = Callable[[str, str], str | None]


@dataclass
class Rendered:
    html: str
    problems: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (kind, target) of every link, resolved or not


def _inline(text: str, resolve: Resolver, out: Rendered) -> str:
    """One escaped run of text with its bold and links."""
    html = escape(text, quote=True)

    def link(match: re.Match) -> str:
        label, kind, target = match.groups()
        out.links.append((kind, target))
        url = resolve(kind, target)
        if url is None:
            out.problems.append(f"unknown link target {kind}:{target}")
            return label
        return f'<a href="{escape(url, quote=True)}">{label}</a>'

    html = LINK.sub(link, html)
    return BOLD.sub(r"<strong>\1</strong>", html)


@dataclass
class _Item:
    lines: list[str]
    sub_kind: str | None = None
    sub_items: list[list[str]] = field(default_factory=list)


def render(text: str, resolve: Resolver) -> Rendered:
    out = Rendered(html="")
    parts: list[str] = []
    paragraph: list[str] = []
    list_kind: str | None = None  # "ul" or "ol"
    items: list[_Item] = []

    def inline(lines: list[str]) -> str:
        return _inline(" ".join(lines), resolve, out)

    def flush_paragraph():
        if paragraph:
            parts.append(f"<p>{inline(paragraph)}</p>")
            paragraph.clear()

    def flush_list():
        nonlocal list_kind
        if list_kind:
            body = []
            for item in items:
                sub = ""
                if item.sub_kind:
                    sub = "".join(f"<li>{inline(lines)}</li>" for lines in item.sub_items)
                    sub = f"<{item.sub_kind}>{sub}</{item.sub_kind}>"
                body.append(f"<li>{inline(item.lines)}{sub}</li>")
            parts.append(f"<{list_kind}>{''.join(body)}</{list_kind}>")
            items.clear()
            list_kind = None

    for raw in text.splitlines():
        line = raw.strip()
        indented = raw[:1].isspace()
        if not line:
            flush_paragraph()
            flush_list()
            continue
        heading = HEADING.match(line)
        marker = BULLET.match(line) or NUMBER.match(line)
        kind = "ul" if BULLET.match(line) else "ol"
        if heading and not indented:
            flush_paragraph()
            flush_list()
            level = min(max(len(heading.group(1)), 2), 4)
            parts.append(f"<h{level}>{_inline(heading.group(2), resolve, out)}</h{level}>")
        elif marker and indented and list_kind:
            # One level of nesting: an indented item belongs to a list inside the item above.
            item = items[-1]
            if item.sub_kind not in (None, kind):
                item.sub_items[-1].append(line)
            else:
                item.sub_kind = kind
                item.sub_items.append([marker.group(1)])
        elif marker:
            flush_paragraph()
            if list_kind != kind:
                flush_list()
                list_kind = kind
            items.append(_Item([marker.group(1)]))
        elif list_kind and indented:
            item = items[-1]  # an indented line continues the item above (or its last sub-item)
            (item.sub_items[-1] if item.sub_items else item.lines).append(line)
        else:
            flush_list()
            paragraph.append(line)
    flush_paragraph()
    flush_list()
    out.html = "\n".join(parts)
    return out


def plain_text(text: str) -> str:
    """The words a reader sees, without the markup: what search looks into and excerpts are cut from."""
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            lines.append("")
            continue
        block = False
        for pattern in (HEADING, BULLET, NUMBER):
            match = pattern.match(line)
            if match:
                line, block = match.group(match.lastindex), True
                break
        line = re.sub(r"\[([^\[\]\n]+)\]\((?:url|guide):[A-Za-z0-9_-]+\)", r"\1", line)
        line = BOLD.sub(r"\1", line)
        if block and line[-1:].isalnum():
            line += "."  # a heading or a list item reads as a sentence in an excerpt
        lines.append(line)
    # Blocks become sentences on one line, so that an excerpt reads as prose.
    return re.sub(r"\s+", " ", " \n".join(lines)).strip()
