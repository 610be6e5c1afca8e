"""Reads of orders, and the one scoping function per model for the backoffice.

Backoffice (admin, dashboard): staff see every order and line; a manufacturer sees the orders
that contain at least one of their lines, and of those orders only their own lines
(``order_items_visible_to``); anybody else sees nothing.

API: a user reads their own purchases (``orders_of``); staff read all orders. The storefront's
buyer pages read the buyer's own orders only, staff included (``buyer_orders``), with the
products of their lines (``order_line_products``), in a fixed number of queries.
"""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from catalog.selectors import category_ancestors, products_in_order
from core.roles import BackofficeRole, backoffice_role, scoped_to_owner
from orders.models import Checkout, Order, OrderItem, OrderStatusChange
from users.models import User


def order_items_visible_to(*, user: User) -> QuerySet[OrderItem]:
    return scoped_to_owner(OrderItem.objects.all(), user=user, owner_field="manufacturer_id")


def orders_visible_to(*, user: User) -> QuerySet[Order]:
    """Staff: every order; a manufacturer: the orders with a line of theirs; anyone else none."""
    role = backoffice_role(user)
    if role is None:
        return Order.objects.none()
    if role == BackofficeRole.STAFF:
        return Order.objects.all()
    own_line = OrderItem.objects.filter(order=OuterRef("pk"), manufacturer_id=user.pk)
    return Order.objects.filter(Exists(own_line))


def orders_with_line_figures(queryset: QuerySet[Order], *, user: User) -> QuerySet[Order]:
    """Annotate ``line_count``, ``unshipped_count`` and ``lines_total`` over the lines this
    user may see (a manufacturer: their own; staff: all), one subquery each, so a list of
    orders costs the same number of queries at any length."""
    lines = order_items_visible_to(user=user).filter(order=OuterRef("pk")).order_by()

    def per_order(aggregate, output_field=None):
        extra = {"output_field": output_field} if output_field is not None else {}
        return Subquery(
            lines.values("order").annotate(value=aggregate).values("value")[:1], **extra
        )

    money = DecimalField(max_digits=14, decimal_places=2)
    return queryset.annotate(
        line_count=Coalesce(per_order(Count("pk")), 0),
        unshipped_count=Coalesce(per_order(Count("pk", filter=Q(shipped_at__isnull=True))), 0),
        lines_total=Coalesce(
            per_order(Sum("line_total"), money), Value(Decimal("0")), output_field=money
        ),
    )


def orders_of(*, user: User) -> QuerySet[Order]:
    """The API's orders: staff read all orders, everybody else their own purchases, each with
    its lines prefetched (two queries for any page)."""
    if not (user.is_authenticated and user.is_active):
        return Order.objects.none()
    queryset = Order.objects.all() if user.is_staff else Order.objects.filter(buyer_id=user.pk)
    return queryset.prefetch_related(Prefetch("items", queryset=OrderItem.objects.order_by("pk")))


def order_manufacturers(*, order: Order) -> list[User]:
    """The sellers of an order's lines (active accounts), each once, in pk order."""
    return list(
        User.objects.filter(
            pk__in=OrderItem.objects.filter(order=order).values("manufacturer_id"),
            is_active=True,
        ).order_by("pk")
    )


def buyer_orders(*, user: User, statuses: list[str] | None = None) -> QuerySet[Order]:
    """The user's own purchases, newest first, with checkout and lines (three queries for any
    page); ``statuses`` narrows them."""
    if not (user.is_authenticated and user.is_active):
        return Order.objects.none()
    queryset = (
        Order.objects.filter(buyer_id=user.pk)
        .select_related("checkout")
        .prefetch_related(
            Prefetch("items", queryset=OrderItem.objects.select_related("variation").order_by("pk"))
        )
        .order_by("-created_at", "-id")
    )
    return queryset.filter(status__in=statuses) if statuses else queryset


def order_status_history(*, order: Order) -> list[OrderStatusChange]:
    return list(OrderStatusChange.objects.filter(order=order).order_by("created_at", "id"))


def order_line_products(*, orders: list[Order]) -> tuple[dict, dict]:
    """The products of these orders' lines with the catalogue's details, by id, and their
    categories' ancestors (what ``ProductSerializer`` reads): a fixed number of queries."""
    ids = sorted({item.product_id for o in orders for item in o.items.all() if item.product_id})
    products: dict = {product.pk: product for product in products_in_order(ids=ids)}
    ancestors = category_ancestors(
        categories=[product.category for product in products.values()]
    )
    return products, ancestors


def checkouts_visible_to(*, user: User) -> QuerySet[Checkout]:
    """Checkouts are staff's: a checkout spans several manufacturers' orders."""
    if backoffice_role(user) != BackofficeRole.STAFF:
        return Checkout.objects.none()
    return Checkout.objects.all()


def checkout_of(*, user: User, checkout_id) -> Checkout | None:
    """One of the buyer's own checkouts (another buyer's answers as unknown)."""
    try:
        pk = int(str(checkout_id))
    except (TypeError, ValueError):
        return None
    return Checkout.objects.filter(pk=pk, buyer_id=user.pk).first()


def checkout_by_reference(*, reference: str | None, buyer: User | None = None) -> Checkout | None:
    """The checkout of a Paystack reference (of ``buyer`` only, when given)."""
    if not reference:
        return None
    queryset = Checkout.objects.filter(paystack_reference=reference)
    if buyer is not None:
        queryset = queryset.filter(buyer_id=buyer.pk)
    return queryset.first()
