"""Real Chromium: staff look at a split checkout; a manufacturer ships their order of it with a
tracking number through the order page's dialog."""

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in, wait_for_text
from conftest import PASSWORD
from orders.models import OrderStatus
from orders.services import checkout_place, order_status_change
from shopping.services import cart_item_add

pytestmark = BROWSER_TEST


def test_staff_see_the_checkout_and_a_manufacturer_ships_with_a_tracking_number(
    page, customer, staff_user, manufacturer_a, phone, shirt_m, buyer_address, standard_shipping
):
    cart_item_add(user=customer, product_id=phone.pk, quantity=2)
    cart_item_add(user=customer, product_id=shirt_m.product_id, quantity=1,
                  variation_id=shirt_m.pk)
    placed = checkout_place(buyer=customer)
    mine = next(o for o in placed.orders if o.items.get().manufacturer_id == manufacturer_a.pk)
    order_status_change(order=mine, to=OrderStatus.PROCESSING, actor=staff_user)

    sign_in(page, staff_user.email, PASSWORD)
    page.wait_for_url("**/admin/")
    page.goto("/admin/orders/checkout/")
    assert page.get_by_text("Due on delivery").first.is_visible()
    screenshot(page, "orders-checkout-changelist")
    page.goto(f"/admin/orders/checkout/{placed.checkout.pk}/change/")
    assert page.get_by_text(mine.number).first.is_visible()
    screenshot(page, "orders-checkout-change")

    page.context.clear_cookies()
    sign_in(page, manufacturer_a.email, PASSWORD)
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/orders/order/{mine.pk}/change/")
    page.get_by_role("link", name="Mark my lines shipped").click()
    page.fill("#dialog input[name=tracking_number]", "GHP-000123")
    screenshot(page, "orders-ship-lines-dialog")
    page.get_by_role("button", name="Mark shipped").click()
    wait_for_text(page, "1 line marked shipped")

    mine.refresh_from_db()
    assert (mine.status, mine.tracking_number) == (OrderStatus.SHIPPED, "GHP-000123")
    screenshot(page, "orders-order-shipped")
