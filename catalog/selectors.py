"""Reads of the catalogue, and the one scoping function per vendor-owned model.

Every place a manufacturer can reach catalogue data (admin querysets and permissions, actions,
exports, imports, API, dashboard) goes through the ``*_visible_to`` functions here: staff see
everything, a manufacturer sees their own rows, anybody else sees nothing.
"""

import uuid
from collections.abc import Iterable
from functools import cache

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Left, Length

from catalog.models import Category, Product, ProductImage, StockMovement, Variation
from catalog.models.products import PUBLIC
from catalog.sections import sections_attach
from core.prepared import Exact, Later, PreparedQuery, field_slots, marker
from core.roles import ManufacturerStatus, scoped_to_owner
from users.models import User

CATEGORY_PATH_SEPARATOR = " > "


def _scoped(queryset: QuerySet, user: User, owner_field: str) -> QuerySet:
    return scoped_to_owner(queryset, user=user, owner_field=owner_field)


def products_visible_to(*, user: User) -> QuerySet[Product]:
    return _scoped(Product.objects.all(), user, "manufacturer_id")


def variations_visible_to(*, user: User) -> QuerySet[Variation]:
    return _scoped(Variation.objects.all(), user, "manufacturer_id")


def product_images_visible_to(*, user: User) -> QuerySet[ProductImage]:
    return _scoped(ProductImage.objects.all(), user, "product__manufacturer_id")


def stock_movements_visible_to(*, user: User) -> QuerySet[StockMovement]:
    return _scoped(StockMovement.objects.all(), user, "manufacturer_id")


def categories_hidden() -> QuerySet[Category]:
    """Categories the storefront does not show: inactive ones and everything below them (an
    inactive ancestor's path is a prefix of the category's path)."""
    inactive_ancestor = Category.objects.filter(
        is_active=False, path=Left(OuterRef("path"), Length("path"))
    )
    return Category.objects.filter(Exists(inactive_ancestor))


def products_public() -> QuerySet[Product]:
    """What the storefront may show: approved, active, of an active seller, in a category that is
    active and has no inactive ancestor (switching a department off, or suspending a
    manufacturer, hides their products at once).

    The product's own part is stored and indexed (``catalog.models.products.PUBLIC``: partial
    indexes for each storefront order); the category part is one uncorrelated subquery over the
    small category table (the database evaluates it once per query, not per product), so no
    flag on 100k products has to follow a category switched off or moved.
    """
    if not _public:
        _public.append(
            Product.objects.filter(PUBLIC)
            .exclude(category_id__in=categories_hidden().values("pk"))
            .exclude(manufacturer_id__in=sellers_not_selling().values("pk"))
        )
    return _public[0].all()


# ``products_public`` built once per process and cloned for each caller: it holds nothing of a
# request's, and building it (two subqueries, their joins and lookups) cost an uncached list
# more than its own SQL. A clone shares the built lookups, as any chained queryset does.
_public: list[QuerySet[Product]] = []


def sellers_not_selling() -> QuerySet[User]:
    """Sellers whose products the storefront does not show: a manufacturer account that is
    pending, rejected or suspended (users' vendor onboarding). A few rows, read once per query
    like ``categories_hidden``, so the storefront's indexes still serve the product part."""
    return User.objects.filter(Q(is_manufacturer=True) | Q(is_staff=True)).exclude(
        manufacturer_status=ManufacturerStatus.ACTIVE
    )


def category_subtree(*, category: Category) -> QuerySet[Category]:
    """The category and all its descendants (one query on the materialised path)."""
    return Category.objects.filter(path__startswith=category.path)


def category_labels() -> dict[int, str]:
    """Every category's full path ("Electronics > Phones > Android") by id, from one query."""
    names_by_path: dict[str, str] = {}
    labels: dict[int, str] = {}
    for pk, path, name in Category.objects.order_by("path").values_list("pk", "path", "name"):
        names_by_path[path] = name
        steps = range(Category.steplen, len(path) + 1, Category.steplen)
        labels[pk] = CATEGORY_PATH_SEPARATOR.join(names_by_path[path[:end]] for end in steps)
    return labels


# --- The storefront API ------------------------------------------------------------------------


def products_with_details(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """The catalogue's own part of the product JSON, in a fixed number of queries whatever the
    page size: the page (with category and manufacturer; ratings are stored on the product)
    plus one query each for images and listed variations.

    ``listed_variations`` leaves out the blank stock holder of a product without variations
    (its stock is the product's ``inventory``). The sections other apps add (``catalog.sections``)
    come with ``products_in_order``.
    """
    return queryset.select_related(
        "category", "manufacturer__manufacturer_profile"
    ).prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
        Prefetch(
            "variations",
            queryset=Variation.objects.exclude(size="", color="").order_by("id"),
            to_attr="listed_variations",
        ),
    )


