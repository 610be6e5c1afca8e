"""Reads behind the dashboard and the reports: every figure starts from a scoping selector.

Staff see every manufacturer's data; a manufacturer only their own (products, variations, stock
movements, reviews of their products, imports, and only their own order lines, never another
seller's lines of a shared order). Each function is one query (or a fixed few), whatever the
number of rows, so the dashboard and report pages cost the same at any size.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django_q.models import Failure

from catalog.models import ApprovalStatus, Product, StockMovement, Variation
from catalog.models.products import low_stock_q
from catalog.selectors import (
    products_visible_to,
    stock_movements_visible_to,
    variations_visible_to,
)
from core.roles import ManufacturerStatus
from imports.admin_status import IMPORT_STATES
from imports.models import ProductImport
from imports.selectors import product_imports_visible_to
from notifications.models import OutboundMessage
from orders.models import OrderItem, OrderStatus
from orders.selectors import order_items_visible_to, orders_visible_to
from reviews.models import Review, ReviewStatus
from reviews.selectors import reviews_visible_to
from users.models import User

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Decimal("0.00")


def day_start(day: date) -> datetime:
    """The first instant of a calendar day in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


# --- Catalogue ----------------------------------------------------------------------------------


def products_by_approval_status(*, user: User) -> dict[str, int]:
    """Products per approval status (every status present, 0 when none)."""
    counts = dict(
        products_visible_to(user=user)
        .order_by()
        .values_list("approval_status")
        .annotate(n=Count("pk"))
    )
    return {status: counts.get(status, 0) for status in ApprovalStatus.values}


@dataclass(frozen=True)
class StockFigures:
    inventory_value: Decimal
    units: int
    low: int  # variations at or under their threshold but not empty
    out: int  # variations with no stock


def stock_figures(*, user: User) -> StockFigures:
    """Inventory value (each variation's price, its override or the product's, x its stock) and
    the low / out-of-stock variation counts, in one query."""
    unit_price = Coalesce("price_override", "product__price", output_field=MONEY)
    figures = variations_visible_to(user=user).aggregate(
        value=Sum(ExpressionWrapper(unit_price * F("stock"), output_field=MONEY)),
        units=Sum("stock"),
        low=Count("pk", filter=low_stock_q(out_of_stock=False)),
        out=Count("pk", filter=Q(stock=0)),
    )
    return StockFigures(
        inventory_value=(figures["value"] or ZERO).quantize(Decimal("0.01")),
        units=figures["units"] or 0,
        low=figures["low"],
        out=figures["out"],
    )


def low_stock_variations(*, user: User, state: str = "") -> QuerySet[Variation]:
    """Variations at or under their low-stock threshold ("out": empty ones, "low": the others),
    emptiest first, with what the report shows selected along."""
    queryset = variations_visible_to(user=user).filter(
        low_stock_q(out_of_stock=state != "low")
    )
    if state == "out":
        queryset = queryset.filter(stock=0)
    return queryset.select_related(
        "product__category", "manufacturer__manufacturer_profile"
    ).order_by("stock", "product__name", "pk")


