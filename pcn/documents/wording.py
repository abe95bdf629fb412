"""A wording: the words of one document template, in a small Markdown subset with placeholders.

What a wording may hold, and nothing else:

- ``# Titre`` (the document's title: a wording starts with one), ``## Section``, ``### Sous-section``;
- paragraphs (lines side by side; a blank line ends them) and ``**gras**``;
- bulleted (``- ``) and numbered (``1. ``) lists;
- tables: lines that start with ``|``; a line of dashes (``|---|---|``) under the first one makes it the
  header. A rows placeholder alone on a line inside a table adds rows to it;
- placeholders ``{{ name }}`` (pcn.documents.placeholders).

`check` lists what is wrong in a wording, in words its editor understands; `blocks` parses it; `html` and
(pcn.documents.pdf) the PDF writer fill the blocks with a program's values. Every piece of text is escaped
before ``**`` becomes bold, so neither the wording nor a program's data can inject markup.
"""

import re
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

from pcn.documents.placeholders import LIST, PLACEHOLDERS, ROWS, TEXT, Values

MAX_LENGTH = 20_000
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_]*)\s*\}\}")
ALONE = re.compile(r"^\{\{\s*([A-Za-z0-9_]+)\s*\}\}$")
HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*$")
BULLET = re.compile(r"^[-*]\s+(.*)$")
NUMBER = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


@dataclass
class Block:
    kind: str  # heading, paragraph, bullets, numbers, table, list (a list placeholder)
    text: str = ""
    level: int = 0
    items: list | None = None  # list items; for a table, rows: a list of cells, or the name of a rows placeholder
    header: list | None = None  # a table's header cells


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip() for cell in inner.split("|")]


def blocks(body: str) -> list[Block]:
    """Parse a wording (assumed checked) into blocks."""
    out: list[Block] = []
    paragraph: list[str] = []
    current: Block | None = None  # an open list or table

    def flush():
        nonlocal current
        if paragraph:
            out.append(Block("paragraph", text=" ".join(paragraph)))
            paragraph.clear()
        if current is not None:
            out.append(current)
            current = None

    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        alone = ALONE.match(line)
        sort = PLACEHOLDERS.get(alone.group(1), (None,))[0] if alone else None
        if current is not None and current.kind == "table" and (line.startswith("|") or sort == ROWS):
            if sort == ROWS:
                current.items.append(alone.group(1))
            elif SEPARATOR.match(line):
                if current.header is None and len(current.items) == 1 and isinstance(current.items[0], list):
                    current.header = current.items.pop()
            else:
                current.items.append(_cells(line))
            continue
        if line.startswith("|") and not SEPARATOR.match(line):
            flush()
            current = Block("table", items=[_cells(line)])
            continue
        if sort == LIST:
            flush()
            out.append(Block("list", text=alone.group(1)))
            continue
        heading = HEADING.match(line)
        if heading:
            flush()
            out.append(Block("heading", text=heading.group(2), level=len(heading.group(1))))
            continue
        marker = BULLET.match(line) or NUMBER.match(line)
        if marker:
            kind = "bullets" if BULLET.match(line) else "numbers"
            if paragraph or current is None or current.kind != kind:
                flush()
                current = Block(kind, items=[])
            current.items.append(marker.group(1))
            continue
        if current is not None and current.kind in ("bullets", "numbers") and raw[:1].isspace():
            current.items[-1] += " " + line  # an indented line continues the item above
            continue
        if current is not None:
            out.append(current)
            current = None
        paragraph.append(line)
    flush()
    return out


def _known() -> str:
    return ", ".join("{{ %s }}" % name for name in PLACEHOLDERS)