def products_in_order(*, ids: list) -> list[Product]:
    """The products with these ids, with everything the product JSON shows
    (``products_with_details``, and each section of ``catalog.sections`` in one more query), in
    the order of ``ids``.

    Lists page over ids first (``values_list("pk")``: the page is an index range of the
    ordering's partial index) and fetch the page's details here.
    """
    if not ids:
        return []
    found = products_with_details(Product.objects.filter(pk__in=ids).order_by())
    by_id = {product.pk: product for product in found}
    products = [by_id[pk] for pk in ids if pk in by_id]
    sections_attach(products)
    return products


# Lists render from value rows (``catalog.api.cards``): no model instances, one query each.
PRODUCT_CARD_FIELDS = (
    "id", "slug", "name", "description", "price", "discount_percent", "inventory", "is_active",
    "rating", "rating_count", "created_at", "updated_at",
    "category_id", "category__name", "category__slug", "category__path",
    "manufacturer_id", "manufacturer__first_name", "manufacturer__last_name",
    "manufacturer__email", "manufacturer__manufacturer_profile__display_name",
)


@cache
def product_id_slots(count: int) -> tuple:
    """Slots of ``count`` product ids (``core.prepared``)."""
    return field_slots(Product._meta.pk, uuid.UUID, count)


@cache
def text_slots(count: int) -> tuple:
    return tuple(Exact(marker(str, index)) for index in range(count))


SLUG_MARKER = marker(str, 9999)


def _rows_as_dicts(names: tuple[str, ...], rows: list) -> list[dict]:
    return [dict(zip(names, row, strict=True)) for row in rows]


def card_rows_of(rows: list) -> list[dict]:
    """Rows of ``values_list(*PRODUCT_CARD_FIELDS)`` as the card rows ``product_card_rows``
    answers."""
    return _rows_as_dicts(PRODUCT_CARD_FIELDS, rows)


_CARD_ROWS = PreparedQuery(
    lambda key, *ids: Product.objects.filter(pk__in=ids).order_by()
    .values_list(*PRODUCT_CARD_FIELDS)
)


def product_card_rows(*, ids: list) -> list[dict]:
    """The products with these ids as value rows (``PRODUCT_CARD_FIELDS``: with their category
    and seller), in the order of ``ids``; one query (compiled once per length of ``ids``)."""
    if not ids:
        return []
    rows = _CARD_ROWS.rows(len(ids), product_id_slots(len(ids)), ids)
    by_id = {row["id"]: row for row in _rows_as_dicts(PRODUCT_CARD_FIELDS, rows)}
    return [by_id[pk] for pk in ids if pk in by_id]


def product_card_row(queryset: QuerySet[Product]) -> dict | None:
    """The one product ``queryset`` holds (a lookup within a visibility scope) as a value row,
    None when it holds none; one query that both checks and fetches."""
    return next(iter(queryset.order_by().values(*PRODUCT_CARD_FIELDS)[:1]), None)


_PUBLIC_CARD = {
    field: PreparedQuery(
        lambda key, value, field=field: products_public().filter(**{field: value}).order_by()
        .values_list(*PRODUCT_CARD_FIELDS)[:1]
    )
    for field in ("pk", "slug")
}


def public_product_card_row(*, pk=None, slug: str | None = None) -> dict | None:
    """The public product with this id (a UUID) or slug as a value row
    (``PRODUCT_CARD_FIELDS``), None when no public product has it; one query, compiled once
    per process."""
    if pk is not None:
        rows = _PUBLIC_CARD["pk"].rows("pk", product_id_slots(1), [pk])
    else:
        rows = _PUBLIC_CARD["slug"].rows("slug", (Exact(SLUG_MARKER),), [slug])
    return _rows_as_dicts(PRODUCT_CARD_FIELDS, rows)[0] if rows else None


_CATEGORY_ROWS = PreparedQuery(
    lambda key, *paths: Category.objects.filter(path__in=paths).order_by()
    .values_list("path", "pk", "name", "slug")
)


def category_rows_by_path(*, paths: Iterable[str]) -> Later[dict[str, tuple[int, str, str]]]:
    """``path -> (id, name, slug)`` of the categories at these paths, sent
    (``core.prepared.reads_together``); one query (none without paths)."""
    paths = sorted(set(paths))
    if not paths:
        return Later.of({})
    slots = text_slots(len(paths))
    return _CATEGORY_ROWS.send(len(paths), slots, paths).then(
        lambda rows: {path: (pk, name, slug) for path, pk, name, slug in rows}
    )


def _grouped(rows: Iterable[dict], key: str = "product_id") -> dict:
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


