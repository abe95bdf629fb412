"""Syncing an offline batch of 1,000 redemptions through the stall API on PostgreSQL, beside pgbench running the
same SQL for 1,000 redemptions.

    python bench/redeem_sync.py [--items 1000] [--workers 2]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pcn_bench; dropped and created anew: never point
it at a real database) and the world and server of redeem_online.py. One device uploads, in one POST
/api/v1/stall/sync, `--items` coupons it took offline (each with its nonce, the time the phone saw it and the
sale point), all in circulation; then the very same batch again, as a phone does when the answer to its first
upload was lost: it must record nothing new and answer the same results (it should be faster too).

Beside it:
- pgbench, one connection, `--items` transactions of the statements one redemption sends (redeem_online.py's
  script: the service commits each item in its own transaction, and so does this);
- pgbench, one connection, `--items` lookups of a nonce already recorded (what the second upload needs).

Also the number of SQL statements per item, counted through Django's test client on a small batch, first
upload and again.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import redeem_online as online  # noqa: E402  (sets the environment up for Django, as the other benches do)

NONCE_SCRIPT = """\
\\set device :first_device
\\set n random(1, :recorded)
SELECT r.* FROM redemptions_redemption r WHERE r.device_id = :device AND r.nonce = 'pgbench-:n'
  ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1;
