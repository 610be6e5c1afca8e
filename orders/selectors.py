"""Reads of orders, and the one scoping function per model for the backoffice.

Backoffice (admin, dashboard): staff see every order and line; a manufacturer sees the orders
that contain at least one of their lines, and of those orders only their own lines
(``order_items_visible_to``); anybody else sees nothing.

API: a user reads their own purchases (``orders_of``); staff read all orders. The storefront's
buyer pages read the buyer's own orders only, staff included (``buyer_orders``), with the
products of their lines (``order_line_products``), in a fixed number of queries; an order's
confirmation (``order_confirmation``) adds the other orders of its checkout and every seller's
name (``order_sellers``).
"""

from dataclasses import dataclass
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
from orders.models import Checkout, CommissionRule, Order, OrderItem, OrderStatusChange
from users.models import User, seller_public_name


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
    """Annotate ``line_count``, ``unshipped_count``, ``lines_total`` and ``lines_commission``
    (the marketplace's, captured at placement) over the lines this
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
        lines_commission=Coalesce(
            per_order(Sum("commission"), money), Value(Decimal("0")), output_field=money
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


def order_sellers(*, orders: QuerySet[Order]) -> dict[int, list[str]]:
    """The public names of the sellers of each of these orders' lines (a deleted seller's lines
    are left out), by order id, each name once in seller pk order: one query."""
    rows = (
        OrderItem.objects.filter(order__in=orders, manufacturer__isnull=False)
        .values_list(
            "order_id",
            "manufacturer_id",
            "manufacturer__manufacturer_profile__display_name",
            "manufacturer__first_name",
            "manufacturer__last_name",
            "manufacturer__email",
        )
        .order_by("order_id", "manufacturer_id")
        .distinct()
    )
    sellers: dict[int, list[str]] = {}
    for order_id, _, profile_name, first_name, last_name, email in rows:
        sellers.setdefault(order_id, []).append(
            seller_public_name(
                profile_name=profile_name, first_name=first_name, last_name=last_name, email=email
            )
        )
    return sellers


def sellers_of_items(items: list[OrderItem]) -> list[str]:
    """``order_sellers`` of one order from lines in memory whose ``manufacturer`` was read with
    its profile (``select_related("manufacturer__manufacturer_profile")``): no query."""
    names: dict[int, str] = {}
    for item in items:
        seller = item.manufacturer
        if seller is None or seller.pk in names:
            continue
        profile = getattr(seller, "manufacturer_profile", None)
        names[seller.pk] = seller_public_name(
            profile_name=profile.display_name if profile is not None else None,
            first_name=seller.first_name, last_name=seller.last_name, email=seller.email,
        )
    return [names[pk] for pk in sorted(names)]


@dataclass(frozen=True)
class OrderConfirmation:
    order: Order  # with its checkout and lines
    others: list[Order]  # the other orders of its checkout, oldest first, with ``line_count``
    sellers: dict[int, list[str]]  # by order id, for the order and the others


def order_confirmation(*, user: User, order_id) -> OrderConfirmation | None:
    """One of the user's own purchases as its confirmation reads it, with the other orders of
    its checkout when the checkout was split between manufacturers (None for another user's
    order or an unknown id): four queries."""
    order = buyer_orders(user=user).filter(pk=order_id).first()
    if order is None:
        return None
    if order.checkout_id is None:
        others: list[Order] = []
        together = Order.objects.filter(pk=order.pk)
    else:
        together = Order.objects.filter(checkout_id=order.checkout_id)
        others = list(
            together.exclude(pk=order.pk).annotate(line_count=Count("items")).order_by("pk")
        )
    return OrderConfirmation(order=order, others=others, sellers=order_sellers(orders=together))


def commission_rules_visible_to(*, user: User) -> QuerySet[CommissionRule]:
    """Staff: every rule; a manufacturer: the rules that may apply to their lines (their own
    and the general ones, for every manufacturer); anyone else none."""
    role = backoffice_role(user)
    if role == BackofficeRole.STAFF:
        return CommissionRule.objects.all()
    if role == BackofficeRole.MANUFACTURER:
        return CommissionRule.objects.filter(
            Q(manufacturer_id=user.pk) | Q(manufacturer__isnull=True)
        )
    return CommissionRule.objects.none()
