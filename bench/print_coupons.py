"""Printing coupon sheets: coupons per second on one core and peak memory, beside the raw libraries.

    .venv/bin/python bench/print_coupons.py --count 100000 --out /tmp/coupons.pdf

Each measurement runs in its own process pinned to one CPU, so each peak RSS (getrusage ru_maxrss) is its
own. The rows:

- pcn print_coupons: the real thing (pcn.coupons.printing over pcn.lib.pdfstream), coupons made on the fly
  from a generator as a database cursor would hand them over; also its RSS after the first tenth of the
  run, to show that memory stays flat;
- zxing-cpp alone: only encoding the same number of QR codes (the floor: no drawing, no PDF);
- ReportLab canvas: the same page layout drawn with ReportLab (shared parts as ReportLab forms, the same
  zxing-cpp matrices drawn as one path each), for a smaller count, since ReportLab holds every page in
  memory until it saves; pcn is run again at that count for a like-for-like comparison;
- imports only: what Python and the libraries cost before printing anything.

Targets (issue 3): at least 2,000 coupons per second on one core; 100,000 coupons under 300 MB RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BASE_URL = "https://coupons.example.org/c/"
TARGET_RATE = 2000
TARGET_RSS_MB = 300


def codes(count: int):
    """Distinct 12-symbol code-shaped strings, cheap and repeatable (the real format is pcn.coupons.codes)."""
    for i in range(count):
        n = (i * 0x9E3779B97F4A7C15 + 0x1234567) % (1 << 60)
        yield "".join(ALPHABET[(n >> (5 * k)) & 31] for k in range(12))


def coupons(count: int):
    from pcn.coupons.printing import PrintableCoupon

    for number, code in enumerate(codes(count), start=1):
        yield PrintableCoupon(
            code_display=f"{code[:4]}-{code[4:8]}-{code[8:]}",
            url=BASE_URL + code,
            value_cents=500,
            program_name="Marché de Saint-Éloi",
            class_name="Fruits et légumes",
            class_products="Légumes, fruits, fines herbes",
            valid_from=date(2026, 6, 13),
            valid_until=date(2026, 9, 5),
            colour="#1f6b3a",
            series_label="Série 3",
            number=number,
            booklet=(number - 1) // 20 + 1,
        )


def rss_now_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


# --- the measurements, each run in a child process ----------------------------------------------------


def run_pcn(count: int, out: str) -> dict:
    from pcn.coupons.printing import print_coupons

    early = {}

    def progress(printed: int) -> None:
        if not early and printed >= count // 10:
            early.update(coupons=printed, rss_mb=rss_now_mb())

    start = time.perf_counter()
    with open(out, "wb") as file:
        printed = print_coupons(coupons(count), file, on_progress=progress, title="Série 3")
    seconds = time.perf_counter() - start
    return {
        "count": printed,
        "seconds": seconds,
        "bytes": os.path.getsize(out),
        "early": early,
        "rss_end_mb": rss_now_mb(),
    }


def run_zxing(count: int, out: str) -> dict:
    import zxingcpp

    start = time.perf_counter()
    for code in codes(count):
        image = zxingcpp.create_barcode(BASE_URL + code, zxingcpp.BarcodeFormat.QRCode, ec_level="M").to_image(
            scale=1, add_quiet_zones=False
        )
        memoryview(image).tobytes()
    return {"count": count, "seconds": time.perf_counter() - start, "bytes": 0}


def run_reportlab(count: int, out: str) -> dict:
    """The same sheet with ReportLab's canvas: what we would write without our own streaming writer."""
    from reportlab.lib.colors import Color
    from reportlab.pdfgen.canvas import Canvas

    from pcn.coupons import printing as p

    start = time.perf_counter()
    canvas = Canvas(out, pagesize=p.LETTER, pageCompression=1)
    canvas.setTitle("Série 3")
    colour = p.parse_colour("#1f6b3a")
    first = next(coupons(1))

    canvas.beginForm("design")
    canvas.setFillColorRGB(*colour)
    canvas.rect(p.BLEED, p.COUPON_HEIGHT - p.BAND - p.BLEED, p.COUPON_WIDTH - 2 * p.BLEED, p.BAND, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont("Helvetica-Bold", 9.5)
    canvas.drawString(p.PAD, p.COUPON_HEIGHT - p.BAND - p.BLEED + 6.5, first.program_name)
    canvas.setFillColorRGB(0, 0, 0)
    for text, font, size, baseline in (
        (p.format_value(first.value_cents), "Helvetica-Bold", 30, 86),
        (first.class_name, "Helvetica-Bold", 10, 69),
        (first.class_products, "Helvetica", 8, 58),
        (p.format_validity(first.valid_from, first.valid_until), "Helvetica", 7.5, 46),
        (p.WORDS["fr"]["rules"], "Helvetica", 7, 8),
    ):
        canvas.setFont(font, size)
        canvas.drawString(p.PAD, baseline, text)
    canvas.endForm()

    canvas.beginForm("sheet")
    canvas.setStrokeColor(Color(*p.GREY))
    canvas.setLineWidth(0.4)
    canvas.setDash(3, 3)
    left, bottom = p.GRID_LEFT, p.GRID_BOTTOM
    right, top = left + p.COLUMNS * p.COUPON_WIDTH, bottom + p.ROWS * p.COUPON_HEIGHT
    for i in range(p.COLUMNS + 1):
        canvas.line(left + i * p.COUPON_WIDTH, bottom, left + i * p.COUPON_WIDTH, top)
    for j in range(p.ROWS + 1):
        canvas.line(left, bottom + j * p.COUPON_HEIGHT, right, bottom + j * p.COUPON_HEIGHT)
    canvas.endForm()

    slot = p.PER_PAGE
    printed = 0
    for coupon in coupons(count):
        if slot == p.PER_PAGE:
            if printed:
                canvas.showPage()
            canvas.doForm("sheet")
            slot = 0
        x = p.GRID_LEFT + (slot % p.COLUMNS) * p.COUPON_WIDTH
        y = p.GRID_BOTTOM + (p.ROWS - 1 - slot // p.COLUMNS) * p.COUPON_HEIGHT
        canvas.saveState()
        canvas.translate(x, y)
        canvas.doForm("design")
        matrix, columns = p.qr_matrix(coupon.url)
        module = p.QR_SIDE / columns
        qr_left = p.COUPON_WIDTH - max(p.PAD, 4 * module) - p.QR_SIDE
        qr_bottom = p.COUPON_HEIGHT - p.BLEED - p.BAND - 4 * module - p.QR_SIDE
        path = canvas.beginPath()
        for row in range(columns):
            line = matrix[row * columns : (row + 1) * columns]
            col = 0
            while col < columns:
                if line[col] == 0:
                    end = col
                    while end < columns and line[end] == 0:
                        end += 1
                    path.rect(
                        qr_left + col * module, qr_bottom + (columns - 1 - row) * module, (end - col) * module, module
                    )
                    col = end
                else:
                    col += 1
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.setFont("Helvetica", 6.5)
        canvas.drawCentredString(qr_left + p.QR_SIDE / 2, qr_bottom - 4 * module - 5, f"Série 3 · nº {coupon.number}")
        canvas.setFont("Courier-Bold", 13)
        canvas.drawString(p.PAD, 24, coupon.code_display)
        canvas.restoreState()
        slot += 1
        printed += 1
    canvas.save()
    return {"count": printed, "seconds": time.perf_counter() - start, "bytes": os.path.getsize(out)}


def run_imports(count: int, out: str) -> dict:
    import reportlab.pdfgen.canvas  # noqa: F401
    import zxingcpp  # noqa: F401

    import pcn.coupons.printing  # noqa: F401

    return {"count": 0, "seconds": 0.0, "bytes": 0}


RUNS = {"pcn": run_pcn, "zxing": run_zxing, "reportlab": run_reportlab, "imports": run_imports}


def child(which: str, count: int, out: str, cpu: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    result = RUNS[which](count, out)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def measure(which: str, count: int, out: str, cpu: int) -> dict:
    command = [sys.executable, __file__, "--child", which, "--count", str(count), "--out", out, "--cpu", str(cpu)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="coupons for pcn and zxing-cpp (100,000)")
    parser.add_argument("--reportlab-count", type=int, default=5_000, help="coupons for the ReportLab run (5,000)")
    parser.add_argument("--out", default="/tmp/pcn-coupons.pdf", help="where pcn writes its PDF")
    parser.add_argument("--cpu", type=int, default=None, help="the CPU to pin every run to (default: one we may use)")
    parser.add_argument("--child", choices=sorted(RUNS), help=argparse.SUPPRESS)
    args = parser.parse_args()

    cpu = args.cpu
    if cpu is None:
        cpu = min(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0
    if args.child:
        child(args.child, args.count, args.out, cpu)
        return 0

    small = args.reportlab_count
    stem = Path(args.out)
    rows = [
        ("imports only", measure("imports", 0, os.devnull, cpu)),
        (f"zxing-cpp alone: {args.count:,} QR codes", measure("zxing", args.count, os.devnull, cpu)),
        (f"pcn print_coupons: {args.count:,}", measure("pcn", args.count, str(stem), cpu)),
        (f"pcn print_coupons: {small:,}", measure("pcn", small, str(stem.with_name(stem.stem + "-small.pdf")), cpu)),
        (
            f"ReportLab canvas: {small:,}",
            measure("reportlab", small, str(stem.with_name(stem.stem + "-reportlab.pdf")), cpu),
        ),
    ]

    print(f"Printing coupons on one core (CPU {cpu}), Python {sys.version.split()[0]}")
    print(f"{'run':<40} {'seconds':>8} {'coupons/s':>10} {'peak RSS MB':>12} {'file MB':>8}")
    for label, r in rows:
        rate = f"{r['count'] / r['seconds']:,.0f}" if r["seconds"] else "-"
        size = f"{r['bytes'] / 2**20:.1f}" if r["bytes"] else "-"
        print(f"{label:<40} {r['seconds']:>8.2f} {rate:>10} {r['peak_rss_mb']:>12.1f} {size:>8}")

    big = rows[2][1]
    rate = big["count"] / big["seconds"]
    early = big["early"]
    print(
        f"\npcn memory: RSS {early.get('rss_mb', 0):.1f} MB after {early.get('coupons', 0):,} coupons, "
        f"{big['rss_end_mb']:.1f} MB after {big['count']:,}; peak {big['peak_rss_mb']:.1f} MB"
    )
    ok_rate, ok_rss = rate >= TARGET_RATE, big["peak_rss_mb"] < TARGET_RSS_MB
    print(f"target {TARGET_RATE:,} coupons/s: {'met' if ok_rate else 'MISSED'} ({rate:,.0f})")
    print(f"target peak RSS < {TARGET_RSS_MB} MB: {'met' if ok_rss else 'MISSED'} ({big['peak_rss_mb']:.1f} MB)")
    return 0 if ok_rate and ok_rss else 1


if __name__ == "__main__":
    sys.exit(main())
