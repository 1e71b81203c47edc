"""Browser fixtures: Debian's headless Chromium (/usr/bin/chromium) driven by Playwright's
sync API against pytest-django's live server. Without Chromium the browser tests skip,
unless FACTBASE_REQUIRE_BROWSER=1 (CI), where they fail: in CI they must run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API drives an asyncio loop from this thread; Django refuses ORM calls
# made while a loop runs in the thread unless told the (single-threaded) use is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("FACTBASE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and FACTBASE_REQUIRE_BROWSER=1 requires the browser tests to run.")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium):
    """A factory of pages, each in its own browser context (its own cookies: one per user).
    Any uncaught JavaScript error on a page fails the test."""
    contexts, errors = [], []

    def make():
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == [], "JavaScript errors on the pages"


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str, *, full_page: bool = False) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save
