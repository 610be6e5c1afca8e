"""The catalogue list's products as JSON, rendered from value rows.

The list is the storefront's hottest read. Building model instances for a page (products,
categories, sellers, variations, images, reviews and their authors: ~220 objects for 20
products) and walking serializer trees cost more than the queries themselves, so the list
renders from the selectors' value rows (``product_card_rows`` and friends) with plain
functions. The shape is ``ProductSerializer``'s (it stays the schema's description, and the
one-product reads use it); ``catalog/tests/api/test_cards.py`` checks that both render
the same JSON, field for field. The sections other apps own (``catalog.sections``: the latest
reviews) come as their apps render them, one call per page.

The rules are shared, not copied: prices through ``catalog.pricing``, the seller's name
through its one function, timestamps and money through the serializers' own DRF fields.
"""

from functools import cache

from catalog import pricing
from catalog.api.serializers import (
    ProductSerializer,
    VariationSerializer,
    category_parent_chain,
    image_urls,
    rating_average,
    request_origin,
)
from catalog.models import Category, ProductImage
from catalog.sections import section_value, section_values, sections
from catalog.selectors import (
    category_rows_by_path,
    product_card_rows,
    product_image_rows,
    product_variation_rows,
)
from core.api_values import timestamps
from core.media import storage_url_function
from core.prepared import reads_together
from users.models import seller_public_name


@cache
def _formats():
    """The DRF fields the serializers render money and timestamps with (built once)."""
    product = ProductSerializer().fields
    return (
        product["price"].to_representation,
        product["created_at"].to_representation,
        VariationSerializer().fields["price_override"].to_representation,
    )


def _timestamps():
    """The serializers' timestamp rendering with the zone looked up once per page."""
    return timestamps(_formats()[1])


def _parent_paths(path: str) -> range:
    return range(Category.steplen, len(path), Category.steplen)


def product_cards(ids: list, *, request) -> list[dict]:
    """The products with these ids, in that order, as the list shows them: four queries
    (products with category and seller, the categories' ancestors, images, variations) and
    the sections' (the latest reviews: one) whatever the page's length."""
    return cards_of_rows(product_card_rows(ids=ids), request=request)


def cards_of_rows(rows: list[dict], *, request) -> list[dict]:
    """Products fetched as value rows (``PRODUCT_CARD_FIELDS``) as JSON: three queries and the
    sections', sent together (one round trip on PostgreSQL: they need only the rows)."""
    found = [row["id"] for row in rows]
    with reads_together():
        ancestors = category_rows_by_path(
            paths={
                row["category__path"][:end]
                for row in rows
                for end in _parent_paths(row["category__path"])
            }
        )
        images = product_image_rows(ids=found)
        variations = product_variation_rows(ids=found)
        extra = section_values(ids=found)
        ancestors, images, variations = ancestors.get(), images.get(), variations.get()
    extra_sections = sections()
    money, _, override = _formats()
    timestamp = _timestamps()
    origin = request_origin(request)
    url = storage_url_function(ProductImage._meta.get_field("original").storage)
    steplen = Category.steplen

    def image(row: dict) -> dict:
        return {
            "id": row["id"],
            "alt_text": row["alt_text"],
            "position": row["position"],
            "image_urls": image_urls(
                request,
                origin,
                original=url(row["original"]) if row["original"] else None,
                medium=url(row["medium"]) if row["medium"] else None,
                thumbnail=url(row["thumbnail"]) if row["thumbnail"] else None,
            ),
        }

    def variation(row: dict) -> dict:
        price = row["price_override"]
        return {
            "id": row["id"],
            "size": row["size"],
            "color": row["color"],
            "sku": row["sku"],
            "stock": row["stock"],
            "low_stock_threshold": row["low_stock_threshold"],
            "price_override": None if price is None else override(price),
        }

    def card(row: dict) -> dict:
        pk = row["id"]
        path = row["category__path"]
        parent = ancestors.get(path[:-steplen])
        discount = pricing.discount_price(
            price=row["price"], discount_percent=row["discount_percent"]
        )
        return {
            "id": str(pk),
            "slug": row["slug"],
            "name": row["name"],
            "description": row["description"],
            "price": money(row["price"]),
            "discount_price": None if discount is None else money(discount),
            "discount_percent": float(row["discount_percent"]),
            "category": {
                "id": row["category_id"],
                "name": row["category__name"],
                "slug": row["category__slug"],
                "parent": category_parent_chain(path, ancestors),
                "parent_id": parent[0] if parent else None,
            },
            "images_data": [image(r) for r in images.get(pk, ())],
            "variations_data": [variation(r) for r in variations.get(pk, ())],
            **{section.name: section_value(section, extra, pk) for section in extra_sections},
            "inventory": row["inventory"],
            "is_active": row["is_active"],
            "manufacturer": {
                "id": row["manufacturer_id"],
                "name": seller_public_name(
                    profile_name=row["manufacturer__manufacturer_profile__display_name"],
                    first_name=row["manufacturer__first_name"],
                    last_name=row["manufacturer__last_name"],
                    email=row["manufacturer__email"],
                ),
            },
            "rating_average": rating_average(row["rating"], row["rating_count"]),
            "review_count": row["rating_count"],
            "created_at": timestamp(row["created_at"]),
            "updated_at": timestamp(row["updated_at"]),
        }

    return [card(row) for row in rows]