IMAGE_FIELDS = ("product_id", "id", "alt_text", "position", "original", "medium", "thumbnail")
_IMAGE_ROWS = PreparedQuery(
    lambda key, *ids: ProductImage.objects.filter(product_id__in=ids)
    .order_by("product_id", "position", "id").values_list(*IMAGE_FIELDS)
)


def product_image_rows(*, ids: list) -> Later[dict]:
    """``product id -> [image row]`` in position order, sent (``core.prepared.reads_together``);
    one query."""
    if not ids:
        return Later.of({})
    return _IMAGE_ROWS.send(len(ids), product_id_slots(len(ids)), ids).then(
        lambda rows: _grouped(_rows_as_dicts(IMAGE_FIELDS, rows))
    )


VARIATION_FIELDS = ("product_id", "id", "size", "color", "sku", "stock", "low_stock_threshold",
                    "price_override")
_VARIATION_ROWS = PreparedQuery(
    lambda key, *ids: Variation.objects.filter(product_id__in=ids).exclude(size="", color="")
    .order_by("id").values_list(*VARIATION_FIELDS)
)


def product_variation_rows(*, ids: list) -> Later[dict]:
    """``product id -> [listed variation row]`` (the blank stock holder left out, as
    ``products_with_details``), sent (``core.prepared.reads_together``); one query."""
    if not ids:
        return Later.of({})
    return _VARIATION_ROWS.send(len(ids), product_id_slots(len(ids)), ids).then(
        lambda rows: _grouped(_rows_as_dicts(VARIATION_FIELDS, rows))
    )


def product_detail_visible_to(*, user: User) -> QuerySet[Product]:
    """What one product's page may show: any public product, plus (for a signed-in user) what
    the backoffice lets them see: their own products for a manufacturer, all for staff."""
    public = products_public()
    if not (user.is_authenticated and user.is_active):
        return public
    if user.is_staff:
        return Product.objects.all()
    return Product.objects.filter(
        Q(pk__in=public.values("pk")) | Q(pk__in=products_visible_to(user=user).values("pk"))
    )


def categories_public() -> QuerySet[Category]:
    """The categories the storefront shows: active ones (ordered as the tree)."""
    return Category.objects.filter(is_active=True).order_by("path")


# Beyond this many categories a subtree filter stays a subquery (SQL variable limits).
SUBTREE_LITERAL_MAX = 2000


def category_subtree_ids(*, key: str) -> list[int] | QuerySet[Category]:
    """The ids of the categories a storefront ``category=`` value names (by slug, or by id when
    numeric) and of all their descendants; one query. A subtree larger than
    ``SUBTREE_LITERAL_MAX`` comes back as the (unevaluated) subquery."""
    key = (key or "").strip()
    if not key:
        return []
    named = Q(slug=key)
    if key.isdigit():
        named |= Q(pk=int(key))
    # A category is in the subtree when a named category's path is a prefix of its path.
    named_ancestor = Category.objects.filter(named, path=Left(OuterRef("path"), Length("path")))
    subtree = Category.objects.filter(Exists(named_ancestor)).values_list("pk", flat=True)
    ids = list(subtree[: SUBTREE_LITERAL_MAX + 1])
    return ids if len(ids) <= SUBTREE_LITERAL_MAX else subtree


def products_in_categories(
    queryset: QuerySet[Product], *, ids: list[int] | QuerySet[Category]
) -> QuerySet[Product]:
    """Products in these categories, as ``category_id IN (<the ids>)``: no join with the
    product rows, and a literal list lets the planner weigh the subtree by its statistics (on
    SQLite a department's newest-first page walks the newest-first index instead of sorting
    its 18k products, 19 -> 1 ms at 100k; a leaf still reads its category index)."""
    if not isinstance(ids, QuerySet) and not ids:
        return queryset.none()
    return queryset.filter(category_id__in=ids)


def category_ancestors(*, categories: Iterable[Category]) -> dict[str, Category]:
    """The ancestors of the given categories by path, in one query (none when all are roots)."""
    paths: set[str] = set()
    for category in categories:
        for end in range(Category.steplen, len(category.path), Category.steplen):
            paths.add(category.path[:end])
    if not paths:
        return {}
    return {c.path: c for c in Category.objects.filter(path__in=paths)}


def category_tree_entries(*, queryset: QuerySet[Category]) -> list[Category]:
    """Every category of ``queryset`` flat, in tree order, each with ``parent_id`` (None for a
    root or when its parent is not in ``queryset``) and ``children`` (from ``queryset``), from
    one query."""
    categories = list(queryset.order_by("path"))
    by_path = {c.path: c for c in categories}
    for category in categories:
        category.children_list = []
    for category in categories:
        parent = by_path.get(category.path[: -Category.steplen])
        category.parent_id = parent.pk if parent else None
        if parent is not None:
            parent.children_list.append(category)
    return categories
