"""Query-string filters of the catalogue list (django-filter; a bad value is a 400 naming the
parameter).

``name`` is the seed's name filter: the name contains the text, whatever the case (``LIKE``,
with ``%`` and ``_`` taken literally). ``search`` is the full-text search over name and
description (``catalog.search``); the two combine like any other filters.
"""

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from catalog import limits
from catalog.models import Product
from catalog.search import products_matching, validate_search_text
from catalog.selectors import category_subtree_ids, products_in_categories
from catalog.selectors_listing import (  # noqa: F401 (the list's names, kept importable here)
    PRODUCT_DEFAULT_ORDERING,
    PRODUCT_ORDERING,
    products_ordered,
)
from core.api import StrictBooleanFilter

#: The ordering columns only writes that move the listing version change (``catalog.version``:
#: a review moves the rating without it), so deep pages' checkpoints are kept per listing
#: version for orderings of these alone.
LISTING_STABLE = frozenset({"created_at", "price", "name", "id"})


#: The database's integer range: an id beyond it is no row's, and SQLite cannot even bind it.
BIGINT_MAX = 2**63 - 1


class _IdField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", -BIGINT_MAX - 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)


class IntegerFilter(filters.NumberFilter):
    """A whole number within the database's integer range (else a 400 naming the parameter);
    the schema says so (an int64 with its bounds, not any number), so a client, or a fuzzer,
    knows where the range ends."""

    field_class = _IdField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schema = {"type": "integer", "format": "int64", "minimum": -BIGINT_MAX - 1,
                  "maximum": BIGINT_MAX}
        if self.extra.get("help_text"):
            schema["description"] = str(self.extra["help_text"])
        extend_schema_field(schema)(self)


class ProductOrderingFilter(filters.OrderingFilter):
    """``ordering=price,-rating``: unrated products sort last either way, and the newest first
    breaks ties, so pages never overlap."""

    def filter(self, qs: QuerySet, value):
        if not value:
            return qs
        return products_ordered(qs, value)


class ProductFilter(filters.FilterSet):
    id = filters.UUIDFilter(field_name="pk", help_text="One product, by its id.")
    category = filters.CharFilter(
        method="filter_category",
        help_text="A category slug or id: products in it and in all its sub-categories.",
    )
    name = filters.CharFilter(
        field_name="name",
        lookup_expr="icontains",
        max_length=limits.PRODUCT_NAME_MAX,  # a longer text is in no name
        help_text="Products whose name contains this text, whatever the case (`shirt` finds "
        "\"T-Shirt\" and \"Shirts\"). Blank: no filter.",
    )
    search = filters.CharFilter(
        method="filter_search",
        validators=[validate_search_text],
        help_text="Words that must all appear in the name or the description, each as the "
        "start of a word, whatever the case, accents or English plural (full-text search).",
    )
    is_active = StrictBooleanFilter(
        help_text="The storefront sends true; only active products are ever listed."
    )
    price_min = filters.NumberFilter(
        field_name="price", lookup_expr="gte", help_text="Lowest list price (before discount)."
    )
    price_max = filters.NumberFilter(
        field_name="price", lookup_expr="lte", help_text="Highest list price (before discount)."
    )
    manufacturer = IntegerFilter(field_name="manufacturer_id", help_text="A seller's user id.")
    seller = IntegerFilter(
        field_name="manufacturer_id", help_text="Same as manufacturer (seed two's name)."
    )
    ordering = ProductOrderingFilter(
        fields=tuple((param, param) for param in PRODUCT_ORDERING),
        help_text="price, created_at, name or rating; a leading - sorts descending. "
        "Default: newest first.",
    )

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return products_in_categories(queryset, ids=category_subtree_ids(key=value))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return products_matching(queryset, value)
