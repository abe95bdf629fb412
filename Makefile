# Everyday commands. Needs only Python 3.11+ and make; everything else is installed into .venv.
#
#   make demo                       migrate, seed one login per role, serve on http://127.0.0.1:8000
#                                   with the background-task worker alongside (Ctrl-C stops both)
#   make test                       the whole suite (SQLite; DATABASE_URL=postgres://... for PostgreSQL)
#   make test PYTEST_ARGS='-k coupon -x'
#   make bench                      benchmarks (issuing, redeeming, paying and closing on PostgreSQL, printing,
#                                   the stall page's transfer, the dashboards on a simulated province), figures
#                                   side by side with raw
#   make messages                   refresh and compile translations (needs gettext)
#   make clean                      remove the virtualenv and build leftovers (keeps var/, the demo data)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: venv install demo test bench messages clean

venv install: $(STAMP)

# Re-installs only when the pins or the project metadata change.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# The worker runs the background tasks (printing, exports) next to the server; Ctrl-C stops both.
demo: $(STAMP)
	DEBUG=1 $(BIN)/pcn migrate --noinput
	DEBUG=1 $(BIN)/pcn seed_demo
	DEBUG=1 $(BIN)/pcn worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		DEBUG=1 $(BIN)/pcn runserver 127.0.0.1:8000

# Tests run with DEBUG off, as production does; SECRET_KEY is then required.
# Nothing lands in the tree: no .pytest_cache, no var/ (PCN_DATA_DIR), Hypothesis' examples in /tmp
# (conftest). pytest's exit status fails the target; 5 means it collected no test, a failure here too.
test: $(STAMP)
	env DEBUG= SECRET_KEY=test-only-secret PCN_DATA_DIR="$${TMPDIR:-/tmp}/pcn-test-data" \
		$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

# Benchmarks (not part of the tests): each hot path side by side with the raw library or database doing
# the same work. Issuing and redeeming need PostgreSQL (DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/pcn_bench, dropped and created anew) and pgbench; the stall page's
# transfer needs Chromium (/usr/bin/chromium). The dashboards' bench fills its own database
# (postgres://postgres@127.0.0.1:5432/pcn_bench_reports) with `pcn simulate_season` (over an hour on a busy 2-core
# machine); `python bench/reports.py --reuse` times the pages again on what an earlier run left.
bench: $(STAMP)
	$(BIN)/python bench/issue_coupons.py --count 1000000
	$(BIN)/python bench/print_coupons.py --count 100000 --out "$${TMPDIR:-/tmp}/pcn-bench-coupons.pdf"
	$(BIN)/python bench/redeem_online.py --clients 50 --requests 60
	$(BIN)/python bench/redeem_sync.py --items 1000
	$(BIN)/python bench/stall_transfer.py
	$(BIN)/python bench/payments.py
	$(BIN)/python bench/reports.py

# For maintainers: French is the source language, so only the English catalogue is generated.
# Run inside pcn/ so that neither .venv nor var/ is scanned and everything lands in pcn/locale.
messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "make messages needs GNU gettext (Debian: apt-get install gettext)" >&2; exit 1; }
	cd pcn && DEBUG=1 ../$(BIN)/pcn makemessages -l en --no-obsolete
	cd pcn && DEBUG=1 ../$(BIN)/pcn compilemessages

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis screenshots
	find pcn -name __pycache__ -type d -prune -exec rm -rf {} +
