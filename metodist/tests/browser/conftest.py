"""Fixtures of the browser tests: a headless Debian Chromium driven by Playwright against `live_server`.

The tests run with `make test-browser` (marker `browser`); `scripts/browser-setup.sh` installs Chromium.
Playwright never downloads a browser of its own here: it drives the system's /usr/bin/chromium.
"""

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import Browser, Page, expect, sync_playwright

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
# Two cores shared with a second test run: give pages more than Playwright's default 5 s.
expect.set_options(timeout=15_000)

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google's hosts, refused on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A browser test that runs longer than this fails with its traceback instead of hanging the run.
TEST_TIME_LIMIT = 300
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
DEMO_PASSWORD = "metodist-demo"


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(TEST_TIME_LIMIT))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory) -> None:
    """On SQLite the browser tests use a database file, not the in-memory database of the other tests.

    With an in-memory database the live server's request threads all share the test thread's one
    connection, and two requests of a page at once (the page and an htmx part) can deadlock in SQLite
    for good: the suite then hangs with nothing printed. With a file each thread has its own connection.
    """
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("browser-db") / "test.sqlite3")


# Package scope: one Chromium for all browser tests, and gone (with the variable below) after them.
@pytest.fixture(scope="package")
def browser(django_db_setup) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/browser-setup.sh` (as root it installs it)")
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.fail("run the browser tests on their own (`make test-browser`): they need a database file")
    # Playwright's sync API runs an event loop in the test's thread, where Django then refuses ORM
    # calls (the demo data, the database flush). Allowed only while the browser runs: left in the
    # environment, the variable would reach later tests' subprocesses (`check --deploy` rejects it).
    with _environ(DJANGO_ALLOW_ASYNC_UNSAFE="true"), sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@contextmanager
def _environ(**variables: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def failed_responses() -> list[str]:
    """Every response with an error status the test's pages got: pages, htmx partials, static files."""
    return []


@pytest.fixture
def open_page(browser, live_server, failed_responses) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh browser context (its own cookies) whose browser asks for `locale`."""
    contexts = []

    def record(response) -> None:
        if response.status >= 400:
            failed_responses.append(f"{response.status} {response.request.method} {response.url}")

    def open_(locale: str = "ru-RU") -> Page:
        context = browser.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        context.on("response", record)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page) -> Page:
    """A page of a browser whose user reads Russian, as the network's librarians do."""
    return open_page()


@pytest.fixture
def screenshot(request) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot to test-artifacts/screenshots/<test name>-<label>.png."""

    def save(page: Page, label: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", f"{request.node.name}-{label}")
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def demo(transactional_db) -> None:
    """The demo network and its people (logins of `make run`, password metodist-demo) in the test database."""
    call_command("demo", "--quiet")


@pytest.fixture
def log_in(page) -> Callable[..., Page]:
    """Log in through the login form, as a person does."""

    def log_in_(username: str, password: str = DEMO_PASSWORD, *, on: Page | None = None) -> Page:
        target = on or page
        target.goto("/accounts/login/")
        form = target.locator("form:has(input[name=password])")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(password)
        form.locator("[type=submit]").click()
        target.wait_for_load_state()
        return target

    return log_in_
