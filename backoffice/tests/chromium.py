"""Playwright fixtures for browser tests: Debian's chromium, screenshots under artifacts/.

Playwright's sync API keeps an event loop running in the test thread, which Django's async
safety check would take for async code; the browser fixtures switch that check off for the
duration of a browser test only.

Nothing here depends on how fast the machine is: tests wait for what they need to see (and for
the page to have loaded, see ``wait_for_text``), never for a length of time, and the window
never changes width (see ``VIEWPORT`` and ``screenshot``).
"""

import os
import shutil
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

# The window of every browser test. unfold folds the change-form tabs that do not fit into a
# "..." menu (unfold/js/app.js, tabNavigation: on load and on every resize, while #tabs-wrapper
# is wider than #content). At 1440 px #content is 1120 px wide (beside the 288 px sidebar); the
# widest tab bar of the change forms the tests open, the product's five tabs, takes 490 px (at
# 1024 px it would still fit in 992). So at this width a tab is never in the menu.
VIEWPORT = {"width": 1440, "height": 900}
# How long a wait for a condition may last before the test fails: a bound for a stuck page, far
# above what a loaded machine needs.
TIMEOUT_MS = 30_000

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
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

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
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        # What the browser showed when the test failed, for whoever reads the CI log.
        screenshot(page, f"FAILED-{request.node.name}", check_size=False)
    context.close()


def screenshot(page, name: str, *, check_size: bool = True) -> Path:
    """The whole page, taken with the window stretched to the page's height, then put back.

    Not Playwright's ``full_page``: to capture a page taller than the window, Chromium shows the
    page a 1 x 1 window for an instant. When the page's resize handler ran in that instant (on a
    busy machine), unfold folded every change-form tab into its menu and gave back one tab per
    later resize, so a test that then opened "Stock history" found it hidden. Stretching only
    the height keeps the width, and with it the tab bar, as it was.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    window = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": window["width"], "height": max(height, window["height"])})
    try:
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(window)
    if check_size:
        assert path.stat().st_size > 10_000, f"{path} looks empty"
    return path


def sign_in(page, email: str, password: str) -> None:
    """Submit the sign-in form and wait for the page it answers with (the dashboard, or the
    form again with its error) to load: the click returns as soon as that page starts. When
    the admin then asks for the second factor, give it (``second_factor_step``)."""
    page.goto("/admin/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    if page.locator("#mfa-verify-form").count():
        second_factor_step(page, email)


def second_factor_step(page, email: str) -> None:
    """Type the code the user's authenticator app would show, computed from the stored secret.
    A code works once: if this user already used the current one (signed in twice within its
    30 seconds), a recovery code stands in rather than waiting for the next code."""
    from users.models import User
    from users.tests.mfa_helpers import recovery_codes, totp_code

    user = User.objects.get(email__iexact=email)
    for code in (totp_code(user), recovery_codes(user)[0]):
        page.fill("input[name=code]", code)
        page.click("#mfa-verify-form button[type=submit]")
        page.wait_for_load_state("load")
        if not page.locator("#mfa-verify-form").count():
            return
    raise AssertionError("the second-factor step refused both codes")


def wait_for_text(page, text: str) -> None:
    """Wait until the page shows ``text`` and has loaded.

    A click that opens another page (a form's submit, a dialog's redirect) returns as soon as
    that page starts to arrive, and its text can show before the rest of it: the page's scripts
    (Alpine's tabs and dropdowns, htmx's dialog links, unfold's tab bar) start only on
    DOMContentLoaded and load, later the busier the machine.
    """
    page.wait_for_selector(f"text={text}")
    page.wait_for_load_state("load")
