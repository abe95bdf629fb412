"""Charts drawn by the server, with no script and no outside service: the same shapes become inline SVG for a
page and a ReportLab drawing for a PDF.

A chart is laid out once into plain shapes (rectangles, lines and text, in points, y downwards as in SVG);
`svg()` writes them as an <svg> element that scales to the page's width, `drawing()` as a ReportLab
`Drawing` (y upwards, so flipped). Two kinds cover the dashboards:

- `columns`: one group of columns per label (e.g. per week), one column per series (e.g. handed out and
  redeemed), with a legend and a scale;
- `bars`: one horizontal bar per row (e.g. per partner), its label above it and its value after it, so that
  long names fit on a phone.

Values are integers (cents or counts); `fmt` turns one into the text shown.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

# Print-friendly, tell-apart colours (also in greyscale): green, blue, orange, purple.
PALETTE = ("#1f6b3a", "#1f4e9c", "#d9661f", "#6b2f8a")
INK, MUTED, GRID = "#1b1b1b", "#555555", "#d0d0d0"
WIDTH = 320  # points: about a phone's width inside a card, so text keeps its size there
FONT = 13


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID


@dataclass
class Text:
    x: float
    y: float  # baseline
    text: str
    anchor: str = "start"  # start, middle, end
    size: float = FONT
    fill: str = INK


@dataclass
class Chart:
    title: str
    width: float
    height: float
    shapes: list = field(default_factory=list)
    empty: bool = False

    def svg(self) -> SafeString:
        parts = [
            f'<svg class="chart" viewBox="0 0 {self.width:g} {self.height:g}" role="img" '
            f'aria-label="{escape(self.title)}" xmlns="http://www.w3.org/2000/svg" '
            f'font-family="system-ui, sans-serif"><title>{escape(self.title)}</title>'
        ]
        for s in self.shapes:
            if isinstance(s, Rect):
                parts.append(f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" height="{s.h:.1f}" fill="{s.fill}"/>')
            elif isinstance(s, Line):
                parts.append(f'<line x1="{s.x1:.1f}" y1="{s.y1:.1f}" x2="{s.x2:.1f}" y2="{s.y2:.1f}" '
                             f'stroke="{s.stroke}" stroke-width="1"/>')
            else:
                parts.append(f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size:g}" fill="{s.fill}" '
                             f'text-anchor="{s.anchor}">{escape(s.text)}</text>')
        parts.append("</svg>")
        return mark_safe("".join(parts))

    def drawing(self, width: float | None = None, font: str = "Helvetica"):
        """A ReportLab Drawing of `width` points (the chart's own by default), scaled evenly."""
        from reportlab.graphics.shapes import Drawing, Group
        from reportlab.graphics.shapes import Line as RLine
        from reportlab.graphics.shapes import Rect as RRect
        from reportlab.graphics.shapes import String
        from reportlab.lib.colors import HexColor

        scale = (width or self.width) / self.width
        drawing = Drawing(self.width * scale, self.height * scale)
        group = Group()
        h = self.height
        for s in self.shapes:
            if isinstance(s, Rect):
                group.add(RRect(s.x, h - s.y - s.h, s.w, s.h, fillColor=HexColor(s.fill), strokeColor=None))
            elif isinstance(s, Line):
                group.add(RLine(s.x1, h - s.y1, s.x2, h - s.y2, strokeColor=HexColor(s.stroke), strokeWidth=0.5))
            else:
                group.add(String(s.x, h - s.y, s.text, fontName=font, fontSize=s.size, fillColor=HexColor(s.fill),
                                 textAnchor=s.anchor))
        group.scale(scale, scale)
        drawing.add(group)
        return drawing


def _nice_ceiling(value: int) -> int:
    """The scale's top: a round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten), at least `value`,
    so that the tallest bar fills most of the height."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for m in (10, 15, 20, 25, 30, 40, 50, 60, 80):
            if m * step >= value * 10:
                return max(1, m * step // 10)
        step *= 10


def _fit(text: str, width: float, size: float = FONT) -> str:
    """Cut a label to what fits in `width` points (about half an em per character)."""
    most = max(3, int(width / (size * 0.55)))
    return text if len(text) <= most else text[: most - 1] + "…"


def columns(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
            fmt: Callable[[int], str], *, width: float = WIDTH, colours: Sequence[str] = PALETTE) -> Chart:
    """Grouped columns: `series` is [(name, one value per label)], drawn in `colours` in order."""
    legend_h, top, bottom, left = 20 * len(series), 8, 30, 4
    plot_h = 150
    height = legend_h + top + plot_h + bottom
    chart = Chart(title=title, width=width, height=height, empty=not any(v for _, vs in series for v in vs))
    shapes = chart.shapes
    for index, (name, _values) in enumerate(series):
        y = 14 + 20 * index
        shapes.append(Rect(left, y - 11, 12, 12, colours[index % len(colours)]))
        shapes.append(Text(left + 18, y, name))
    highest = _nice_ceiling(max([v for _, vs in series for v in vs] or [0]))
    base = legend_h + top + plot_h
    shapes.append(Text(width - 2, legend_h + top + 10, fmt(highest), anchor="end", size=11, fill=MUTED))
    shapes.append(Line(left, legend_h + top, width, legend_h + top))
    shapes.append(Line(left, legend_h + top + plot_h / 2, width, legend_h + top + plot_h / 2))
    shapes.append(Line(left, base, width, base, stroke=MUTED))
    n = max(len(labels), 1)
    group_w = (width - left) / n
    bar_w = max(1.0, group_w * 0.8 / max(len(series), 1))
    every = max(1, int(n * 40 // (width - left)) + 1)  # label every k-th group so labels never overlap
    for i, label in enumerate(labels):
        x0 = left + i * group_w + group_w * 0.1
        for j, (_name, values) in enumerate(series):
            value = values[i]
            h = plot_h * value / highest if value > 0 else 0
            if h:
                shapes.append(Rect(x0 + j * bar_w, base - h, bar_w, h, colours[j % len(colours)]))
        if i % every == 0:
            shapes.append(Text(left + i * group_w + group_w / 2, base + 14, label, anchor="middle", size=9,
                               fill=MUTED))
    return chart


def bars(title: str, rows: Sequence[tuple[str, int]], fmt: Callable[[int], str], *, width: float = WIDTH,
         colour: str = PALETTE[0]) -> Chart:
    """One horizontal bar per (label, value), the label above its bar and the value after it."""
    row_h = 40
    height = max(row_h * len(rows), row_h) + 4
    chart = Chart(title=title, width=width, height=height, empty=not any(v for _, v in rows))
    highest = max([v for _, v in rows] or [0]) or 1
    value_w = 90
    for i, (label, value) in enumerate(rows):
        y = i * row_h
        chart.shapes.append(Text(2, y + 14, _fit(label, width - 4)))
        w = (width - value_w - 4) * max(value, 0) / highest
        if w:
            chart.shapes.append(Rect(2, y + 19, max(w, 1.5), 14, colour))
        chart.shapes.append(Text(2 + w + 4, y + 31, fmt(value), size=12, fill=MUTED))
    return chart
