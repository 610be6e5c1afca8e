"""The storefront list's page of products, its query compiled once per process and shape.

``ListingFilters`` holds what the list's query string asks for (the filters of
``catalog.api.filters.ProductFilter`` the storefront sends, already validated);
``listing_queryset`` builds the ORM queryset of it (the count and the deep pages' checkpoints
read it, once per listing version), and ``listing_page_rows`` reads a page of it through a
``core.prepared.PreparedQuery``: the same SQL, built and compiled once per shape (which
filters, how many categories or words, the ordering), with each request's values bound; the
page's products come with their card's columns (category, seller) in the same query.
"""

import sqlite3
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.expressions import RawSQL

from catalog.models import Product
from catalog.search import FTS_TABLE, ProductTextMatch, fts5_query
from catalog.selectors import (
    PRODUCT_CARD_FIELDS,
    card_rows_of,
    product_card_rows,
    products_in_categories,
    products_public,
)
from core.keyset import Term, order_terms, rows_after
from core.prepared import Exact, PreparedQuery, Text, field_prep, marker

# ?ordering= value -> the field it sorts on.
PRODUCT_ORDERING = {
    "price": "price",
    "created_at": "created_at",
    "name": "name",
    "rating": "rating",
}
PRODUCT_DEFAULT_ORDERING = ("-created_at", "-pk")


def products_ordered(queryset: QuerySet, terms) -> QuerySet:
    """``ordering=price,-rating``: unrated products sort last either way, and the newest first
    breaks ties, so pages never overlap."""
    order = []
    for param in terms:
        if not param.lstrip("-"):  # "ordering=," or a trailing comma: no term
            continue
        descending = param.startswith("-")
        field = PRODUCT_ORDERING[param.lstrip("-")]
        if field == "rating" and not descending:
            # An unrated product's stored rating is 0: put those after the rated ones.
            order.append(ExpressionWrapper(Q(rating_count=0), output_field=BooleanField()))
        # Plain ASC/DESC on NOT NULL columns: the partial indexes serve these orders
        # (a NULLS LAST modifier would make SQLite sort instead).
        order.append(F(field).desc() if descending else F(field).asc())
    return queryset.order_by(*order, *PRODUCT_DEFAULT_ORDERING)


@dataclass(frozen=True)
class ListingFilters:
    """A list's filters, applied in ``ProductFilter``'s order. None: no such filter; an empty
    ``categories`` or ``search`` matches nothing (an unknown category, a search of only
    punctuation)."""

    categories: tuple[int, ...] | None = None
    name: str | None = None
    search: tuple[str, ...] | None = None
    is_active: bool | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    manufacturer: int | None = None
    seller: int | None = None
    ordering: tuple[str, ...] = ()

    def matches_nothing(self) -> bool:
        return self.categories == () or self.search == ()

    def shape(self) -> tuple:
        """What changes the SQL's text: which filters, how many categories and words, the
        ordering, ``is_active``'s value."""
        return (
            None if self.categories is None else len(self.categories),
            self.name is not None,
            None if self.search is None else len(self.search),
            self.is_active,
            self.price_min is not None,
            self.price_max is not None,
            self.manufacturer is not None,
            self.seller is not None,
            self.ordering,
        )

    def values(self) -> list:
        """The values bound into the shape's slots, in their order."""
        found = list(self.categories or ())
        if self.name is not None:
            found.append(self.name)
        found += list(self.search or ())
        found += [
            value
            for value in (self.price_min, self.price_max, self.manufacturer, self.seller)
            if value is not None
        ]
        return found


