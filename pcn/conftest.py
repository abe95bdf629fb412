"""Fixtures for the whole suite: test-only settings, and real Chromium for the browser tests.

Browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright against pytest-django's
live server. Write them like this:

    @pytest.mark.browser
    def test_it_shows_the_login_form_on_a_phone(live_server, phone_page, log_in):
        log_in(phone_page, "coord", "a long password")
        ...

`phone_page` (360x740, touch) and `desktop_page` (1280x800) are fresh browser contexts per test;
`page` is a phone unless parametrized indirectly with a viewport, e.g.
`@pytest.mark.parametrize("page", [PHONE, DESKTOP], indirect=True)`; `make_page(...)` opens more.
Any test that uses these fixtures runs on a transactional database (the live server is another
thread) and is marked `browser` even if the author forgot. When Chromium is missing the tests
skip, or fail when PCN_REQUIRE_BROWSER=1 (CI sets it). `screenshot(page, "name")` saves
screenshots/<test>-<name>.png when PCN_SCREENSHOTS=1, for people reviewing pages.
`assert sideways_overflow(page) == 0` checks that a page does not scroll sideways.

A page that throws an uncaught JavaScript error, asks for anything outside the live server (a CDN,
a font service), or whose stylesheet, script or image fails to load, fails its test at teardown.
"""

import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API keeps an asyncio loop in the test thread, so Django would refuse the ORM calls
# that the test itself makes (SynchronousOnlyOperation). The test thread is still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Hypothesis keeps its example database (failures to replay) outside the work tree.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "pcn-hypothesis"))

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "screenshots"
SUBRESOURCES = {"stylesheet", "script", "image", "font", "manifest", "media"}
BROWSER_FIXTURES = {"browser", "make_page", "page", "phone_page", "desktop_page"}


def sideways_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport it was opened with (0 when it fits).

    Compares with the configured viewport, not window.innerWidth: in mobile emulation, as on a real
    phone, Chromium widens the layout viewport to the content, so innerWidth grows with the overflow.
    """
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    return max(0, scroll_width - page.viewport_size["width"])


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes", "on")


def pytest_collection_modifyitems(config, items):
    # `-m "not browser"` must leave out every test that starts Chromium, marked by hand or not.
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _test_files(tmp_path_factory):
    """Uploaded and generated files go to a temporary MEDIA_ROOT, never to var/."""
    from django.test import override_settings

    root = tmp_path_factory.mktemp("pcn-files")
    (root / "static").mkdir()
    with override_settings(
        STATIC_ROOT=str(root / "static"),
        MEDIA_ROOT=str(root / "media"),
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_on_sqlite():
    """On SQLite the live server's threads share the test database's one in-memory connection, and two
    requests at once (the stall page sends several) can lock each other up: there, serve one at a time.
    PostgreSQL keeps the threaded server (each thread has its own connection)."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    class OneAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)  # requests run in the live server's own thread, already set up

    if connection.vendor == "sqlite":
        LiveServerThread.server_class = OneAtATime
    yield


@pytest.fixture(autouse=True)
def _browser_test_settings(request):
    """The live server speaks plain http, so cookies cannot be marked Secure as they are in production."""
    if not request.node.get_closest_marker("browser"):
        return
    request.getfixturevalue("transactional_db")
    settings = request.getfixturevalue("settings")
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False


def _browser_unavailable(reason: str):
    if _env_flag("PCN_REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (PCN_REQUIRE_BROWSER=1, so browser tests must run)", pytrace=False)
    pytest.skip(f"{reason}; install it with: apt-get install chromium fonts-dejavu-core")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session; each test gets its own context."""
    if not CHROMIUM.exists():
        _browser_unavailable(f"browser tests need Debian's Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable("browser tests need the playwright package (make install)")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except BaseException:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def make_page(browser, live_server):
    """Opens a page in a fresh browser context: make_page(viewport=PHONE, mobile=True, locale="fr-CA")."""
    origin = urlsplit(live_server.url)
    contexts = []
    problems = []

    def stay_local(route):
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != origin.netloc:
            problems.append(f"request outside the live server: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    def check_subresource(response):
        # A page may answer 403 or 404 on purpose; its stylesheet, script or picture may not.
        if response.status >= 400 and response.request.resource_type in SUBRESOURCES:
            problems.append(f"{response.request.resource_type} {response.url} answered {response.status}")

    def make(viewport=PHONE, mobile=None, locale="fr-CA"):
        if mobile is None:
            mobile = viewport["width"] < 768
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            is_mobile=mobile,
            has_touch=mobile,
            device_scale_factor=2 if mobile else 1,
            locale=locale,
            timezone_id="America/Toronto",
        )
        context.set_default_timeout(10_000)
        context.route("**/*", stay_local)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"JavaScript error on {page.url}: {error}"))
        page.on("response", check_subresource)
        return page

    yield make
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def page(request, make_page):
    return make_page(viewport=getattr(request, "param", PHONE))


@pytest.fixture
def phone_page(make_page):
    return make_page(viewport=PHONE)


@pytest.fixture
def desktop_page(make_page):
    return make_page(viewport=DESKTOP)


@pytest.fixture
def log_in(live_server):
    """Logs a user in through the real login page, as a person would: log_in(page, username, password).

    The password defaults to the one pcn.testing.make_user gives everyone.
    """
    from django.conf import settings

    def log_in(page, username: str, password: str | None = None):
        if password is None:
            from pcn.testing import PASSWORD as password
        page.goto("/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
        cookies = {cookie["name"] for cookie in page.context.cookies()}
        assert settings.SESSION_COOKIE_NAME in cookies, (
            f"logging in as {username!r} did not open a session; the page at {page.url} says:\n"
            + page.inner_text("body")[:1000]
        )
        return page

    return log_in


@pytest.fixture
def screenshot(request):
    """screenshot(page, "name") saves screenshots/<test>-<name>.png when PCN_SCREENSHOTS=1."""

    def take(page, name: str = "page"):
        if not _env_flag("PCN_SCREENSHOTS"):
            return None
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", f"{request.node.name}-{name}")
        path = SCREENSHOT_DIR / f"{stem}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
