"""A document as a PDF: a wording version filled with a program's values (ReportLab platypus).

Every page ends with the footer naming the template and its version, in the document's language:
« Modèle « Entente avec les marchands » v3 du 26 novembre 2026 ». The poster is set big and shrunk, if it
must be, to stay on one letter page; the other documents flow over as many pages as they need.
"""

import io
from html import escape

from django.utils import timezone

from pcn.documents import wording
from pcn.documents.kinds import FIXED, NAMES, POSTERS
from pcn.documents.models import WordingVersion
from pcn.documents.placeholders import Facts, day, values

MARGIN = 54  # points: 3/4 inch


def footer_text(version: WordingVersion) -> str:
    language = version.language
    return FIXED[language]["footer"].format(
        name=NAMES[version.kind][language], number=version.number,
        date=day(timezone.localdate(version.created_at), language),
    )


def _styles(poster: bool):
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    if not poster:
        body = ParagraphStyle("body", parent=base["Normal"], fontSize=11, leading=15, spaceAfter=6)
        return {
            1: ParagraphStyle("h1", parent=base["Title"], fontSize=20, leading=24, spaceAfter=10, keepWithNext=1),
            2: ParagraphStyle("h2", parent=base["Heading2"], fontSize=14, leading=18, spaceBefore=8,
                                spaceAfter=4, keepWithNext=1),
            3: ParagraphStyle("h3", parent=base["Heading3"], fontSize=12, leading=15, spaceBefore=6,
                                spaceAfter=2, keepWithNext=1),
            "body": body,
            "item": ParagraphStyle("item", parent=body, spaceAfter=3),
            "cell": ParagraphStyle("cell", parent=body, fontSize=10, leading=12, spaceAfter=0),
        }
    body = ParagraphStyle("pbody", parent=base["Normal"], fontSize=26, leading=32, alignment=TA_CENTER, spaceAfter=14)
    return {
        1: ParagraphStyle("p1", parent=base["Title"], fontSize=54, leading=60, alignment=TA_CENTER, spaceAfter=24),
        2: ParagraphStyle("p2", parent=base["Title"], fontSize=34, leading=40, alignment=TA_CENTER, spaceAfter=14),
        3: ParagraphStyle("p3", parent=base["Title"], fontSize=28, leading=34, alignment=TA_CENTER, spaceAfter=10),
        "body": body,
        "item": ParagraphStyle("pitem", parent=body, fontSize=24, leading=30, spaceAfter=8),
        "cell": ParagraphStyle("pcell", parent=body, fontSize=22, leading=26, spaceAfter=0),
    }


def _flowables(body: str, facts_values, styles, width: float, poster: bool) -> list:
    from reportlab.lib import colors
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, Spacer, Table, TableStyle

    story = []
    for block in wording.blocks(body):
        if block.kind == "heading":
            story.append(Paragraph(wording.inline(block.text, facts_values), styles[block.level]))
        elif block.kind == "paragraph":
            story.append(Paragraph(wording.inline(block.text, facts_values), styles["body"]))
        elif block.kind in ("bullets", "numbers", "list"):

            texts = ([escape(i, quote=False) for i in facts_values.lists[block.text]] if block.kind == "list"
                     else [wording.inline(i, facts_values) for i in block.items])
            if poster:  # centred lines read better from a few metres than bullets
                story += [Paragraph(t, styles["item"]) for t in texts]
                continue
            items = [ListItem(Paragraph(t, styles["item"]), leftIndent=18) for t in texts]
            if block.kind == "numbers":
                story.append(ListFlowable(items, bulletType="1", bulletFormat="%s.", leftIndent=18,
                                          bulletFontSize=styles["item"].fontSize))
            else:
                story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=18,
                                          bulletFontSize=styles["item"].fontSize * 0.8))
            story.append(Spacer(1, styles["body"].spaceAfter))
        elif block.kind == "table":
            rows = wording.table_rows(block, facts_values)
            columns = max([len(block.header or [])] + [len(r) for r in rows] + [1])
            data = []
            if block.header:
                data.append([Paragraph(f"<b>{wording.inline(c, facts_values)}</b>", styles["cell"])
                             for c in (block.header + [""] * columns)[:columns]])
            data += [[Paragraph(c, styles["cell"]) for c in (r + [""] * columns)[:columns]] for r in rows]
            if not data:
                continue
            blank_height = styles["cell"].leading * 1.9  # room to write by hand
            # A row with an empty cell is filled in by hand: it gets the room for it.
            heights = ([None] if block.header else []) + [None if all(r) else blank_height for r in rows]
            table = Table(data, colWidths=[width / columns] * columns, rowHeights=heights,
                          repeatRows=1 if block.header else 0)
            table.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee") if block.header else colors.white),
                ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]))
            story += [table, Spacer(1, 10)]
    return story


def document_pdf(version: WordingVersion, facts: Facts) -> bytes:
    """The document of `version` (its kind and language) filled with `facts`."""
    from reportlab.lib.pagesizes import letter
    from reportlab.platypus import KeepInFrame, SimpleDocTemplate

    poster = version.kind in POSTERS
    language = version.language
    filled = values(facts, language)
    width, height = letter
    frame_width = width - 2 * MARGIN
    story = _flowables(version.body, filled, _styles(poster), frame_width, poster)
    footer = footer_text(version)
    page_word = FIXED[language]["page"]

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(MARGIN, MARGIN / 2, footer)
        if not poster:
            canvas.drawRightString(width - MARGIN, MARGIN / 2, page_word.format(page=doc.page))
        canvas.restoreState()

    if poster:
        story = [KeepInFrame(frame_width, height - 2 * MARGIN - 12, story, mode="shrink")]
    buffer = io.BytesIO()
    title = wording.title(version.body)
    SimpleDocTemplate(
        buffer, pagesize=letter, title=title, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN, bottomMargin=MARGIN,
    ).build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