def listing_queryset(filters: ListingFilters, *, matches_first: bool = False) -> QuerySet:
    """The public products these filters hold, in the list's order, as ids (``matches_first``:
    ``ProductTextMatch``'s)."""
    queryset = products_public().order_by(*PRODUCT_DEFAULT_ORDERING)
    if filters.matches_nothing():
        return queryset.none().values_list("pk", flat=True)
    if filters.categories is not None:
        queryset = products_in_categories(queryset, ids=list(filters.categories))
    if filters.name is not None:
        queryset = queryset.filter(name__icontains=filters.name)
    if filters.search is not None:
        queryset = queryset.filter(
            ProductTextMatch(list(filters.search), matches_first=matches_first)
        )
    if filters.is_active is not None:
        queryset = queryset.filter(is_active=filters.is_active)
    if filters.price_min is not None:
        queryset = queryset.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        queryset = queryset.filter(price__lte=filters.price_max)
    if filters.manufacturer is not None:
        queryset = queryset.filter(manufacturer_id=filters.manufacturer)
    if filters.seller is not None:
        queryset = queryset.filter(manufacturer_id=filters.seller)
    if filters.ordering:
        queryset = products_ordered(queryset, filters.ordering)
    return queryset.values_list("pk", flat=True)


def _like(value: str, connection) -> str:
    return connection.ops.prep_for_like_query(value)


@cache
def _slots(shape: tuple) -> tuple[tuple, ListingFilters]:
    """The slots of a shape, and the filters holding its markers."""
    categories, name, words, _active, low, high, maker, seller, _ordering = shape
    category_prep = field_prep(Product._meta.get_field("category"))
    price_prep = field_prep(Product._meta.get_field("price"))
    maker_prep = field_prep(Product._meta.get_field("manufacturer"))
    slots: list = []
    marked: dict = {}
    if categories is not None:
        marked["categories"] = tuple(marker(int, index) for index in range(categories))
        slots += [Exact(value, category_prep) for value in marked["categories"]]
    if name:
        marked["name"] = marker(str, 0)
        slots.append(Text(marked["name"], _like))
    if words is not None:
        marked["search"] = tuple(f"zzmarker{index:04d}zz" for index in range(words))
        slots += [Text(word) for word in marked["search"]]
    for field, present, value, prep in (
        ("price_min", low, Decimal("987654.01"), price_prep),
        ("price_max", high, Decimal("987654.02"), price_prep),
        ("manufacturer", maker, marker(int, 900), maker_prep),
        ("seller", seller, marker(int, 901), maker_prep),
    ):
        if present:
            marked[field] = value
            slots.append(Exact(value, prep))
    return tuple(slots), marked


def _build(key: tuple, *markers) -> QuerySet:
    """``(matches_first, shape)``: the page's card rows."""
    matches_first, shape = key
    queryset = listing_queryset(_marked_filters(shape), matches_first=matches_first)
    return queryset.values_list(*PRODUCT_CARD_FIELDS)


def _marked_filters(shape: tuple) -> ListingFilters:
    _active, ordering = shape[3], shape[8]
    return replace(ListingFilters(is_active=_active, ordering=ordering), **_slots(shape)[1])


_PAGE = PreparedQuery(_build)


def listing_page_rows(filters: ListingFilters, *, offset: int, size: int) -> list[dict]:
    """The card rows (``catalog.selectors.PRODUCT_CARD_FIELDS``) of ``size`` products from
    ``offset`` of the list, in its order: one query, the page's products read with their
    category and seller (none when the filters match nothing; two for a search's first page on
    SQLite, ``_SEARCH_WINDOW``)."""
    if filters.matches_nothing():
        return []
    shape = filters.shape()
    slots = _slots(shape)[0]
    matches_first = False
    if _windowed(filters, offset):
        rows = _SEARCH_WINDOW.rows(("window", shape, size), slots, filters.values(), page=(0, size))
        *page, (_none, _nothing, in_window) = rows
        if len(page) == size or in_window < WINDOW_PAGES * size:
            # A whole page of matches in the window, or the window was the whole list.
            page.sort(key=lambda row: (row[1], row[0].hex), reverse=True)
            return product_card_rows(ids=[row[0] for row in page])
        matches_first = True  # a rarer word: its matches drive
    rows = _PAGE.rows((matches_first, shape), slots, filters.values(), page=(offset, size))
    return card_rows_of(rows)


