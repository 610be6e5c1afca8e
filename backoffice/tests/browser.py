"""Playwright fixtures for browser tests: Debian's chromium, screenshots under artifacts/.

Playwright's sync API keeps an event loop running in the test thread, which Django's async
safety check would take for async code; the browser fixtures switch that check off for the
duration of a browser test only.
"""

import os
import shutil
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

# Browser tests need real transactions (the live server runs in another thread); the root
# conftest gives every transactional test a serialized rollback of the migrated data.
BROWSER_TEST = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        pytest.fail(
            "Browser tests need Debian's chromium: `make test` installs it "
            "(or set CHROMIUM_PATH; `make test-fast` runs everything else)."
        )
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(live_server, browser, request):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        # What the browser showed when the test failed, for whoever reads the CI log.
        screenshot(page, f"FAILED-{request.node.name}", check_size=False)
    context.close()


def screenshot(page, name: str, *, check_size: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if check_size:
        assert path.stat().st_size > 10_000, f"{path} looks empty"
    return path


def sign_in(page, email: str, password: str) -> None:
    page.goto("/admin/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
