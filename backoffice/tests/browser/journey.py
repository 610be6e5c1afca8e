"""What the working-day walks (``test_journey_*.py``) share: a page at a desk's width and at a
phone's, and the few gestures that differ between the two (a change form's tabs, the row
checkboxes of a list, the action menu).

The walks use the session's one browser and live server (``backoffice.tests.chromium``); each
width is a browser context of its own, so cookies never cross from one walk to the next.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backoffice.tests.chromium import SCREENSHOTS, TIMEOUT_MS, screenshot

# A desk (the width every other browser test uses) and a phone (an iPhone 12 to 15's width).
WIDTHS = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def walk(request, live_server, browser):
    """A page at the width the test is parametrized with; ``walk.width`` names it."""
    context = browser.new_context(
        viewport=WIDTHS[request.param], base_url=live_server.url, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.width = request.param
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        screenshot(page, f"FAILED-{request.node.name}", check_size=False)
    context.close()


def shot(page, journey: str, name: str) -> Path:
    """A whole-page screenshot under artifacts/screenshots/journeys/, named by the width."""
    (SCREENSHOTS / "journeys").mkdir(parents=True, exist_ok=True)
    return screenshot(page, f"journeys/{journey}-{page.width}-{name}")


def open_tab(page, name: str) -> None:
    """Open a change form's tab, from the tab bar or, where the bar does not fit (a phone),
    from unfold's "..." menu it folds the other tabs into."""
    page.wait_for_load_state("load")
    tab = page.locator("#tabs-items a, #tabs-dropdown a").filter(
        has_text=re.compile(rf"^\s*{re.escape(name)}\b")
    )
    if not tab.is_visible():
        page.locator("#tabs-wrapper").get_by_text("more_horiz").click()
    tab.click()
    expect(tab).to_have_class(re.compile(r"\bactive\b"))


def select_rows(page, *texts: str) -> None:
    """Tick the row checkbox of each list row holding one of ``texts``."""
    for text in texts:
        row = page.locator("#result_list tbody tr").filter(has_text=text)
        row.locator("input[name=_selected_action]").check()


def run_action(page, action: str) -> None:
    """Run a list action on the ticked rows (the action bar shows once a row is ticked)."""
    page.select_option("select[name=action]", action)
    page.locator("button[type=submit][name=index]").click()
    page.wait_for_load_state("load")


def search(page, term: str) -> None:
    page.fill("#searchbar", term)
    page.press("#searchbar", "Enter")
    page.wait_for_url(re.compile(r"[?&]q="))
    page.wait_for_load_state("load")


def listed(page) -> list[str]:
    """The text of each row of the list shown."""
    return [row.inner_text() for row in page.locator("#result_list tbody tr").all()]


def header_link(page, name: str):
    """A link of the page header's actions ("View on site", a dialog's button), opening the
    "..." menu unfold folds them into below its ``lg`` width first."""
    link = page.locator("[x-data*=showActions]").get_by_role("link", name=name)
    if not link.is_visible():
        page.locator("[x-data*=showActions]").get_by_role("link", name="More actions").click()
    expect(link).to_be_visible()
    return link