def stock_ledger(
    *,
    user: User,
    product: Product | None = None,
    reason: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[StockMovement]:
    return _log_rows(
        stock_movements_visible_to(user=user),
        period=(date_from, date_to),
        related=("actor", "manufacturer__manufacturer_profile"),
        product=product,
        reason=reason,
    )


def _in_period(queryset: QuerySet, field: str, date_from: date | None, date_to: date | None):
    """Rows whose ``field`` falls on the days from ``date_from`` to ``date_to`` (both kept)."""
    if date_from:
        queryset = queryset.filter(**{f"{field}__gte": day_start(date_from)})
    if date_to:
        queryset = queryset.filter(**{f"{field}__lt": day_start(date_to + timedelta(days=1))})
    return queryset


def _log_rows(
    queryset: QuerySet, *, period: tuple, related: tuple[str, ...], **equal
) -> QuerySet:
    """A log report's rows (stock ledger, import history): the filters that are set, created
    within ``period`` (from, to), newest first."""
    queryset = queryset.filter(**{k: v for k, v in equal.items() if v not in (None, "")})
    queryset = _in_period(queryset, "created_at", *period)
    return queryset.select_related(*related).order_by("-created_at", "-pk")


# --- Reviews ------------------------------------------------------------------------------------


def latest_reviews(*, user: User, limit: int = 5) -> list[Review]:
    return list(
        reviews_visible_to(user=user)
        .select_related("product", "user")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class RatingTrend:
    recent_average: float | None  # published reviews of the last 30 days
    previous_average: float | None  # of the 30 days before
    overall_average: float | None
    published: int
    pending: int

    @property
    def change(self) -> float | None:
        if self.recent_average is None or self.previous_average is None:
            return None
        return round(self.recent_average - self.previous_average, 2)


def rating_trend(*, user: User, days: int = 30) -> RatingTrend:
    """Average rating now against the period before, and the moderation queue, in one query."""
    now = timezone.now()
    recent = Q(created_at__gte=now - timedelta(days=days))
    previous = Q(created_at__gte=now - timedelta(days=2 * days)) & ~recent
    published = Q(status=ReviewStatus.PUBLISHED)
    figures = reviews_visible_to(user=user).aggregate(
        recent=Avg("rating", filter=published & recent),
        previous=Avg("rating", filter=published & previous),
        overall=Avg("rating", filter=published),
        published=Count("pk", filter=published),
        pending=Count("pk", filter=Q(status=ReviewStatus.PENDING)),
    )

    def rounded(value):
        return None if value is None else round(float(value), 2)

    return RatingTrend(
        recent_average=rounded(figures["recent"]),
        previous_average=rounded(figures["previous"]),
        overall_average=rounded(figures["overall"]),
        published=figures["published"],
        pending=figures["pending"],
    )


def ratings_by_product(*, user: User, search: str = "", max_average=None) -> QuerySet[Product]:
    """Products with at least one review, each with its published rating average and count,
    the count per star, and the reviews waiting for moderation. One join on reviews: every
    figure is a filtered aggregate over the same rows, so nothing is counted twice."""
    published = Q(reviews__status=ReviewStatus.PUBLISHED)
    queryset = (
        products_visible_to(user=user)
        .annotate(
            review_count=Count("reviews", filter=published),
            rating_average=Avg("reviews__rating", filter=published),
            pending_count=Count("reviews", filter=Q(reviews__status=ReviewStatus.PENDING)),
            **{
                f"stars_{stars}": Count("reviews", filter=published & Q(reviews__rating=stars))
                for stars in range(1, 6)
            },
        )
        .filter(Q(review_count__gt=0) | Q(pending_count__gt=0))
        .select_related("manufacturer__manufacturer_profile")
    )
    if search:
        queryset = queryset.filter(name__icontains=search)
    if max_average is not None:
        queryset = queryset.filter(rating_average__lte=max_average)
    return queryset.order_by(F("rating_average").asc(nulls_last=True), "name")


# --- Imports ------------------------------------------------------------------------------------


def recent_imports(*, user: User, limit: int = 5) -> list[ProductImport]:
    return list(
        product_imports_visible_to(user=user)
        .select_related("manufacturer__manufacturer_profile")
        .order_by("-created_at", "-pk")[:limit]
    )


def import_history(
    *, user: User, status: str = "", date_from: date | None = None, date_to: date | None = None
) -> QuerySet[ProductImport]:
    """``status`` is one of the imports' status words (``IMPORT_STATES``: "errors", "ready",
    "imported" ...), the same the Imports list filters by."""
    rows = product_imports_visible_to(user=user)
    if status in IMPORT_STATES:
        rows = rows.filter(IMPORT_STATES[status][1])
    return _log_rows(
        rows,
        period=(date_from, date_to),
        related=("created_by", "manufacturer__manufacturer_profile"),
    )


# --- Sales --------------------------------------------------------------------------------------


def sold_lines(
    *, user: User, date_from: date | None = None, date_to: date | None = None
) -> QuerySet[OrderItem]:
    """The order lines this user may see that count as sales: not of a cancelled order, placed
    on the days from ``date_from`` to ``date_to``."""
    queryset = order_items_visible_to(user=user).exclude(order__status=OrderStatus.CANCELLED)
    return _in_period(queryset, "order__created_at", date_from, date_to)


@dataclass(frozen=True)
class DailySales:
    days: list[date]
    orders: list[int]
    revenue: list[Decimal]

    def total_orders(self, last: int) -> int:
        return sum(self.orders[-last:])

    def total_revenue(self, last: int) -> Decimal:
        return sum(self.revenue[-last:], ZERO)


def daily_sales(*, user: User, days: int = 30) -> DailySales:
    """Orders (with at least one line of this user's) and line revenue per day, for the last
    ``days`` days including today, every day present."""
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    rows = (
        sold_lines(user=user, date_from=first)
        .annotate(day=TruncDate("order__created_at"))
        .order_by()
        .values("day")
        .annotate(orders=Count("order", distinct=True), revenue=Sum("line_total"))
    )
    by_day = {row["day"]: row for row in rows}
    all_days = [first + timedelta(days=n) for n in range(days)]
    return DailySales(
        days=all_days,
        orders=[by_day.get(day, {}).get("orders", 0) for day in all_days],
        revenue=[by_day.get(day, {}).get("revenue") or ZERO for day in all_days],
    )


SALES_GROUPS = {
    "product": "product_id",
    "manufacturer": "manufacturer_id",
    "category": "product__category_id",
}


def sales_summary(
    *,
    user: User,
    group_by: str = "product",
    date_from: date | None = None,
    date_to: date | None = None,
    category=None,
) -> QuerySet:
    """Sales grouped by product, manufacturer or category: rows of ``key``, ``name``,
    ``quantity``, ``orders`` and ``revenue``; ``category`` keeps its whole subtree.

    Category rows carry the category's own name; the report swaps in its full path.
    """
    queryset = sold_lines(user=user, date_from=date_from, date_to=date_to)
    if category is not None:
        queryset = queryset.filter(product__category__path__startswith=category.path)
    names = {
        "product": Max("product_name"),
        "manufacturer": Max("manufacturer__manufacturer_profile__display_name"),
        "category": Max("product__category__name"),
    }
    return (
        queryset.order_by()
        .annotate(key=F(SALES_GROUPS[group_by]))
        .values("key")
        .annotate(
            name=names[group_by],
            quantity=Sum("quantity"),
            orders=Count("order", distinct=True),
            revenue=Sum("line_total"),
        )
        .order_by("-revenue", "name")
    )


def sales_totals(
    *,
    user: User,
    date_from: date | None = None,
    date_to: date | None = None,
    category=None,
) -> dict:
    """The sales report's totals row, over the same lines as ``sales_summary``: ``orders``
    counts each order once (an order of two products is one order, not two)."""
    queryset = sold_lines(user=user, date_from=date_from, date_to=date_to)
    if category is not None:
        queryset = queryset.filter(product__category__path__startswith=category.path)
    totals = queryset.order_by().aggregate(
        quantity=Sum("quantity"), orders=Count("order", distinct=True), revenue=Sum("line_total")
    )
    return {
        "quantity": totals["quantity"] or 0,
        "orders": totals["orders"] or 0,
        "revenue": totals["revenue"] or Decimal("0"),
    }


def top_sellers(*, user: User, group_by: str, days: int = 30, limit: int = 5) -> list[dict]:
    since = timezone.localdate() - timedelta(days=days - 1)
    return list(sales_summary(user=user, group_by=group_by, date_from=since)[:limit])


# --- Orders and system health (staff) -----------------------------------------------------------


def orders_by_status(*, user: User) -> dict[str, int]:
    counts = dict(
        orders_visible_to(user=user).order_by().values_list("status").annotate(n=Count("pk"))
    )
    return {status: counts.get(status, 0) for status in OrderStatus.values}


def manufacturers_pending_count() -> int:
    """Manufacturers who signed up and wait for staff's decision."""
    return User.objects.filter(
        is_manufacturer=True, manufacturer_status=ManufacturerStatus.PENDING
    ).count()


def failed_outbox_count() -> int:
    return OutboundMessage.objects.filter(status=OutboundMessage.Status.FAILED).count()


def failed_task_count() -> int:
    return Failure.objects.count()


def new_users_per_week(*, weeks: int = 8) -> list[tuple[date, int]]:
    """Sign-ups per week (weeks start on Monday), oldest first, the current week last.

    Bucketed in Python from one query of join dates (a few thousand rows at most in eight
    weeks): the database's week truncation differs between SQLite and PostgreSQL."""
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    first_monday = this_monday - timedelta(weeks=weeks - 1)
    counts = {first_monday + timedelta(weeks=n): 0 for n in range(weeks)}
    joined = User.objects.filter(date_joined__gte=day_start(first_monday)).values_list(
        "date_joined", flat=True
    )
    for moment in joined.iterator():
        day = timezone.localtime(moment).date()
        monday = day - timedelta(days=day.weekday())
        if monday in counts:
            counts[monday] += 1
    return list(counts.items())
