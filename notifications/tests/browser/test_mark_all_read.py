"""Real Chromium: "Mark all mine as read" asks before it writes (the button is a link)."""

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in, wait_for_text
from conftest import PASSWORD
from notifications.models import Notification
from notifications.services import notify

pytestmark = BROWSER_TEST


def test_a_manufacturer_confirms_before_everything_is_marked_read(page, manufacturer_a):
    for name in ["Mug", "Bowl"]:
        notify(event="low_stock", recipients=[manufacturer_a],
               context={"product_name": name, "stock": 1})

    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")
    page.goto("/admin/notifications/notification/?recipient=me")
    page.get_by_role("link", name="Mark all mine as read").click()
    wait_for_text(page, "You have 2 unread notifications")
    assert Notification.objects.filter(is_read=False).count() == 2
    screenshot(page, "notifications-mark-all-read-confirm")
    page.get_by_role("button", name="Mark all as read").click()
    wait_for_text(page, "2 marked as read.")
    assert Notification.objects.filter(is_read=False).count() == 0
