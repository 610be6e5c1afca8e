"""A marketplace's sales history loaded with ``bulk_create``: ``orders`` orders and what they
leave behind, for the admin list benchmark (``bench_admin_lists``).

Shape for ``orders`` = N (on top of whatever is already there, e.g. the demo data):

- the people and catalogue of ``bench/catalog_data.py``: 10 manufacturers, 200 customers,
  2,000 products (200 per manufacturer, 3 variations each) and their ~3,000 reviews, one in
  seven of them waiting for moderation;
- N/2 checkouts, each placing two orders of two manufacturers (one order per manufacturer), so
  each manufacturer has N/10 orders; 2 lines per order (2N lines); created over the last
  year, oldest first; the newest orders pending or processing, older ones shipped or delivered,
  one in twenty cancelled; lines of shipped and delivered orders shipped;
- one stock movement per line (a sale: 2N), one notification per order to its manufacturer
  (N, read when older than a week), one outbox email per order to the buyer (N, one in fifty
  failed), 20 imports per manufacturer.

``created_at`` is written as given (``auto_now_add`` is switched off during the load), so the
history spreads over time as a real one does; then the planner's statistics are refreshed.
"""

import contextlib
import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from bench import catalog_data

PRODUCTS = 2000
LINES_PER_ORDER = 2
BATCH = 5000


@contextlib.contextmanager
def created_at_as_given(*models):
    fields = [model._meta.get_field("created_at") for model in models]
    saved = [field.auto_now_add for field in fields]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field, value in zip(fields, saved, strict=True):
            field.auto_now_add = value


def _status_of(age_days: float, i: int, statuses) -> str:
    if i % 20 == 7:
        return statuses.CANCELLED
    if age_days < 2:
        return statuses.PENDING
    if age_days < 7:
        return statuses.PROCESSING
    if age_days < 14:
        return statuses.SHIPPED
    return statuses.DELIVERED


