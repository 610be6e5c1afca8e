"""Real Chromium: staff add a shipping method, then read the buyers' cart lines and addresses;
we look at the pages."""

from decimal import Decimal

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in
from conftest import PASSWORD
from shopping.models import CartItem, ShippingAddress, ShippingMethod

pytestmark = BROWSER_TEST


def test_staff_add_a_shipping_method_and_read_carts(page, staff_user, customer, phone):
    CartItem.objects.create(user=customer, product=phone, quantity=2)
    ShippingAddress.objects.create(
        user=customer, full_name="Ada Obi", phone="+2348012345678", address="12 Marina Road",
        city="Lagos", state="Lagos", is_default=True,
    )
    sign_in(page, staff_user.email, PASSWORD)
    page.wait_for_url("**/admin/")

    page.goto("/admin/shopping/shippingmethod/add/")
    page.fill("input[name=name]", "Express delivery")
    page.fill("input[name=cost]", "3500")
    page.fill("input[name=estimated_days]", "2")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/shopping/shippingmethod/")
    method = ShippingMethod.objects.get(name="Express delivery")
    assert (method.name, method.cost, method.estimated_days) == (
        "Express delivery", Decimal("3500.00"), 2
    )
    assert page.get_by_text("3,500.00").is_visible()
    screenshot(page, "shopping-shipping-methods")

    page.goto("/admin/shopping/cartitem/")
    assert page.get_by_text("buyer@martaf.test").first.is_visible()
    screenshot(page, "shopping-cart-lines")

    page.goto("/admin/shopping/shippingaddress/")
    assert page.get_by_text("Ada Obi").first.is_visible()
    screenshot(page, "shopping-shipping-addresses")