def check(body: str) -> list[str]:
    """What is wrong with a wording, one sentence each; empty when it may be saved."""
    problems: list[str] = []
    text = body.strip()
    if not text:
        return [_("Le texte est vide. Écrivez au moins le titre du document, sur une ligne qui commence par « # ».")]
    if len(body) > MAX_LENGTH:
        problems.append(_("Le texte est trop long : au plus %(max)s caractères.") % {"max": MAX_LENGTH})
    first = text.splitlines()[0].strip()
    if not (HEADING.match(first) and HEADING.match(first).group(1) == "#"):
        problems.append(_("La première ligne doit être le titre du document, précédé de « # » et d'une espace, "
                          "par exemple « # Entente avec les marchands »."))
    unknown: list[str] = []
    in_table = False
    for number, raw in enumerate(body.splitlines(), start=1):
        line = raw.strip()
        for match in PLACEHOLDER.finditer(line):
            name = match.group(1)
            if name not in PLACEHOLDERS:
                if name not in unknown:
                    unknown.append(name)
                continue
            sort = PLACEHOLDERS[name][0]
            alone = ALONE.match(line)
            if sort == ROWS and not (alone and in_table):
                problems.append(_("Ligne %(line)s : {{ %(name)s }} ajoute des lignes à un tableau. Mettez-le seul sur "
                                  "sa ligne, sous l'en-tête du tableau (les lignes qui commencent par « | »).")
                                % {"line": number, "name": name})
            elif sort == LIST and not alone:
                problems.append(_("Ligne %(line)s : {{ %(name)s }} devient une liste. Mettez-le seul sur sa ligne.")
                                % {"line": number, "name": name})
        leftover = PLACEHOLDER.sub("", line)
        if "{{" in leftover or "}}" in leftover:
            problems.append(_("Ligne %(line)s : ces accolades doubles ne forment pas un repère. Écrivez un repère "
                              "ainsi : {{ program }}.") % {"line": number})
        alone = ALONE.match(line)
        rows_line = bool(alone) and PLACEHOLDERS.get(alone.group(1), (None,))[0] == ROWS
        in_table = line.startswith("|") or (in_table and rows_line)
    if unknown:
        problems.insert(0, _("Repère inconnu : %(unknown)s. Les repères connus sont : %(known)s.")
                        % {"unknown": ", ".join("{{ %s }}" % (name or "") for name in unknown), "known": _known()})
    return problems


def inline(text: str, values: Values) -> str:
    """A line of wording as safe markup (escaped, ``<b>`` for bold): what both HTML and ReportLab read."""
    parts: list[str] = []

    def mark(match: re.Match) -> str:
        name = match.group(1)
        if PLACEHOLDERS.get(name, (None,))[0] != TEXT:
            return match.group(0)
        parts.append(values.text[name])
        return f"\x00{len(parts) - 1}\x01"

    marked = PLACEHOLDER.sub(mark, text.replace("\x00", "").replace("\x01", ""))
    markup = BOLD.sub(r"<b>\1</b>", escape(marked, quote=False))
    return re.sub(r"\x00(\d+)\x01", lambda m: escape(parts[int(m.group(1))], quote=False), markup)


def table_rows(block: Block, values: Values) -> list[list[str]]:
    """A table's body rows as safe markup, rows placeholders expanded and every row as wide as the header."""
    width = max([len(block.header or [])] + [len(r) for r in block.items if isinstance(r, list)])
    rows = []
    for row in block.items:
        if isinstance(row, str):
            rows.extend([escape(cell, quote=False) for cell in r] for r in values.rows[row])
        else:
            rows.append([inline(cell, values) for cell in row])
    return [(row + [""] * width)[:width] for row in rows]


def html(body: str, values: Values) -> str:
    """The wording filled with `values`, as HTML for the editing page's preview."""
    parts = []
    for block in blocks(body):
        if block.kind == "heading":
            level = block.level + 1  # the page has its own <h1>
            parts.append(f"<h{level}>{inline(block.text, values)}</h{level}>")
        elif block.kind == "paragraph":
            parts.append(f"<p>{inline(block.text, values)}</p>")
        elif block.kind in ("bullets", "numbers", "list"):
            tag = "ol" if block.kind == "numbers" else "ul"
            items = ([escape(i, quote=False) for i in values.lists[block.text]] if block.kind == "list"
                     else [inline(i, values) for i in block.items])
            parts.append(f"<{tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{tag}>")
        elif block.kind == "table":
            rows = table_rows(block, values)
            head = ""
            if block.header:
                width = len(rows[0]) if rows else len(block.header)
                header = (block.header + [""] * width)[:max(width, len(block.header))]
                head = "<thead><tr>" + "".join(f"<th>{inline(c, values)}</th>" for c in header) + "</tr></thead>"
            body_html = "".join("<tr>" + "".join(f"<td>{c or '&nbsp;'}</td>" for c in r) + "</tr>" for r in rows)
            parts.append(f'<div class="table-wrap"><table>{head}<tbody>{body_html}</tbody></table></div>')
    return "\n".join(parts).replace("<b>", "<strong>").replace("</b>", "</strong>")


def title(body: str) -> str:
    """The wording's title (its first heading), as plain text."""
    for block in blocks(body):
        if block.kind == "heading":
            return BOLD.sub(r"\1", block.text)
    return ""
