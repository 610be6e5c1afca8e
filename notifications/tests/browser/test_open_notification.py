"""Real Chromium: clicking a notification's title opens it: it is marked read and its link is
followed."""

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in
from conftest import PASSWORD
from notifications.models import Notification
from notifications.services import notify

pytestmark = BROWSER_TEST


def test_a_manufacturer_opens_a_notification_and_lands_on_its_page(page, manufacturer_a):
    [note] = notify(event="low_stock", recipients=[manufacturer_a],
                    context={"product_name": "Mug", "stock": 1})
    Notification.objects.filter(pk=note.pk).update(link="/admin/catalog/product/")

    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")
    page.goto("/admin/notifications/notification/?recipient=me")
    screenshot(page, "notifications-list-unread")
    page.get_by_role("button", name="Low stock: Mug").click()
    page.wait_for_url("**/admin/catalog/product/")

    note.refresh_from_db()
    assert note.is_read
