"""One purchase, one "order placed" notice and email for its buyer: a checkout split between
two manufacturers tells the buyer once, naming every order and seller, while each seller hears
of their own order only; a checkout that orders nothing tells nobody. (An order placed on its
own tells its buyer itself: ``test_placement.py``.)"""

import pytest
from django.core import mail

from notifications.models import Notification
from orders.errors import OrderError
from orders.services import checkout_place
from shopping.models import CartItem
from shopping.services import cart_item_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart(two_maker_cart):
    """Phone x2 (Maker A, 200.00) and shirt M x1 (Maker B, 30.00 after 25 % off)."""
    return two_maker_cart


def placed_notices(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, event="order_placed"))


def emails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def test_a_split_checkout_tells_its_buyer_once_and_each_seller_of_their_own_order(
    customer, manufacturer_a, manufacturer_b, cart, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        placed = checkout_place(buyer=customer)

    orders = {order.items.get().manufacturer_id: order for order in placed.orders}
    phone_order, shirt_order = orders[manufacturer_a.pk], orders[manufacturer_b.pk]
    [notice] = placed_notices(customer)
    first, second = sorted(placed.orders, key=lambda order: order.pk)
    assert notice.title == f"Orders {first.number} and {second.number} placed"
    for order, seller, total in [
        (phone_order, "Maker A", "₦200.00"), (shirt_order, "Maker B", "₦30.00")
    ]:
        assert f"- {order.number} from {seller}: {total}" in notice.body
    assert "2 orders, one per seller. Total: ₦230.00." in notice.body
    assert notice.link == "/orders"
    [email] = emails_to(customer)
    assert email.subject == notice.title
    assert phone_order.number in email.body and shirt_order.number in email.body
    assert "Maker A" in email.body and "Maker B" in email.body

    for maker, own, other in [
        (manufacturer_a, phone_order, shirt_order), (manufacturer_b, shirt_order, phone_order)
    ]:
        [told] = placed_notices(maker)
        assert told.title == f"New order {own.number}"
        assert other.number not in told.body
        [email] = emails_to(maker)
        assert own.number in email.subject and other.number not in email.body


def test_a_checkout_of_one_manufacturer_tells_its_buyer_once(
    customer, phone, buyer_address, django_capture_on_commit_callbacks
):
    cart_item_add(user=customer, product_id=phone.pk, quantity=1)
    with django_capture_on_commit_callbacks(execute=True):
        [order] = checkout_place(buyer=customer).orders

    [notice] = placed_notices(customer)
    assert (notice.title, notice.link) == (f"Order {order.number} placed", f"/orders/{order.pk}")
    assert notice.body == (
        f"Order {order.number} has been placed. Total: ₦100.00.\n"
        f"- {order.number} from Maker A: ₦100.00"
    )
    assert len(emails_to(customer)) == 1


def test_a_checkout_that_orders_nothing_tells_nobody(
    customer, cart, django_capture_on_commit_callbacks
):
    CartItem.objects.filter(variation__size="M").update(quantity=99)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OrderError):
        checkout_place(buyer=customer)

    assert not Notification.objects.filter(event="order_placed").exists()
    assert mail.outbox == []
