"""Reads of reviews: who may see which, what the storefront shows, and verified purchase."""

from django.conf import settings
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from catalog.models import Product
from catalog.selectors import product_id_slots, products_public
from core.prepared import Later, PreparedQuery
from core.roles import scoped_to_owner
from orders.models import OrderItem, OrderStatus
from reviews.models import Review, ReviewStatus
from users.models import User


def reviews_visible_to(*, user: User) -> QuerySet[Review]:
    """In the backoffice: staff see all reviews, a manufacturer the reviews of their products."""
    return scoped_to_owner(Review.objects.all(), user=user, owner_field="product__manufacturer_id")


def reviews_published() -> QuerySet[Review]:
    return Review.objects.filter(status=ReviewStatus.PUBLISHED)


def reviews_public() -> QuerySet[Review]:
    """What anybody may read: published reviews of public products, newest first."""
    return (
        reviews_published()
        .filter(product__in=products_public())
        .select_related("user")
        .order_by("-created_at", "-id")
    )


def reviews_readable_by(*, user: User) -> QuerySet[Review]:
    """One review by id: the public ones, plus the reader's own (even pending) and, for staff,
    every review."""
    queryset = Review.objects.select_related("user")
    if not (user.is_authenticated and user.is_active):
        return queryset.filter(pk__in=reviews_public().values("pk"))
    if user.is_staff:
        return queryset
    return queryset.filter(Q(pk__in=reviews_public().values("pk")) | Q(user=user))


def review_verified_purchase(*, user: User, product: Product) -> bool:
    """Whether ``user`` has a delivered order containing ``product``."""
    if not (user and user.is_authenticated):
        return False
    return OrderItem.objects.filter(
        order__buyer=user, order__status=OrderStatus.DELIVERED, product=product
    ).exists()


RECENT_REVIEW_FIELDS = ("product_id", "id", "user_id", "user__first_name", "user__last_name",
                        "rating", "comment", "status", "verified_purchase", "created_at",
                        "updated_at")


def _recent_reviews(key, *ids):
    limit = key[1]
    newest_first = [F("created_at").desc(), F("id").desc()]
    return (
        Review.objects.filter(product_id__in=ids, status=ReviewStatus.PUBLISHED)
        .annotate(
            place=Window(RowNumber(), partition_by=[F("product_id")], order_by=newest_first)
        )
        .filter(place__lte=limit)
        .order_by("product_id", *newest_first)
        .values_list(*RECENT_REVIEW_FIELDS)
    )


_RECENT_REVIEWS = PreparedQuery(_recent_reviews)


def product_recent_review_rows(*, ids: list, limit: int | None = None) -> Later[dict]:
    """``product id -> [review row]``: the latest ``limit`` published reviews of each product
    (settings.CATALOG_API_PRODUCT_REVIEWS), newest first, with the author's names, sent
    (``core.prepared.reads_together``); one query (a window over each product's reviews,
    compiled once per process and number of ids), none without ids."""
    limit = settings.CATALOG_API_PRODUCT_REVIEWS if limit is None else limit
    if limit <= 0 or not ids:
        return Later.of({})
    return _RECENT_REVIEWS.send((len(ids), limit), product_id_slots(len(ids)), ids).then(
        _grouped_by_product
    )


def _grouped_by_product(rows: list) -> dict:
    grouped: dict = {}
    for row in rows:
        row = dict(zip(RECENT_REVIEW_FIELDS, row, strict=True))
        grouped.setdefault(row["product_id"], []).append(row)
    return grouped
