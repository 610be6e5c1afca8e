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


def listing_queryset(filters: ListingFilters) -> QuerySet:
    """The public products these filters hold, in the list's order, as ids."""
    queryset = products_public().order_by(*PRODUCT_DEFAULT_ORDERING)
    if filters.matches_nothing():
        return queryset.none().values_list("pk", flat=True)
    if filters.categories is not None:
        queryset = products_in_categories(queryset, ids=list(filters.categories))
    if filters.name is not None:
        queryset = queryset.filter(name__icontains=filters.name)
    if filters.search is not None:
        queryset = queryset.filter(ProductTextMatch(list(filters.search)))
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


def _build(shape: tuple, *markers) -> QuerySet:
    """The page's card rows."""
    return listing_queryset(_marked_filters(shape)).values_list(*PRODUCT_CARD_FIELDS)


def _marked_filters(shape: tuple) -> ListingFilters:
    _active, ordering = shape[3], shape[8]
    return replace(ListingFilters(is_active=_active, ordering=ordering), **_slots(shape)[1])


_PAGE = PreparedQuery(_build)


def listing_page_rows(
    filters: ListingFilters, *, offset: int, size: int, total: int | None = None
) -> list[dict]:
    """The card rows (``catalog.selectors.PRODUCT_CARD_FIELDS``) of ``size`` products from
    ``offset`` of the list, in its order: one query, the page's products read with their
    category and seller. ``total``: how many products the filters hold, when the caller knows
    (none read when it is 0; a search's first page may then be read from the list's first
    products, ``_SEARCH_WINDOW``)."""
    if filters.matches_nothing() or total == 0:
        return []
    shape = filters.shape()
    slots = _slots(shape)[0]
    if total is not None and _windowed(filters, offset):
        window = WINDOW_PAGES * size
        rows = _SEARCH_WINDOW.rows(("window", shape, window, size), slots, filters.values())
        if len(rows) >= min(size, total):
            return card_rows_of(rows)  # the search's first page, exactly
        if len(rows) <= RARE_IN_WINDOW:
            # A rare word: its matches drive, sorted (walking the list for them would read
            # most of it).
            rows = _MATCHES_FIRST.rows(shape, slots, filters.values(), page=(0, size))
            return card_rows_of(rows)
    rows = _PAGE.rows(shape, slots, filters.values(), page=(offset, size))
    return card_rows_of(rows)


# A search's newest-first first page. Both databases would walk the newest-first index and
# check each product against the words, stopping at the page's end: fast for a common word,
# slow for a rare one (the walk reads the whole list; PostgreSQL cannot tell the two apart, as
# it has no estimate of a prefix query's matches). SQLite first reads every match's rowid out
# of FTS5 too: 25k for a common word at 100k products, ~3 ms before the page is read.
# Instead, one query walks only the list's first WINDOW_PAGES pages (without the search) and
# keeps those that match: on PostgreSQL each one's text vector is checked as the walk goes (it
# stops at a page of matches); on SQLite FTS5 is asked only for matches within the window's
# rowid range (a product's rowid follows its creation, so the newest products' range is
# narrow). The window is the list's beginning, so when it holds a whole page of matches (or
# all there are), that page is the search's first page, exactly. When it holds at most
# RARE_IN_WINDOW (a rare word), the matches drive (``_MATCHES_FIRST``); in between, the list
# is walked as for any other page (some matches are near).
WINDOW_PAGES = 10
RARE_IN_WINDOW = 2


def _windowed(filters: ListingFilters, offset: int) -> bool:
    return offset == 0 and bool(filters.search) and not filters.ordering


def _build_window(key: tuple, *markers) -> QuerySet:
    _window_key, shape, window, size = key
    filters = _marked_filters(shape)
    if connection.vendor != "sqlite":
        # the card rows of the window, each with whether the words match it (_window_sql)
        listing = listing_queryset(replace(filters, search=None))
        return listing.annotate(window_found=ProductTextMatch(list(filters.search))).values_list(
            *PRODUCT_CARD_FIELDS, "window_found"
        )[:window]
    # SQLite: the page's card rows; _window_sql puts the window ("w") before them.
    ranged = (
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN "
        '(SELECT min("window_rowid") FROM "w") AND (SELECT max("window_rowid") FROM "w")'
    )
    first = RawSQL(
        f'SELECT "w"."pk" FROM "w" WHERE "w"."window_rowid" IN ({ranged}) '
        f'ORDER BY "w"."created_at" DESC, "w"."pk" DESC LIMIT {int(size)}',
        [fts5_query(list(filters.search))],
    )
    return (
        Product.objects.filter(pk__in=first)
        .order_by(*PRODUCT_DEFAULT_ORDERING)
        .values_list(*PRODUCT_CARD_FIELDS)
    )


def _window_sql(key: tuple, sql: str, params: list) -> tuple[str, list]:
    _window_key, shape, window, size = key
    if connection.vendor != "sqlite":
        columns = ", ".join(f'"w"."{name}"' for name in PRODUCT_CARD_FIELDS)
        return (
            f'SELECT {columns} FROM ({sql}) AS "w" WHERE "w"."window_found" '
            f'ORDER BY "w"."created_at" DESC, "w"."id" DESC LIMIT {int(size)}',
            params,
        )
    listing = listing_queryset(replace(_marked_filters(shape), search=None))
    rowid = RawSQL(f'"{Product._meta.db_table}".rowid', ())
    inner = listing.annotate(window_rowid=rowid).values_list("pk", "created_at", "window_rowid")
    window_sql, window_params = inner[:window].query.get_compiler(connection=connection).as_sql()
    return f'WITH "w" AS {_materialized()}({window_sql}) {sql}', [*window_params, *params]


def _materialized() -> str:
    """The keyword that keeps a CTE from being merged into its query (SQLite from 3.35;
    always so before it)."""
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        return ""
    return "MATERIALIZED "


_SEARCH_WINDOW = PreparedQuery(_build_window, wrap=_window_sql)


def _build_matches(shape: tuple, *markers) -> QuerySet:
    return _build(shape, *markers).order_by()


def _matches_first_sql(shape: tuple, sql: str, params: list) -> tuple[str, list]:
    """The matches read on their own, then sorted: the set's query has no order for an index
    to serve, so each database lets the text index find them."""
    return (
        f'WITH "m" AS {_materialized()}({sql}) SELECT * FROM "m" '
        'ORDER BY "m"."created_at" DESC, "m"."id" DESC LIMIT %s OFFSET %s',
        params,
    )


_MATCHES_FIRST = PreparedQuery(_build_matches, wrap=_matches_first_sql)


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
