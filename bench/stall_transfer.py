"""The stall page's transfer size on a phone: first load with an empty cache, then repeat loads.

    python bench/stall_transfer.py [--coupons 50000]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pcn_bench; dropped and created anew: never point
it at a real database) and the world and server of redeem_online.py, with the static files collected as a
deployment does (WhiteNoise then serves them gzipped). Chromium (/usr/bin/chromium, through Playwright) plays a
phone at 360 px:

- linking: the vendor signs in and links the phone (the page's own flow; the bench only stops the link page
  from opening the stall, so that the stall's first load below starts from an empty HTTP cache);
- first load: /stall/ on that linked phone, with an empty HTTP cache and no service worker yet: the shell,
  its style, script, icons and manifest, the service worker (which keeps its own copy of the shell), the
  coupon list (/api/v1/stall/cache) and the day's figures;
- repeat load: a reload, nothing changed on the server (the service worker answers, the list is not modified);
- repeat load after one redemption elsewhere in the season: the list's ETag follows the season's custody
  ledger, so any change in the season sends the whole list again.

Bytes are the response bodies as the server sent them (gunicorn's access log: gzipped where the browser asked
and the file exists compressed), requests included those the service worker made; each response also costs
about 300 bytes of headers.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import redeem_online as online  # noqa: E402  (sets the environment up for Django, as the other benches do)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "bench-only-password"
LOG_LINE = re.compile(r'^(\d{3}) (\d+|-) (\d+|-) "(\w+) (\S+) ')


class AccessLog:
    """Reads what gunicorn logged since the last mark."""

    def __init__(self, path: Path):
        self.path, self.offset = path, 0

    def quiet(self, seconds: float = 1.5, timeout: float = 30) -> None:
        """Wait until nothing was logged for `seconds` (the page and its worker are done)."""
        deadline, last_size, last_change = time.monotonic() + timeout, -1, time.monotonic()
        while time.monotonic() < deadline:
            size = self.path.stat().st_size
            if size != last_size:
                last_size, last_change = size, time.monotonic()
            elif time.monotonic() - last_change >= seconds:
                return
            time.sleep(0.1)

    def take(self) -> list[tuple[int, int, str, str]]:
        """(status, bytes, method, path) of every request logged since the last take."""
        with open(self.path) as f:
            f.seek(self.offset)
            text = f.read()
            self.offset = f.tell()
        rows = []
        for line in text.splitlines():
            m = LOG_LINE.match(line)
            if m:  # gunicorn does not count what sendfile sent (WhiteNoise's files): take Content-Length then
                sent = max(int(n) for n in (m[2], m[3], "0") if n != "-")
                rows.append((int(m[1]), sent, m[4], m[5].split("?")[0]))
        return rows


def summary(rows) -> tuple[int, int]:
    return len(rows), sum(r[1] for r in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coupons", type=int, default=50_000, help="coupons sold in the season (50,000)")
    args = parser.parse_args()

    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    online.django_fresh()
    world = online.stall_world(coupons=args.coupons, devices=1)
    world["vendor_user"].set_password(PASSWORD)
    world["vendor_user"].save()

    workdir = tempfile.mkdtemp(prefix="pcn-bench-transfer-")
    env = {"PCN_DATA_DIR": workdir, "SECURE_COOKIES": "0"}  # plain http on 127.0.0.1
    subprocess.run([str(online.GUNICORN.with_name("pcn")), "collectstatic", "--noinput", "-v", "0"],
                   env=dict(online.os.environ, **env), check=True)
    loads: list[tuple[str, list]] = []
    with online.Server(workers=2, log_dir=workdir, access_log=True, **env) as server, sync_playwright() as pw:
        log = AccessLog(server.access_log)
        log.take()
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=server.base, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
            device_scale_factor=2, locale="fr-CA", timezone_id="America/Toronto",
        )
        context.set_default_timeout(60_000)
        page = context.new_page()

        # Linking, as the vendor does it; the stall itself is not opened yet.
        page.goto("/login/")
        page.fill("input[name=username]", world["vendor_user"].username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
        page.goto("/stall/link/")
        page.fill("input[name=name]", "Téléphone de Marie")
        stall_url = f"{server.base}/stall/"
        page.route(stall_url, lambda route: route.abort())
        with page.expect_event("requestfailed", lambda r: r.url == stall_url):
            page.click("button[type=submit].primary")
        for attempt in range(5):  # leave the error page before Chromium reloads it by itself
            try:
                page.goto("about:blank")
                break
            except PlaywrightError:  # interrupted by the error page's own navigation
                page.wait_for_timeout(200)
        page.unroute(stall_url)
        log.quiet()
        loads.append(("linking: sign in, link (not the stall)", log.take()))
        cdp = context.new_cdp_session(page)
        cdp.send("Network.clearBrowserCache")

        def ready(first: bool) -> None:
            if first:
                page.wait_for_function("navigator.serviceWorker.controller !== null")
            page.locator("#device").filter(has_text="liste des coupons").wait_for()
            log.quiet()

        page.goto("/stall/")
        ready(first=True)
        loads.append(("first load, empty cache", log.take()))
        page.reload()
        ready(first=False)
        loads.append(("repeat load, nothing changed", log.take()))

        _device, key = world["devices"][0]  # another phone of the vendor takes a coupon meanwhile
        status, body, _headers = online.request(
            server.base, "POST", "/api/v1/stall/redeem", {"code": world["codes"][0], "nonce": uuid.uuid4().hex},
            {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        assert status == 200 and json.loads(body)["outcome"] == "accepted", body
        log.take()
        page.reload()
        ready(first=False)
        loads.append(("repeat load, after a redemption", log.take()))

        status, cache_body, _headers = online.request(
            server.base, "GET", "/api/v1/stall/cache", None, {"Authorization": f"Bearer {key}"})
        assert status == 200
        browser.close()
    online.shutil.rmtree(workdir, ignore_errors=True)

    first = loads[1][1]
    print(f"Stall page transfer on a phone (Chromium, 360 px), season of {args.coupons:,} coupons in circulation")
    print(f"{'load':40}{'requests':>9}{'KB':>9}")
    for label, rows in loads:
        n, size = summary(rows)
        print(f"{label:40}{n:>9}{size / 1024:>9.1f}")
    print("\nfirst load, by address (status: requests):")
    by_path: dict[str, list] = defaultdict(list)
    for row in first:
        by_path[row[3]].append(row)
    for path, rows in sorted(by_path.items(), key=lambda item: -sum(r[1] for r in item[1])):
        statuses = ", ".join(f"{s}×{sum(1 for r in rows if r[0] == s)}" for s in sorted({r[0] for r in rows}))
        print(f"  {path:52}{sum(r[1] for r in rows) / 1024:>8.1f} KB  ({statuses})")
    for label, rows in loads[2:]:
        print(f"{label}: " + ", ".join(f"{r[3]} {r[0]} {r[1]:,} B" for r in rows))
    from django.contrib.staticfiles import finders

    served = gzipped = 0
    for status, sent, _method, path in first:
        if status == 200 and path.startswith("/static/") and path.endswith((".js", ".css")):
            served += sent
            gzipped += len(gzip.compress(Path(finders.find(path.removeprefix("/static/"))).read_bytes()))
    print(f"\nscripts and styles on the first load: {served / 1024:.1f} KB sent, {gzipped / 1024:.1f} KB "
          f"once gzipped")
    data = json.loads(cache_body)
    prefixes = sum(len(s["prefixes"]) for s in data["series"])
    print(f"/api/v1/stall/cache for this season: {len(cache_body) / 1024:.1f} KB "
          f"({prefixes / 1024:.1f} KB of base64 prefixes for {args.coupons - 1:,} live coupons); "
          f"{len(gzip.compress(cache_body)) / 1024:.1f} KB once gzipped")
    shell_kb = sum(r[1] for r in first if r[3] != "/api/v1/stall/cache") / 1024
    again_kb = summary(loads[2][1])[1] / 1024
    print(f"\ntarget first load, apart from the coupon list, < 100 KB: {'met' if shell_kb < 100 else 'MISSED'} "
          f"({shell_kb:.0f} KB); "
          f"a reload with nothing changed < 20 KB: {'met' if again_kb < 20 else 'MISSED'} ({again_kb:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
