"""Demo sales: the demo buyers shop through the storefront's own path (cart, then checkout, one
order per manufacturer), spread over the last 90 days, and their orders move along as they
would: older ones delivered (with a tracking number; ``reviews.demo`` then reviews many of
them as verified purchases), recent ones still processing or waiting, a few cancelled. Stock,
the ledger and notifications move through the services as in real use.

The services stamp "now"; the demo then dates each checkout, its orders, their status history
and ledger rows back to the day it pretends they happened, so the charts show 90 days of trade.
Skipped once the demo buyers have orders.
"""

import random
from datetime import timedelta

from django.utils import timezone

from catalog.models import StockMovement, Variation
from catalog.selectors import products_public
from notifications.models import OutboundMessage
from orders.models import Checkout, Order, OrderStatus, OrderStatusChange
from orders.services import order_cancel, order_lines_ship, order_status_change
from orders.services.checkout import checkout_place
from orders.services.workflow import order_mark_delivered
from shopping.services import cart_clear, cart_item_add
from users.models import User
from users.selectors import user_get_by_email

CUSTOMERS = [
    "ama@example.com", "kofi@example.com", "esi@example.com", "yaw@example.com",
    "akosua@example.com", "kwame@example.com",
]
DAYS = 90
CHECKOUTS = 64

def _when(rng: random.Random, day: int):
    """A time of day on ``day`` days ago, in shop hours."""
    moment = timezone.now() - timedelta(days=day)
    return moment.replace(hour=rng.randint(8, 20), minute=rng.randint(0, 59), second=0)


def _date_back(checkout: Checkout, orders: list[Order], when) -> None:
    order_ids = [order.pk for order in orders]
    Checkout.objects.filter(pk=checkout.pk).update(created_at=when, updated_at=when)
    Order.objects.filter(pk__in=order_ids).update(created_at=when, updated_at=when)
    OrderStatusChange.objects.filter(order_id__in=order_ids).update(created_at=when)
    numbers = [order.number for order in orders]
    StockMovement.objects.filter(note__in=[f"Order {n}" for n in numbers]).update(created_at=when)


def _progress(rng: random.Random, order: Order, *, day: int, placed, staff: User) -> None:
    """Move an order as far as its age suggests, dating each step after the one before."""
    buyer = order.buyer
    if rng.random() < 0.07:
        order_cancel(order=order, actor=buyer, note="Changed my mind")
        _stamp(order, placed + timedelta(hours=3))
        return
    if day <= 1:
        return  # still waiting for confirmation
    order = order_status_change(order=order, to=OrderStatus.PROCESSING, actor=staff)
    _stamp(order, placed + timedelta(hours=5))
    if day <= 3:
        return
    for manufacturer_id in set(order.items.values_list("manufacturer_id", flat=True)):
        seller = User.objects.get(pk=manufacturer_id)
        order_lines_ship(order=order, actor=seller,
                         tracking_number=f"GH{rng.randint(10**9, 10**10 - 1)}")
    _stamp(order, placed + timedelta(days=1, hours=2))
    if day <= 6:
        return
    order_mark_delivered(order=Order.objects.get(pk=order.pk), actor=buyer)
    delivered = placed + timedelta(days=rng.randint(3, 5))
    _stamp(order, delivered)


def _stamp(order: Order, when) -> None:
    """Date the latest status change of ``order`` (and the order's own update) to ``when``."""
    latest = OrderStatusChange.objects.filter(order=order).order_by("-pk").first()
    if latest is not None:
        OrderStatusChange.objects.filter(pk=latest.pk).update(created_at=when)
    Order.objects.filter(pk=order.pk).update(updated_at=when)


def _shop(rng: random.Random, buyer: User, products: list) -> bool:
    """Fill ``buyer``'s cart with one to three in-stock products; False if nothing fits."""
    cart_clear(user=buyer)
    added = 0
    for product in rng.sample(products, k=min(len(products), rng.randint(1, 3))):
        stocked = [v for v in Variation.objects.filter(product=product) if v.stock >= 10]
        if not stocked:
            continue
        variation = rng.choice(stocked)
        cart_item_add(user=buyer, product_id=product.pk, quantity=rng.randint(1, 2),
                      variation_id=variation.pk if (variation.size or variation.color) else None)
        added += 1
    return added > 0


def _failed_message(buyer: User) -> None:
    """One email the mail server kept refusing, for the outbox's "failed" view."""
    if OutboundMessage.objects.filter(status=OutboundMessage.Status.FAILED).exists():
        return
    OutboundMessage.objects.create(
        channel=OutboundMessage.Channel.EMAIL,
        recipient="old-address@example.invalid",
        user=buyer,
        subject="Your order has shipped",
        body="Your order is on its way.",
        status=OutboundMessage.Status.FAILED,
        attempts=5,
        max_attempts=5,
        last_error="550 5.1.1 <old-address@example.invalid>: Recipient address rejected",
    )


def seed(stdout=None) -> list[Order]:
    buyers = [user for email in CUSTOMERS if (user := user_get_by_email(email=email))]
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if not buyers or staff is None or Order.objects.filter(buyer__in=buyers).exists():
        return []
    rng = random.Random(2026)
    products = list(products_public().order_by("name"))
    # A growing shop: more sales lately than 90 days ago. Older days first, so stock runs
    # down in the order the sales happened.
    days = sorted((int(DAYS * rng.random() ** 1.4) for _ in range(CHECKOUTS)), reverse=True)
    placed: list[Order] = []
    for n, day in enumerate(days):
        buyer = buyers[n % len(buyers)]
        if not _shop(rng, buyer, products):
            continue
        result = checkout_place(buyer=buyer)
        when = _when(rng, day)
        _date_back(result.checkout, result.orders, when)
        for order in result.orders:
            _progress(rng, Order.objects.get(pk=order.pk), day=day, placed=when, staff=staff)
        placed.extend(result.orders)
    for buyer in buyers:  # each signed up a little before their first order
        first = Order.objects.filter(buyer=buyer).order_by("created_at").first()
        if first is not None:
            User.objects.filter(pk=buyer.pk).update(
                date_joined=first.created_at - timedelta(days=rng.randint(1, 6))
            )
    _failed_message(buyers[0])
    if stdout:
        stdout.write(f"  placed {len(placed)} demo orders over the last {DAYS} days")
    return placed


# Each checkout is one durable transaction of its own, as in the storefront.
seed.own_transactions = True