"""


def batch(codes: list[str], sale_point_id: int) -> list[dict]:
    """Items as the stall page queues them offline: a coupon each, taken over the last hour."""
    now = datetime.datetime.now(datetime.UTC)
    return [
        {"nonce": uuid.uuid4().hex, "kind": "coupon", "code": code, "sale_point_id": sale_point_id,
         "client_at": (now - datetime.timedelta(seconds=3600 - i)).strftime("%Y-%m-%dT%H:%M:%SZ")}
        for i, code in enumerate(codes)
    ]


def queries_per_item(world: dict, items: int = 20) -> tuple[float, float]:
    """SQL statements per item of a small batch through Django's test client: first upload, then again."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    _device, key = world["devices"][-1]
    body = json.dumps({"items": batch([world["codes"].pop() for _ in range(items)], world["sale_point"].pk)})
    counts = []
    for _upload in (1, 2):
        with CaptureQueriesContext(connection) as captured:
            response = Client().post("/api/v1/stall/sync", body, content_type="application/json",
                                     HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 200, response.content
        counts.append(len(captured.captured_queries) / items)
    return counts[0], counts[1]


def upload(server: online.Server, key: str, items: list[dict]) -> tuple[float, list[dict], int]:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json", "Accept-Language": "fr"}
    started = time.perf_counter()
    status, body, _headers = online.request(server.base, "POST", "/api/v1/stall/sync", {"items": items}, headers)
    seconds = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"sync answered {status}: {body[:500]!r}")
    return seconds, json.loads(body)["results"], len(body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1000, help="items in the batch (1,000, the API's maximum)")
    parser.add_argument("--coupons", type=int, default=50_000, help="coupons sold in the season (50,000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2)")
    args = parser.parse_args()

    note = online.machine_note()
    started = time.perf_counter()
    online.django_fresh()
    world = online.stall_world(coupons=args.coupons, devices=2, sql_coupons=args.items)
    script = online.pgbench_script(online.django_queries_per_redemption(world))
    per_item_first, per_item_again = queries_per_item(world)
    setup_seconds = time.perf_counter() - started

    from pcn.coupons.ledger import season_verify
    from pcn.redemptions.models import Redemption, Source

    device, key = world["devices"][0]
    items = batch(world["codes"][: args.items], world["sale_point"].pk)
    workdir = tempfile.mkdtemp(prefix="pcn-bench-sync-")
    with online.Server(workers=args.workers, log_dir=workdir) as server:
        upload(server, key, batch([world["codes"][-1]], world["sale_point"].pk))  # warm the worker up
        recorded_before = Redemption.objects.filter(device=device).count()
        first_seconds, first, answer_bytes = upload(server, key, items)
        recorded_first = Redemption.objects.filter(device=device).count() - recorded_before
        again_seconds, again, _bytes = upload(server, key, items)
        recorded_again = Redemption.objects.filter(device=device).count() - recorded_before - recorded_first
    outcomes: dict[str, int] = {}
    for result in first:
        outcomes[result["outcome"]] = outcomes.get(result["outcome"], 0) + 1
    same = [(r["nonce"], r["outcome"], r["recorded_at"]) for r in first] == [
        (r["nonce"], r["outcome"], r["recorded_at"]) for r in again]
    offline_rows = Redemption.objects.filter(
        device=device, source=Source.OFFLINE, outcome="accepted", nonce__in=[i["nonce"] for i in items]).count()
    problems = season_verify(world["season"])

    variables = online.pgbench_prepare(world, world["sql_series"])
    raw = online.pgbench_run(script, variables, clients=1, transactions=args.items, workdir=workdir, tag="sync")
    nonce_script = Path(workdir) / "nonce.sql"
    nonce_script.write_text(NONCE_SCRIPT)
    raw_again = pgbench_nonce(variables, recorded=raw["transactions"], transactions=args.items, workdir=workdir)

    n = args.items
    print(f"Syncing a batch of {n:,} offline redemptions on PostgreSQL, one device, {args.coupons:,} coupons sold "
          f"(setup {setup_seconds:.0f} s)")
    print(f"server: {server.describe()}, DEBUG off; {note}")
    print(f"{'':44}{'seconds':>9}{'items/s':>9}{'ms/item':>9}")
    rows = [
        ("POST /api/v1/stall/sync, first upload", first_seconds),
        ("pgbench, same SQL, 1 connection, 1 tx/item", raw["seconds"]),
        ("POST /api/v1/stall/sync, same batch again", again_seconds),
        ("pgbench, nonce lookups only", raw_again),
    ]
    for label, seconds in rows:
        print(f"{label:44}{seconds:>9.2f}{n / seconds:>9,.0f}{seconds / n * 1000:>9.2f}")
    print(f"first upload = {raw['seconds'] / first_seconds:.0%} of pgbench's speed; "
          f"the same batch again takes {again_seconds / first_seconds:.0%} of the first upload's time")
    print(f"request body {len(json.dumps({'items': items})) / 1024:.0f} KB, answer {answer_bytes / 1024:.0f} KB")
    print(f"SQL statements per item (Django, 20-item batch): first upload {per_item_first:.1f}, "
          f"again {per_item_again:.1f}")
    print(f"first upload: {outcomes}; rows recorded: {recorded_first:,} (offline, accepted: {offline_rows:,}); "
          f"again: {recorded_again} new rows, results {'identical' if same else 'DIFFERENT'}")
    print(f"season_verify afterwards: {'no problem' if not problems else problems[:3]}")
    print(f"target first upload < 15 s (the stall page gives up on a request after 15 s): "
          f"{'met' if first_seconds < 15 else 'MISSED'} ({first_seconds:.1f} s); the same batch again < 25 % of it: "
          f"{'met' if again_seconds < first_seconds / 4 else 'MISSED'} ({again_seconds / first_seconds:.0%})")
    online.shutil.rmtree(workdir, ignore_errors=True)
    ok = not problems and recorded_again == 0 and same and outcomes == {"accepted": n} and recorded_first == n
    return 0 if ok else 1


def pgbench_nonce(variables: dict, *, recorded: int, transactions: int, workdir: str) -> float:
    """Seconds for `transactions` lookups of a nonce pgbench recorded, one connection."""
    args = [online.PGBENCH, "--no-vacuum", "--client", "1", "--transactions", str(transactions),
            "--file", str(Path(workdir) / "nonce.sql"), "--define", f"first_device={variables['first_device']}",
            "--define", f"recorded={recorded}", online.os.environ["DATABASE_URL"]]
    started = time.perf_counter()
    done = online.subprocess.run(args, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or "aborted" in done.stderr:
        raise RuntimeError(f"pgbench failed:\n{done.stdout}\n{done.stderr}")
    return seconds


if __name__ == "__main__":
    sys.exit(main())