# SQLite, a search's newest-first first page. Walking the newest-first index and checking each
# product against the matches (ProductTextMatch's plan for a page) first reads every match's
# rowid out of FTS5: 25k for a common word at 100k products, ~3 ms before the page is read.
# Instead: the list's first WINDOW_PAGES pages without the search (the index walked, no match
# read), then FTS5's matches only within those products' rowid range (a product's rowid follows
# its creation, so the newest products' range is narrow). When the window holds a whole page of
# matches, that page is the search's first page, exactly: the window is the list's beginning.
# Otherwise (a rarer word) the matches drive, as few as they are.
WINDOW_PAGES = 10


def _windowed(filters: ListingFilters, offset: int) -> bool:
    return (
        offset == 0
        and bool(filters.search)
        and not filters.ordering
        and connection.vendor == "sqlite"
    )


def _build_window(key: tuple, *markers) -> QuerySet:
    _window, shape, size = key
    filters = _marked_filters(shape)
    return (
        listing_queryset(replace(filters, search=None))
        .annotate(window_rowid=RawSQL(f'"{Product._meta.db_table}".rowid', ()))
        .values_list("pk", "created_at", "window_rowid")[: WINDOW_PAGES * size]
    )


def _window_sql(key: tuple, sql: str, params: list) -> tuple[str, list]:
    words = _marked_filters(key[1]).search
    materialized = "MATERIALIZED " if sqlite3.sqlite_version_info >= (3, 35) else ""
    ranged = (
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN "
        '(SELECT min("window_rowid") FROM "w") AND (SELECT max("window_rowid") FROM "w")'
    )
    # The page's matches, then a row counting the window's products (whether it was the whole
    # list). The page comes back sorted in Python too: a compound's order is not promised.
    return (
        f'WITH "w" AS {materialized}({sql}) '
        'SELECT * FROM (SELECT "w"."pk", "w"."created_at", "w"."window_rowid" FROM "w" '
        f'WHERE "w"."window_rowid" IN ({ranged}) '
        'ORDER BY "w"."created_at" DESC, "w"."pk" DESC LIMIT %s OFFSET %s) '
        'UNION ALL SELECT NULL, NULL, count(*) FROM "w"',
        [*params, fts5_query(list(words))],
    )


_SEARCH_WINDOW = PreparedQuery(_build_window, wrap=_window_sql)


# A deep page's checkpoint (``core.keyset``) is bound like the filters: one marker per sort key.
_KEY_MARKERS = {
    "created_at": datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC),
    "price": Decimal("987653.03"),
    "name": marker(str, 950),
    "rating": Decimal("9.87"),
    "id": marker(uuid.UUID, 950),
}


@cache
def _shape_terms(shape: tuple) -> list[Term] | None:
    return order_terms(listing_queryset(_marked_filters(shape)))


def listing_terms(filters: ListingFilters) -> list[Term] | None:
    """The terms of the list's ordering (``core.keyset``), found once per shape."""
    return _shape_terms(filters.shape())


@cache
def _key_slots(fields: tuple[str, ...]) -> tuple[Exact, ...]:
    return tuple(
        Exact(_KEY_MARKERS[name], field_prep(Product._meta.get_field(name))) for name in fields
    )


def _build_after(key, *markers) -> QuerySet:
    shape = key[1]
    terms = _shape_terms(shape)
    return rows_after(listing_queryset(_marked_filters(shape)), terms, markers[-len(terms):])


_IDS_AFTER = PreparedQuery(_build_after)


def listing_page_ids_after(
    filters: ListingFilters, checkpoint: tuple, *, skip: int, size: int
) -> list[uuid.UUID] | None:
    """The ids of ``size`` products ``skip`` rows after the one whose sort key is
    ``checkpoint`` (``core.keyset.page_after``'s page, compiled once per shape); None when the
    ordering has a term that is not a column (the caller builds that page with the ORM)."""
    terms = listing_terms(filters)
    if terms is None or any(term.field not in _KEY_MARKERS for term in terms):
        return None
    shape = filters.shape()
    slots = _slots(shape)[0] + _key_slots(tuple(term.field for term in terms))
    rows = _IDS_AFTER.rows(
        ("after", shape), slots, [*filters.values(), *checkpoint], page=(skip, size)
    )
    return [row[0] for row in rows]