def load(*, orders: int) -> dict:
    """Load the history; returns the manufacturers and customers it made, and the counts."""
    from catalog.models import Product, StockMovement, StockReason, Variation
    from imports.models import ImportStatus, ProductImport
    from notifications.models import Notification, NotificationEvent, OutboundMessage
    from orders.models import (
        Checkout,
        CheckoutPayment,
        CheckoutPaymentStatus,
        Order,
        OrderItem,
        OrderStatus,
        PaymentMethod,
    )
    from reviews.models import Review, ReviewStatus

    makers, customers = catalog_data.load_people()
    leaves = catalog_data.load_tree((2, 2, 2), prefix="Sales")
    catalog_data.load_products(
        start=0, stop=PRODUCTS, makers=makers, customers=customers, leaves=leaves
    )
    pending = list(
        Review.objects.filter(product__manufacturer__in=makers).values_list("pk", flat=True)[::7]
    )
    Review.objects.filter(pk__in=pending).update(status=ReviewStatus.PENDING)
    # Each maker's variations (with their product's name), to sell.
    stock = {maker.pk: [] for maker in makers}
    for variation in Variation.objects.filter(manufacturer__in=makers).select_related("product"):
        stock[variation.manufacturer_id].append(variation)

    rng = random.Random(7)
    now = timezone.now()
    span = timedelta(days=365)
    counts = dict.fromkeys(
        ["checkouts", "orders", "lines", "stock movements", "notifications", "outbox", "imports"], 0
    )
    models = (Checkout, Order, StockMovement, Notification, OutboundMessage, ProductImport)
    with created_at_as_given(*models):
        for start in range(0, orders, BATCH):
            stop = min(orders, start + BATCH)
            checkouts, order_rows, lines, moves, notes, mails = [], [], [], [], [], []
            for c in range(start // 2, (stop + 1) // 2):
                created = now - span + span * (2 * c) / orders
                buyer = customers[c % len(customers)]
                online = c % 3 != 0
                checkouts.append(
                    Checkout(
                        buyer=buyer,
                        created_at=created,
                        payment_method=CheckoutPayment.PAYSTACK
                        if online
                        else CheckoutPayment.ON_DELIVERY,
                        payment_status=CheckoutPaymentStatus.PAID
                        if online
                        else CheckoutPaymentStatus.ON_DELIVERY,
                        paystack_reference=f"bench-{c}" if online else None,
                        paid_at=created if online else None,
                        subtotal=0,
                        shipping_cost=0,
                        discount_total=0,
                        total_amount=0,
                        shipping_name=f"{buyer.first_name} B",
                        shipping_city="Accra",
                        shipping_country="GH",
                    )
                )
            Checkout.objects.bulk_create(checkouts, batch_size=1000)
            for i in range(start, stop):
                checkout = checkouts[i // 2 - start // 2]
                maker = makers[i % len(makers)]
                created = checkout.created_at
                age = (now - created).total_seconds() / 86400
                status = _status_of(age, i, OrderStatus)
                order = Order(
                    number=f"BN-{i:08d}",
                    buyer=checkout.buyer,
                    status=status,
                    payment_method=PaymentMethod.CARD
                    if checkout.payment_method == CheckoutPayment.PAYSTACK
                    else PaymentMethod.CASH,
                    checkout=checkout,
                    created_at=created,
                    shipping_name=checkout.shipping_name,
                    shipping_city="Accra",
                    shipping_country="GH",
                )
                total = Decimal(0)
                shipped = (
                    created + timedelta(days=3)
                    if status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
                    else None
                )
                for _line in range(LINES_PER_ORDER):
                    variation = rng.choice(stock[maker.pk])
                    quantity = rng.randint(1, 3)
                    price = variation.product.price
                    line_total = price * quantity
                    total += line_total
                    lines.append(
                        OrderItem(
                            order=order,
                            product_id=variation.product_id,
                            variation=variation,
                            manufacturer=maker,
                            product_name=variation.product.name,
                            variation_label=f"{variation.size} / {variation.color}",
                            quantity=quantity,
                            unit_price=price,
                            line_total=line_total,
                            commission_percent=Decimal("10"),
                            commission=(line_total / 10).quantize(Decimal("0.01")),
                            shipped_at=shipped,
                        )
                    )
                    moves.append(
                        StockMovement(
                            manufacturer=maker,
                            product_id=variation.product_id,
                            variation=variation,
                            label=f"{variation.product.name} / {variation.size}",
                            delta=-quantity,
                            stock_after=variation.stock,
                            reason=StockReason.ORDER,
                            note=f"Order {order.number}",
                            created_at=created,
                        )
                    )
                order.subtotal = order.total = total
                order_rows.append(order)
                notes.append(
                    Notification(
                        user=maker,
                        event=NotificationEvent.ORDER_PLACED,
                        title=f"New order {order.number}",
                        body="A buyer ordered your products.",
                        link=f"/admin/orders/order/?q={order.number}",
                        is_read=age > 7,
                        created_at=created,
                    )
                )
                failed = i % 50 == 3
                mails.append(
                    OutboundMessage(
                        channel=OutboundMessage.Channel.EMAIL,
                        recipient=checkout.buyer.email,
                        user=checkout.buyer,
                        event=NotificationEvent.ORDER_PLACED,
                        subject=f"Your order {order.number}",
                        body="Thank you for your order.",
                        status=OutboundMessage.Status.FAILED
                        if failed
                        else OutboundMessage.Status.SENT,
                        attempts=5 if failed else 1,
                        last_error="timeout" if failed else "",
                        sent_at=None if failed else created,
                        created_at=created,
                    )
                )
            Order.objects.bulk_create(order_rows, batch_size=1000)
            for line in lines:
                line.order_id = line.order.pk
            OrderItem.objects.bulk_create(lines, batch_size=1000)
            StockMovement.objects.bulk_create(moves, batch_size=1000)
            Notification.objects.bulk_create(notes, batch_size=1000)
            OutboundMessage.objects.bulk_create(mails, batch_size=1000)
            for key, rows in [
                ("checkouts", checkouts),
                ("orders", order_rows),
                ("lines", lines),
                ("stock movements", moves),
                ("notifications", notes),
                ("outbox", mails),
            ]:
                counts[key] += len(rows)
        imports = [
            ProductImport(
                created_by=maker,
                manufacturer=maker,
                file="imports/bench.csv",
                original_name=f"catalogue-{n}.csv",
                status=ImportStatus.COMPLETED if n % 5 else ImportStatus.FAILED,
                rows_total=100,
                rows_done=100,
                created_count=10,
                updated_count=80,
                unchanged_count=10,
                created_at=now - timedelta(days=n),
            )
            for maker in makers
            for n in range(20)
        ]
        ProductImport.objects.bulk_create(imports)
        counts["imports"] = len(imports)
    Product.objects.filter(manufacturer__in=makers).count()  # warm the connection
    catalog_data.after_bulk_load()
    return {"makers": makers, "customers": customers, "counts": counts}
