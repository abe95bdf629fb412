"""Online redemption through the stall API on PostgreSQL, 50 concurrent clients, beside pgbench running the
same SQL; and the server's memory under that load.

    python bench/redeem_online.py [--clients 50] [--requests 60] [--coupons 50000] [--workers 2]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pcn_bench; the database is dropped and created
anew, then migrated: never point it at a real database). It builds a program whose season runs today, with an
authorized vendor, `--coupons` coupons issued and sold to the public, and one linked device per client. Then:

- HTTP: gunicorn serves the app (DEBUG off) on a local port; `--clients` threads each POST
  /api/v1/stall/redeem `--requests` times with codes no other request uses, as the stall page does online
  (one device each, a fresh nonce, the sale point). Requests per second, p50 and p99 of the latency each client
  saw. Afterwards the accepted redemptions in the database must equal the "accepted" answers, and
  `season_verify` must find the custody ledger intact.
- Memory: the RSS of the gunicorn master and workers, sampled during the HTTP run (peak VmRSS, VmHWM, and PSS,
  which counts pages shared after the fork once).
- pgbench: the statements one redemption sends, as a pgbench script (its INSERTs are the ones Django sent for
  a redemption through the test client, and the bench checks that the script still sends the same statements
  to the same tables in the same order), run by `--clients` connections on a second season of the same
  program with its own coupons (its chain is hashed with SHA-256 in SQL, not the ledger's HMAC, so that
  season is not verified). tps, p50 and p99 from pgbench's per-transaction log, and each statement's mean.

Every accepted redemption locks its season's row (the ledger's lock), so redemptions of one season are written
one at a time on both sides: the figures measure that critical section more than the CPU.

The gunicorn, client threads and PostgreSQL share this machine's cores: the HTTP side also pays for its own
client. The other stall benchmarks (redeem_sync.py, stall_transfer.py) import the helpers here.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pcn_bench")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcn.settings")
os.environ["DEBUG"] = ""  # as production runs; the test client below needs its host allowed
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"

from issue_coupons import fresh_database  # noqa: E402

# The test client below goes through WhiteNoise, which warns that this process has no collected static files.
warnings.filterwarnings("ignore", message="No directory at")

GUNICORN = Path(sys.executable).with_name("gunicorn")
PGBENCH = shutil.which("pgbench") or "/usr/bin/pgbench"


# --- the world ---------------------------------------------------------------------------------------------


def django_fresh() -> None:
    """Drop and create the bench database, set Django up, migrate."""
    fresh_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def stall_world(*, coupons: int, devices: int, sql_coupons: int = 0) -> dict:
    """A program whose season runs today (as the tests' running_world builds it), an authorized vendor with one
    sale point, a vendor user, `coupons` coupons issued and sold to the public, `devices` linked devices.
    With `sql_coupons`, a second season of the same program ("Bench SQL", started a day earlier so that the
    stall page's season stays the first) with its own sold coupons, for the raw SQL side."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from pcn.accounts.models import Membership, Role
    from pcn.coupons.models import Colour, CustodyEvent
    from pcn.coupons.services import coupons_move, series_issue
    from pcn.markets.models import Market, SalePoint, Vendor, VendorAuthorization
    from pcn.programs.models import CouponClass, Denomination, Network, Program, Season
    from pcn.redemptions import services

    users = get_user_model().objects
    network = Network.objects.create(name="Réseau bench")
    program = Program.objects.create(network=network, name="PCN Bench", kind=Program.Kind.MRC, region="03",
                                     languages=["fr"])
    coordinator = users.create_user("bench-coordo")
    Membership.objects.create(user=coordinator, role=Role.COORDINATOR, program=program)
    market = Market.objects.create(program=program, name="Marché de Portneuf", municipality="Portneuf")
    sale_point = SalePoint.objects.create(market=market, name="Place du marché", kind="market",
                                          address="1 rue Principale")
    vendor = Vendor.objects.create(program=program, business_name="Ferme Bench", kind="producer",
                                   categories=["vegetables"])
    vendor.sale_points.add(sale_point)
    vendor_user = users.create_user("bench-marchand")
    Membership.objects.create(user=vendor_user, role=Role.VENDOR, program=program, vendor=vendor)

    today = timezone.localdate()

    def season_with_coupons(name: str, start: datetime.date, count: int):
        end = today + datetime.timedelta(days=53)
        season = Season.objects.create(
            program=program, name=name, starts_on=start, ends_on=end, weeks=12, household_size_cap=3,
            coupons_valid_from=start, coupons_valid_until=end, accepted_sale_point_kinds=["market", "farm_stand"],
        )
        Denomination.objects.create(season=season, value_cents=500)
        coupon_class = CouponClass.objects.create(season=season, name="Fruits et légumes",
                                                  categories=["vegetables", "fruit"])
        VendorAuthorization.objects.create(season=season, vendor=vendor, authorized_by=coordinator)
        series = series_issue(
            season=season, denomination_cents=500, coupon_class=coupon_class, colour=Colour.GREEN,
            valid_from=start, valid_until=end, funding_source="bench", count=count, by=coordinator,
        )
        coupons_move(season=season, kind=CustodyEvent.Kind.SELL, ranges=[(series.pk, 1, count)], by=coordinator)
        return season, series

    world = {"program": program, "market": market, "sale_point": sale_point, "vendor": vendor,
             "vendor_user": vendor_user, "coordinator": coordinator}
    if sql_coupons:
        world["sql_season"], world["sql_series"] = season_with_coupons(
            "Bench SQL", today - datetime.timedelta(days=31), sql_coupons)
    world["season"], world["series"] = season_with_coupons("Été bench", today - datetime.timedelta(days=30), coupons)
    world["codes"] = list(world["series"].coupons.order_by("number").values_list("code", flat=True))
    world["devices"] = [
        services.device_link(vendor=vendor, name=f"Téléphone {n}", by=vendor_user) for n in range(1, devices + 1)
    ]
    return world


def django_queries_per_redemption(world: dict) -> list[str]:
    """The SQL one online redemption sends (through Django's test client, codes the bench does not use). The
    second of two requests: the first also notes when the device was last seen (once a minute)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    _device, key = world["devices"][0]
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = Client().post(
                "/api/v1/stall/redeem",
                json.dumps({"code": world["codes"].pop(), "nonce": uuid.uuid4().hex,
                            "sale_point_id": world["sale_point"].pk}),
                content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}",
            )
        assert response.status_code == 200 and response.json()["outcome"] == "accepted", response.content
    return [q["sql"] for q in captured.captured_queries]


def statement_shape(sql: str) -> str:
    """What a statement does and to which table: "SELECT coupons_coupon", "BEGIN"... (to check that the pgbench
    script still sends what Django sends, in the same order)."""
    text = " ".join(sql.replace('"', "").split()).upper().rstrip(";").strip()
    if text.startswith(("BEGIN", "COMMIT", "ROLLBACK")):
        return text.split()[0]
    verb = text.split()[0]
    after = {"SELECT": " FROM ", "INSERT": " INTO ", "UPDATE": "UPDATE ", "DELETE": " FROM "}[verb]
    table = text.split(after, 1)[1].split()[0]
    lock = " FOR UPDATE" if text.endswith(" FOR UPDATE") else ""
    return f"{verb} {table.lower()}{lock}"


def script_statements(script: str) -> list[str]:
    """The SQL statements of a pgbench script (its own \\set lines left out)."""
    statements, current = [], []
    for line in script.splitlines():
        if line.startswith("\\"):
            continue
        current.append(line.split("\\gset")[0])
        if line.rstrip().endswith(";") or "\\gset" in line:
            statements.append(" ".join(current))
            current = []
    return statements


# --- the server --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving pcn.wsgi on a local port, DEBUG off, with the bench's DATABASE_URL and SECRET_KEY.

    `sync` workers: one request at a time each, no keep-alive. Redemptions of a season wait for one another on
    the season's row lock, so on two cores more processes than cores only take the CPU from the one holding
    the lock: 2 workers did a little better than 3 or 5, and much better than gthread (see README.md). --timeout is long
    enough for a 1,000-item sync."""

    def __init__(self, *, workers: int, threads: int = 1, log_dir: str, access_log: bool = False, **env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers, self.threads = workers, threads
        self.log = Path(log_dir) / "gunicorn.log"
        self.access_log = Path(log_dir) / "access.log" if access_log else None
        self.env = dict(os.environ, DEBUG="", ALLOWED_HOSTS="127.0.0.1,localhost",
                        DJANGO_SETTINGS_MODULE="pcn.settings", **env)

    def describe(self) -> str:
        kind = "sync" if self.threads == 1 else f"gthread × {self.threads} threads"
        return f"gunicorn {self.workers} workers ({kind})"

    def __enter__(self) -> Server:
        args = [str(GUNICORN), "pcn.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.workers), "--timeout", "300", "--backlog", "2048",
                "--error-logfile", str(self.log), "--log-level", "warning"]
        if self.threads > 1:
            args += ["--worker-class", "gthread", "--threads", str(self.threads)]
        if self.access_log:  # status, body bytes sent, Content-Length, request line
            args += ["--access-logfile", str(self.access_log),
                     "--access-logformat", '%(s)s %(B)s %({content-length}o)s "%(r)s"']
        self.process = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}:\n{self.log.read_text()[-2000:]}")
            try:
                status, _body, _headers = request(self.base, "GET", "/api/v1/openapi.json")
                if status == 200 and len(self.pids()) > self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer within a minute; see {self.log}")

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def pids(self) -> list[int]:
        """The master, then its workers."""
        master = self.process.pid
        workers = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                    workers.append(int(entry.name))
        return [master, *sorted(workers)]


def request(base: str, method: str, path: str, body=None, headers: dict | None = None, timeout: float = 300):
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


class MemorySampler(threading.Thread):
    """Samples the server's processes every `interval` seconds: per process the peak VmRSS seen, and VmHWM
    (the kernel's own peak) at the end; the peak of the sum of RSS and of PSS over all processes."""

    def __init__(self, server: Server, interval: float = 0.1):
        super().__init__(daemon=True)
        self.server, self.interval = server, interval
        self.stopping = threading.Event()
        self.rss_peak: dict[int, int] = {}
        self.hwm: dict[int, int] = {}
        self.total_rss_peak = self.total_pss_peak = 0

    @staticmethod
    def status_kb(pid: int) -> dict[str, int]:
        found = {}
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(("VmRSS:", "VmHWM:")):
                    found[line.split(":")[0]] = int(line.split()[1])
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    found["Pss"] = int(line.split()[1])
        except OSError:
            pass
        return found

    def sample(self) -> None:
        total_rss = total_pss = 0
        for pid in self.server.pids():
            kb = self.status_kb(pid)
            if "VmRSS" in kb:
                self.rss_peak[pid] = max(self.rss_peak.get(pid, 0), kb["VmRSS"])
                self.hwm[pid] = kb["VmHWM"]
                total_rss += kb["VmRSS"]
                total_pss += kb.get("Pss", 0)
        self.total_rss_peak = max(self.total_rss_peak, total_rss)
        self.total_pss_peak = max(self.total_pss_peak, total_pss)

    def run(self) -> None:
        while not self.stopping.is_set():
            self.sample()
            time.sleep(self.interval)

    def stop(self) -> None:
        self.stopping.set()
        self.join()
        self.sample()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of the values."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# --- the HTTP side -----------------------------------------------------------------------------------------


def http_run(server: Server, world: dict, *, clients: int, requests: int, warmup: int) -> dict:
    """`clients` threads, each with its own device, POSTing /redeem `warmup` then `requests` times (only the
    latter timed), each with a code nobody else sends."""
    need = clients * (warmup + requests)
    if need > len(world["codes"]):
        raise SystemExit(f"{need:,} codes needed, {len(world['codes']):,} issued: raise --coupons")
    codes = world["codes"][:need]
    del world["codes"][:need]
    host, port = server.base.removeprefix("http://").split(":")
    sale_point_id = world["sale_point"].pk
    latencies: list[list[float]] = [[] for _ in range(clients)]
    answers: list[dict] = [{} for _ in range(clients)]
    ready, go = threading.Barrier(clients + 1), threading.Event()

    def client(index: int) -> None:
        _device, key = world["devices"][index % len(world["devices"])]
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json", "Accept-Language": "fr"}
        conn = http.client.HTTPConnection(host, int(port), timeout=300)  # reconnects after each Connection: close
        mine = codes[index::clients]

        def once(code: str) -> tuple[float, str]:
            body = json.dumps({"code": code, "nonce": uuid.uuid4().hex, "sale_point_id": sale_point_id})
            started = time.perf_counter()
            for attempt in (1, 2):
                try:
                    conn.request("POST", "/api/v1/stall/redeem", body=body, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                    break
                except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                    # A kept-alive connection the server closed meanwhile: send again, as the page would
                    # (the same nonce, so it cannot be recorded twice).
                    conn.close()
                    if attempt == 2:
                        raise
            elapsed = time.perf_counter() - started
            outcome = json.loads(data).get("outcome", "?") if response.status == 200 else str(response.status)
            return elapsed, outcome

        for code in mine[:warmup]:
            once(code)
        ready.wait()
        go.wait()
        for code in mine[warmup:]:
            elapsed, outcome = once(code)
            latencies[index].append(elapsed)
            answers[index][outcome] = answers[index].get(outcome, 0) + 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    ready.wait()  # every client warmed up: every worker has imported everything and holds its connection
    sampler = MemorySampler(server)
    sampler.sample()
    idle = dict(sampler.rss_peak)
    sampler.rss_peak.clear()
    sampler.start()
    started = time.perf_counter()
    go.set()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    sampler.stop()
    flat = [x for per_client in latencies for x in per_client]
    outcomes: dict[str, int] = {}
    for per_client in answers:
        for outcome, n in per_client.items():
            outcomes[outcome] = outcomes.get(outcome, 0) + n
    return {"requests": len(flat), "seconds": seconds, "rate": len(flat) / seconds,
            "p50_ms": percentile(flat, 50) * 1000, "p99_ms": percentile(flat, 99) * 1000,
            "mean_ms": statistics.fmean(flat) * 1000, "outcomes": outcomes, "memory": sampler, "idle_rss": idle,
            "warmup": clients * warmup}


# --- the raw SQL side --------------------------------------------------------------------------------------

# What one online redemption sends to PostgreSQL, in Django's order (see django_queries_per_redemption):
# the device's key, the sale point the page chose, the nonce already seen?, then in one transaction the
# vendor's sale points, the coupon by code, the season row locked, the coupon again, the sale point's hours,
# the vendor's authorization, the coupon's conditional UPDATE, the chain's last event, the new event, its
# range, the redemption. Columns are read as Django reads them (every column of the joined rows); the
# @INSERT table@ lines become the INSERTs Django sent (pgbench_script), so a column added to the models is
# written here too. pgbench substitutes :variables as text in its simple query mode (Django's psycopg also
# sends literals).
PGBENCH_SCRIPT = """\
\\set device :first_device + (:client_id % :devices)
SELECT b.n AS n, b.code AS code FROM bench_codes b WHERE b.n = (SELECT nextval('bench_pick')) \\gset p_
SELECT d.*, v.*, p.*, u.* FROM redemptions_device d
  JOIN markets_vendor v ON v.id = d.vendor_id JOIN programs_program p ON p.id = v.program_id
  JOIN auth_user u ON u.id = d.linked_by_id
  WHERE d.key_hash = (SELECT key_hash FROM redemptions_device WHERE id = :device) LIMIT 21;
SELECT sp.*, m.* FROM markets_salepoint sp JOIN markets_vendor_sale_points vs ON vs.salepoint_id = sp.id
  JOIN markets_market m ON m.id = sp.market_id
  WHERE vs.vendor_id = :vendor AND sp.id = :sale_point ORDER BY sp.id LIMIT 1;
SELECT r.* FROM redemptions_redemption r WHERE r.device_id = :device AND r.nonce = 'pgbench-:p_n'
  ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1;
BEGIN;
SELECT sp.*, m.* FROM markets_salepoint sp JOIN markets_vendor_sale_points vs ON vs.salepoint_id = sp.id
  JOIN markets_market m ON m.id = sp.market_id WHERE vs.vendor_id = :vendor;
SELECT c.*, s.*, cc.*, se.*, c.id AS coupon_id, c.number AS number, c.series_id AS series_id,
       c.status AS status, c.value_cents AS value_cents, c.season_id AS season_id
  FROM coupons_coupon c JOIN coupons_series s ON s.id = c.series_id
  JOIN programs_couponclass cc ON cc.id = s.coupon_class_id JOIN programs_season se ON se.id = c.season_id
  WHERE c.code = ':p_code' ORDER BY c.series_id, c.number LIMIT 1 \\gset c_
SELECT * FROM programs_season WHERE id = :c_season_id LIMIT 21 FOR UPDATE;
SELECT c.*, s.*, cc.*, o.*, h.* FROM coupons_coupon c JOIN coupons_series s ON s.id = c.series_id
  JOIN programs_couponclass cc ON cc.id = s.coupon_class_id
  LEFT JOIN programs_organization o ON o.id = c.partner_id LEFT JOIN households_household h ON h.id = c.household_id
  WHERE c.id = :c_coupon_id LIMIT 21;
SELECT 1 AS a FROM markets_openinghours WHERE sale_point_id = :sale_point LIMIT 1;
SELECT 1 AS a FROM markets_vendorauthorization
  WHERE revoked_at IS NULL AND season_id = :c_season_id AND vendor_id = :vendor LIMIT 1;
UPDATE coupons_coupon SET status = 'redeemed', partner_id = NULL, household_id = NULL
  WHERE id = :c_coupon_id AND status = ':c_status';
SELECT sequence AS sequence, hash AS hash FROM coupons_custodyevent WHERE season_id = :c_season_id
  ORDER BY 1 DESC LIMIT 1 \\gset e_
@INSERT coupons_custodyevent@ \\gset ev_
@INSERT coupons_custodyeventrange@;
@INSERT redemptions_redemption@;
COMMIT;
"""

# What changes from one redemption to the next in the INSERTs, by table and column: pgbench's variables (the
# coupon it picked, the chain's last event, the event it wrote). Other columns keep the value Django sent
# for the same vendor, sale point and device kind; times become now().
INSERT_VARIABLES = {
    "coupons_custodyevent": {
        "season_id": ":c_season_id", "sequence": ":e_sequence + 1", "from_status": "':c_status'",
        "value_cents": ":c_value_cents", "by_id": ":user_id", "prev_hash": "':e_hash'",
        "hash": "encode(sha256(convert_to(':e_hash' || ':p_code', 'UTF8')), 'hex')",
    },
    "coupons_custodyeventrange": {
        "event_id": ":ev_id", "series_id": ":c_series_id", "first_number": ":c_number", "last_number": ":c_number",
    },
    "redemptions_redemption": {
        "season_id": ":c_season_id", "device_id": ":device", "coupon_id": ":c_coupon_id", "code": "':p_code'",
        "value_cents": ":c_value_cents", "nonce": "'pgbench-:p_n'", "event_id": ":ev_id", "recorded_by_id": ":user_id",
    },
}


def sql_values(text: str) -> list[str]:
    """The literals of a VALUES list as psycopg wrote them, split on the commas outside quotes."""
    values, current, quoted = [], [], False
    for char in text:
        if char == "'":
            quoted = not quoted
        if char == "," and not quoted:
            values.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    values.append("".join(current).strip())
    return values


def pgbench_script(django_sql: list[str]) -> str:
    """PGBENCH_SCRIPT with its @INSERT table@ lines replaced by the INSERTs of `django_sql` (one redemption
    as Django sent it), their changing values swapped for pgbench variables."""
    script = PGBENCH_SCRIPT
    for sql in django_sql:
        m = re.match(r'INSERT INTO "(\w+)" \((.*?)\) VALUES \((.*)\) RETURNING ', sql, re.S)
        if not m:
            continue
        table = m[1]
        columns = [c.strip().strip('"') for c in m[2].split(",")]
        values = []
        for column, value in zip(columns, sql_values(m[3]), strict=True):
            if column in INSERT_VARIABLES[table]:
                value = INSERT_VARIABLES[table][column]
            elif value.endswith("::timestamptz"):
                value = "now()"
            values.append(value)
        script = script.replace(
            f"@INSERT {table}@",
            f"INSERT INTO {table} ({', '.join(columns)})\n  VALUES ({', '.join(values)}) RETURNING id",
        )
    if "@INSERT" in script:
        raise RuntimeError(f"Django no longer sends the INSERTs the script expects:\n{script}")
    return script


# The lines of the script above, as `pgbench --report-per-command` lists them; the first two (choosing the
# device and the coupon) are the bench's own, the others are what Django sends.
PGBENCH_LABELS = [
    "\\set device", "pick a coupon", "device by key", "sale point chosen", "nonce seen?", "BEGIN",
    "vendor's sale points", "coupon by code", "season FOR UPDATE", "coupon again", "opening hours",
    "authorization", "UPDATE coupon", "last event", "INSERT event", "INSERT range", "INSERT redemption", "COMMIT",
]


def pgbench_prepare(world: dict, series) -> dict:
    """The table of coupons pgbench draws from (numbered 1..n, handed out by a sequence: each coupon once)
    and the variables of the script."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_codes; DROP SEQUENCE IF EXISTS bench_pick")
        cursor.execute(
            "CREATE TABLE bench_codes AS SELECT row_number() OVER (ORDER BY number) AS n, code "
            "FROM coupons_coupon WHERE series_id = %s AND status = 'sold'", [series.pk])
        cursor.execute("ALTER TABLE bench_codes ADD PRIMARY KEY (n); CREATE SEQUENCE bench_pick; ANALYZE")
    devices = [d.pk for d, _key in world["devices"]]
    assert devices == list(range(devices[0], devices[0] + len(devices)))
    return {
        "first_device": devices[0], "devices": len(devices), "vendor": world["vendor"].pk,
        "program": world["program"].pk, "market": world["market"].pk, "sale_point": world["sale_point"].pk,
        "user_id": world["vendor_user"].pk,
    }


def pgbench_run(script_text: str, variables: dict, *, clients: int, transactions: int, workdir: str,
                tag: str) -> dict:
    """Run the script: `clients` connections, `transactions` each. tps from pgbench; p50 and p99 from its
    per-transaction log; the average latency of each statement."""
    script = Path(workdir) / "redeem.sql"
    script.write_text(script_text)
    prefix = Path(workdir) / f"pgbench-{tag}"
    args = [PGBENCH, "--no-vacuum", "--client", str(clients), "--jobs", str(min(clients, 2)),
            "--transactions", str(transactions), "--file", str(script), "--report-per-command", "--log",
            f"--log-prefix={prefix}"]
    for name, value in variables.items():
        args += ["--define", f"{name}={value}"]
    args.append(os.environ["DATABASE_URL"])
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or "aborted" in done.stderr:
        raise RuntimeError(f"pgbench failed:\n{done.stdout}\n{done.stderr}")
    latencies = []
    for log in Path(workdir).glob(f"pgbench-{tag}*"):
        for line in log.read_text().splitlines():
            latencies.append(int(line.split()[2]) / 1000)  # microseconds → ms
    tps = float(re.search(r"tps = ([\d.]+) \(without initial", done.stdout).group(1))
    processed = int(re.search(r"actually processed: (\d+)", done.stdout).group(1))
    per_statement = [float(line.split()[0]) for line in
                     done.stdout.split("statement latencies in milliseconds")[1].splitlines()[1:] if line.strip()]
    return {"tps": tps, "transactions": processed, "seconds": seconds, "p50_ms": percentile(latencies, 50),
            "p99_ms": percentile(latencies, 99), "mean_ms": statistics.fmean(latencies),
            "per_statement": per_statement}


def accepted_count(season, source: str) -> int:
    from pcn.redemptions.models import Outcome, Redemption

    return Redemption.objects.filter(season=season, outcome=Outcome.ACCEPTED, source=source).count()


def machine_note() -> str:
    """How busy the cores were over one second before the run: other work on them lowers every figure."""

    def times() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait

    total, idle = times()
    time.sleep(1)
    total2, idle2 = times()
    busy = 1 - (idle2 - idle) / max(1, total2 - total)
    warning = " — other work is running: figures are lower than on a quiet machine" if busy > 0.2 else ""
    return f"{os.cpu_count()} CPUs, {busy:.0%} busy before the run{warning}"


def mb(kb: int) -> str:
    return f"{kb / 1024:,.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients on each side (50)")
    parser.add_argument("--requests", type=int, default=60, help="timed redemptions per HTTP client (60)")
    parser.add_argument("--warmup", type=int, default=4, help="untimed redemptions per HTTP client first (4)")
    parser.add_argument("--transactions", type=int, help="redemptions per pgbench client (as --requests)")
    parser.add_argument("--coupons", type=int, default=50_000, help="coupons sold in the season (50,000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker; > 1 uses gthread (1)")
    args = parser.parse_args()
    args.transactions = args.transactions or args.requests

    note = machine_note()
    started = time.perf_counter()
    django_fresh()
    sql_coupons = args.clients * args.transactions
    world = stall_world(coupons=args.coupons, devices=args.clients, sql_coupons=sql_coupons)
    django_sql = django_queries_per_redemption(world)
    setup_seconds = time.perf_counter() - started

    from pcn.coupons.ledger import season_verify
    from pcn.redemptions.models import Source

    workdir = tempfile.mkdtemp(prefix="pcn-bench-redeem-")
    before = accepted_count(world["season"], Source.STALL)
    with Server(workers=args.workers, threads=args.threads, log_dir=workdir) as server:
        web = http_run(server, world, clients=args.clients, requests=args.requests, warmup=args.warmup)
        pids = server.pids()
    accepted = accepted_count(world["season"], Source.STALL) - before - web["warmup"]
    started = time.perf_counter()
    problems = season_verify(world["season"])
    verify_seconds = time.perf_counter() - started

    variables = pgbench_prepare(world, world["sql_series"])
    script = pgbench_script(django_sql)
    raw = pgbench_run(script, variables, clients=args.clients, transactions=args.transactions, workdir=workdir,
                      tag="online")
    raw_accepted = accepted_count(world["sql_season"], Source.STALL)

    print(f"Online redemption on PostgreSQL, {args.clients} concurrent clients, {args.coupons:,} coupons sold "
          f"(setup {setup_seconds:.0f} s)")
    print(f"server: {server.describe()}, DEBUG off; clients: {args.clients} Python threads on the same machine; "
          f"{note}")
    print(f"{'':36}{'requests':>10}{'per s':>9}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
    print(f"{'HTTP POST /api/v1/stall/redeem':36}{web['requests']:>10,}{web['rate']:>9,.0f}"
          f"{web['p50_ms']:>9.1f}{web['p99_ms']:>9.1f}{web['mean_ms']:>9.1f}")
    print(f"{'pgbench, the same SQL':36}{raw['transactions']:>10,}{raw['tps']:>9,.0f}"
          f"{raw['p50_ms']:>9.1f}{raw['p99_ms']:>9.1f}{raw['mean_ms']:>9.1f}")
    print(f"HTTP throughput = {web['rate'] / raw['tps']:.0%} of pgbench's; p50 latency × "
          f"{web['p50_ms'] / raw['p50_ms']:.1f}")
    django_shapes = [statement_shape(q) for q in django_sql]
    script_shapes = [statement_shape(q) for q in script_statements(script)][1:]  # [0] picks a coupon
    print(f"SQL statements per redemption: Django {len(django_sql)} (BEGIN and COMMIT included); the pgbench "
          f"script sends {'the same ones' if django_shapes == script_shapes else 'OTHERS'}")
    if django_shapes != script_shapes:
        print("  Django:  " + " | ".join(django_shapes) + "\n  pgbench: " + " | ".join(script_shapes))
    print(f"answers: {web['outcomes']}; accepted in the database: {accepted:,} "
          f"({'equal' if accepted == web['outcomes'].get('accepted') else 'DIFFERENT'}); pgbench rows accepted: "
          f"{raw_accepted:,}")
    print(f"season_verify afterwards: {'no problem' if not problems else problems[:3]} ({verify_seconds:.1f} s)")
    print("pgbench mean latency per statement, ms: "
          + ", ".join(f"{label} {ms:.2f}" for label, ms in list(zip(PGBENCH_LABELS, raw["per_statement"]))[2:]))

    memory = web["memory"]
    print(f"\nServer memory during the HTTP run ({len(pids) - 1} workers), MB")
    print(f"{'process':14}{'RSS idle':>10}{'peak RSS':>10}{'VmHWM':>10}")
    for n, pid in enumerate(pids):
        label = "master" if n == 0 else f"worker {n}"
        print(f"{label:14}{mb(web['idle_rss'].get(pid, 0)):>10}{mb(memory.rss_peak.get(pid, 0)):>10}"
              f"{mb(memory.hwm.get(pid, 0)):>10}")
    print(f"{'sum':14}{mb(sum(web['idle_rss'].values())):>10}{mb(memory.total_rss_peak):>10}"
          f"{mb(sum(memory.hwm.values())):>10}")
    print(f"peak PSS of all processes (shared pages counted once): {mb(memory.total_pss_peak)} MB")
    share, p99, pss = web["rate"] / raw["tps"], web["p99_ms"], memory.total_pss_peak / 1024
    print(f"\ntarget HTTP ≥ 25 % of pgbench's throughput: {'met' if share >= 0.25 else 'MISSED'} ({share:.0%}); "
          f"p99 < 2 s: {'met' if p99 < 2000 else 'MISSED'} ({p99:,.0f} ms); "
          f"server < 300 MB PSS: {'met' if pss < 300 else 'MISSED'} ({pss:,.0f} MB)")
    shutil.rmtree(workdir, ignore_errors=True)
    ok = not problems and accepted == web["outcomes"].get("accepted") == web["requests"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
