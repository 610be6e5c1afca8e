"""The busy lists' query counts, pinned: each page costs the same number of queries with one
row and with a page full of them, for staff and for a manufacturer (whose own rows only are
listed), as it opens, with a search and with a filter.

What each count holds: the session and the user; for a manufacturer their user and group
permissions; the list's count (``show_full_result_count`` is off everywhere here, so never a
second one over the whole table) and its page of rows with everything its columns show; the
notification bell's unread count. A search of the orders adds one: the orders of the lines
whose product matches, looked up first (``OrderAdmin.get_search_results``).
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import StockMovement, StockReason
from catalog.tests.sellable import public_product
from imports.models import ImportStatus, ProductImport
from notifications.models import Notification, NotificationEvent, OutboundMessage
from orders.models import Checkout, Order, OrderItem, OrderStatus
from reviews.models import Review, ReviewStatus
from users.models import User

pytestmark = pytest.mark.django_db

MANY = 12  # more rows than the one: a count that grew with them would show


def _url(name: str, query: str = "") -> str:
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{query}" if query else url


# (page, url, staff's queries, a manufacturer's queries; None: staff only, a 403 for them)
PAGES = [
    ("orders", _url("orders_order"), 5, 7),
    ("orders search", _url("orders_order", "q=widget"), 6, 8),
    ("orders filter", _url("orders_order", "status__exact=pending"), 5, 7),
    ("lines", _url("orders_orderitem"), 5, 7),
    ("lines search", _url("orders_orderitem", "q=widget"), 5, 7),
    ("lines filter", _url("orders_orderitem", "shipped=no"), 5, 7),
    ("checkouts", _url("orders_checkout"), 6, None),
    ("checkouts search", _url("orders_checkout", "q=buyer"), 6, None),
    ("checkouts filter", _url("orders_checkout", "payment_status__exact=on_delivery"), 6, None),
    ("reviews", _url("reviews_review"), 6, 8),
    ("reviews search", _url("reviews_review", "q=fine"), 6, 8),
    ("reviews filter", _url("reviews_review", "status__exact=pending"), 6, 8),
    ("stock moves", _url("catalog_stockmovement"), 5, 7),
    ("stock moves search", _url("catalog_stockmovement", "q=widget"), 5, 7),
    ("stock moves filter", _url("catalog_stockmovement", "reason__exact=order"), 5, 7),
    ("outbox", _url("notifications_outboundmessage"), 5, None),
    ("outbox search", _url("notifications_outboundmessage", "q=buyer"), 5, None),
    ("outbox filter", _url("notifications_outboundmessage", "status__exact=failed"), 5, None),
    ("notifications", _url("notifications_notification"), 5, 7),
    ("notifications search", _url("notifications_notification", "q=order"), 5, 7),
    ("notifications filter", _url("notifications_notification", "is_read__exact=0"), 5, 7),
    ("imports", _url("imports_productimport"), 5, 7),
    ("imports search", _url("imports_productimport", "q=catalogue"), 5, 7),
    ("imports filter", _url("imports_productimport", "state=failed"), 5, 7),
]


def _sales(n: int, *, makers: list[User], staff: User, start: int = 0) -> None:
    """``n`` checkouts, each with an order of each maker (two lines each: its lines, stock
    moves, a notification to the maker, an email to the buyer), a review of each maker's
    product by a new buyer, and an import of each maker."""
    products = {
        m.pk: public_product(m, approver=staff, name=f"Widget {m.pk}", stock=1000) for m in makers
    }
    now = timezone.now()
    for i in range(start, start + n):
        buyer = User.objects.create(email=f"buyer{i}@martaf.test", is_customer=True)
        checkout = Checkout.objects.create(
            buyer=buyer,
            payment_method="on_delivery",
            payment_status="on_delivery",
            total_amount=Decimal("200"),
        )
        for maker in makers:
            product = products[maker.pk]
            variation = product.variations.first()
            order = Order.objects.create(
                number=f"LQ-{i}-{maker.pk}",
                buyer=buyer,
                checkout=checkout,
                payment_method="CASH",
                status=OrderStatus.PENDING if i % 2 == 0 else OrderStatus.PROCESSING,
                total=Decimal("200"),
            )
            OrderItem.objects.bulk_create(
                OrderItem(
                    order=order,
                    product=product,
                    variation=variation,
                    manufacturer=maker,
                    product_name=product.name,
                    quantity=1,
                    unit_price=Decimal("100"),
                    line_total=Decimal("100"),
                    commission=Decimal("10"),
                    shipped_at=now if k else None,
                )
                for k in range(2)
            )
            StockMovement.objects.create(
                manufacturer=maker,
                product=product,
                variation=variation,
                label=product.name,
                delta=-2,
                stock_after=998,
                reason=StockReason.ORDER,
                note=f"Order {order.number}",
            )
            Notification.objects.create(
                user=maker,
                event=NotificationEvent.ORDER_PLACED,
                title=f"New order {order.number}",
                is_read=bool(i % 2),
            )
            Review.objects.create(
                product=product,
                user=buyer,
                rating=4,
                comment="A fine one",
                status=ReviewStatus.PENDING if i % 2 == 0 else ReviewStatus.PUBLISHED,
            )
            ProductImport.objects.create(
                created_by=maker,
                manufacturer=maker,
                file="imports/x.csv",
                original_name=f"catalogue-{i}.csv",
                status=ImportStatus.FAILED if i % 2 == 0 else ImportStatus.COMPLETED,
                created_at=now - timedelta(minutes=i),
            )
        OutboundMessage.objects.create(
            channel="email",
            recipient=buyer.email,
            user=buyer,
            subject=f"Order {i}",
            body="Thanks",
            status="failed" if i % 2 == 0 else "sent",
        )


def _count(client, url, django_assert_num_queries, pinned, *, status=200) -> None:
    with django_assert_num_queries(pinned):
        assert client.get(url).status_code == status


@pytest.mark.parametrize("who", ["staff_user", "manufacturer_a"])
def test_list_query_counts_hold_from_one_row_to_many(
    client, request, staff_user, manufacturer_a, manufacturer_b, django_assert_num_queries, who
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    makers = [manufacturer_a, manufacturer_b]
    # Each list opened once first (the site's caches: content types, the sidebar's pages).
    for _page, url, *_ in PAGES:
        client.get(url)

    for rows, start in [(1, 0), (MANY - 1, 100)]:  # one row, then a dozen
        _sales(rows, makers=makers, staff=staff_user, start=start)
        for page, url, staff_pin, maker_pin in PAGES:
            pinned = staff_pin if user.is_staff else maker_pin
            if pinned is None:  # staff only: refused, and in as many queries
                _count(client, url, django_assert_num_queries, 5, status=403)
                continue
            response = client.get(url)
            listed = len(response.context["cl"].result_list)
            assert listed >= (1 if start == 0 else 6), (page, listed)
            _count(client, url, django_assert_num_queries, pinned)
