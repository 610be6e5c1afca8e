"""The catalogue list's page without a FilterSet or a queryset built per request.

An uncached list page spent most of its time building querysets (django-filter's form, the
filters' lookups, the pagination's slicing), not running them. Here the query string is read
into ``catalog.selectors_listing.ListingFilters`` and the page's products come from that
module's query compiled once per shape; the cards are ``catalog.api.cards``'s. The answer is
the one ``ProductViewSet``'s FilterSet path gives, byte for byte (``tests/api/test_pages.py``):
the same count (cached per filter and listing version under the same key), the same deep
pages (``core.keyset`` checkpoints), the same ``{count, next, previous, results}``.

Only well-formed values of the filters the storefront sends take this path; anything else
(a bad value, a repeated parameter, the ``id`` filter) answers ``None`` and the view takes the
FilterSet path, which words the 400s.
"""

import math
import re
import uuid
from decimal import Decimal

from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from catalog.api.caching import count_cache_key, count_cached, deep_page_reader
from catalog.api.cards import cards_of_rows
from catalog.api.filters import BIGINT_MAX, LISTING_STABLE
from catalog.limits import PRODUCT_NAME_MAX, SEARCH_WORDS_MAX
from catalog.search import search_words
from catalog.selectors import category_subtree_ids, product_card_rows, public_product_card_row
from catalog.selectors_listing import (
    PRODUCT_ORDERING,
    ListingFilters,
    listing_page_ids_after,
    listing_page_rows,
    listing_queryset,
    listing_terms,
)
from catalog.version import Versions
from core.api import StrictBooleanFilter

# A filter this path leaves to the FilterSet.
_ELSEWHERE = {"id"}
_PRICE = re.compile(r"[0-9]{1,10}(\.[0-9]{1,2})?")
_INTEGER = re.compile(r"-?[0-9]{1,19}")
_ORDER_TERMS = {f"{way}{name}" for name in PRODUCT_ORDERING for way in ("", "-")}


class _Refer(Exception):
    """The FilterSet path answers this request."""


def _one(params, name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise _Refer
    return values[0].strip() if values and values[0].strip() else None


def _integer(text: str | None) -> int | None:
    if text is None:
        return None
    if not _INTEGER.fullmatch(text) or not -BIGINT_MAX - 1 <= int(text) <= BIGINT_MAX:
        raise _Refer
    return int(text)


def _price(text: str | None) -> Decimal | None:
    if text is None:
        return None
    if not _PRICE.fullmatch(text):
        raise _Refer
    return Decimal(text)


def listing_filters(params) -> ListingFilters:
    """The list's filters from the query string; raises ``_Refer`` for anything the FilterSet
    should judge."""
    for name, values in params.lists():
        if name in _ELSEWHERE or any("\x00" in value for value in values):
            raise _Refer
    category = _one(params, "category")
    categories = None
    if category is not None:
        found = category_subtree_ids(key=category)
        if not isinstance(found, list):
            raise _Refer
        categories = tuple(found)
    name = _one(params, "name")
    if name is not None and len(name) > PRODUCT_NAME_MAX:
        raise _Refer
    search = _one(params, "search")
    words = None
    if search is not None:
        words = tuple(search_words(search))
        if len(words) > SEARCH_WORDS_MAX:
            raise _Refer
    active = _one(params, "is_active")
    if active is not None and active not in (*StrictBooleanFilter.TRUE, *StrictBooleanFilter.FALSE):
        raise _Refer
    ordering = _one(params, "ordering")
    terms = tuple(ordering.split(",")) if ordering is not None else ()
    if any(term not in _ORDER_TERMS for term in terms):
        raise _Refer
    return ListingFilters(
        categories=categories,
        name=name,
        search=words,
        is_active=None if active is None else active in StrictBooleanFilter.TRUE,
        price_min=_price(_one(params, "price_min")),
        price_max=_price(_one(params, "price_max")),
        manufacturer=_integer(_one(params, "manufacturer")),
        seller=_integer(_one(params, "seller")),
        ordering=terms,
    )


def _page_size(params, default: int, most: int) -> int:
    raw = params.getlist("page_size")
    if len(raw) > 1:
        raise _Refer
    if not raw or raw[0] == "":
        return default
    if not raw[0].isdigit() or int(raw[0]) < 1:
        raise _Refer
    return min(int(raw[0]), most)


def listing_page(request: Request, *, versions: Versions, paginator) -> dict | None:
    """The list's page as JSON, or None when the FilterSet path should answer."""
    params = request.query_params
    try:
        filters = listing_filters(params)
        size = _page_size(params, paginator.page_size, paginator.max_page_size)
        raw = params.getlist(paginator.page_query_param)
        if len(raw) > 1:
            raise _Refer
        raw = raw[0] if raw and raw[0] else "1"
        if raw not in paginator.last_page_strings and not raw.isdigit():
            raise _Refer
    except _Refer:
        return None
    if raw not in paginator.last_page_strings and int(raw) < 1:
        return None
    count = count_cached(
        count_cache_key(request, version=versions.listing),
        lambda: listing_queryset(filters).count(),
    )
    pages = max(1, math.ceil(count / size))
    number = pages if raw in paginator.last_page_strings else int(raw)
    url = request.build_absolute_uri()
    if number > pages:
        return {
            "count": count,
            "next": None,
            "previous": replace_query_param(url, "page", pages) if count else None,
            "results": [],
        }
    offset = (number - 1) * size
    ids = None
    if offset:
        read = deep_page_reader(
            lambda: listing_queryset(filters),
            request,
            versions=versions,
            stable=LISTING_STABLE,
            terms=listing_terms(filters),
            page=lambda point, skip, size: listing_page_ids_after(
                filters, point, skip=skip, size=size
            ),
        )
        ids = read(offset, size) if read else None
    if ids is None:
        rows = listing_page_rows(filters, offset=offset, size=size, total=count)
    else:
        rows = product_card_rows(ids=list(ids))
    return {
        "count": count,
        "next": replace_query_param(url, "page", number + 1) if number < pages else None,
        "previous": replace_query_param(url, "page", number - 1) if number > 1 else None,
        "results": cards_of_rows(rows, request=request),
    }


def public_detail(request: Request, kwargs: dict) -> dict | None:
    """One public product's JSON by id or slug (the anonymous product page); None when no
    public product has it."""
    if "slug" in kwargs:
        row = public_product_card_row(slug=kwargs["slug"])
    else:
        key = kwargs["pk"]
        if "\x00" in key:
            return None
        try:
            row = public_product_card_row(pk=uuid.UUID(key))
        except ValueError:
            row = public_product_card_row(slug=key)
    return None if row is None else cards_of_rows([row], request=request)[0]
