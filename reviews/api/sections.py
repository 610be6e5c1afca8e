"""A product's latest published reviews in the catalogue's product JSON (``reviews_data``).

The catalogue sits below reviews and cannot import them: ``ReviewsConfig.ready`` registers this
section with ``catalog.sections``, and both renderings of a product (the list's cards and
``ProductSerializer``) embed what ``recent_reviews_json`` answers.
"""

from catalog.sections import ProductSection
from core.prepared import Later
from reviews.api.serializers import ReviewSerializer, review_row_json, review_timestamps
from reviews.selectors import product_recent_review_rows


def recent_reviews_json(ids: list) -> Later[dict]:
    """``product id -> [review JSON]``: each product's latest published reviews
    (settings.CATALOG_API_PRODUCT_REVIEWS), newest first; one query, sent with the page's
    other reads (``core.prepared.reads_together``)."""
    timestamp = review_timestamps()
    return product_recent_review_rows(ids=ids).then(
        lambda grouped: {
            pk: [review_row_json(row, timestamp) for row in rows] for pk, rows in grouped.items()
        }
    )


def recent_reviews_section() -> ProductSection:
    return ProductSection(
        name="reviews_data",
        values=recent_reviews_json,
        default=list,
        schema=ReviewSerializer(many=True),
        help_text="The latest published reviews (at most settings.CATALOG_API_PRODUCT_REVIEWS; "
        "`review_count` is the total).",
    )
