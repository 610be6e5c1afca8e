"""OpenAPI documentation of the review API: its tag, example payloads, the answer of the seed's
query-parameter route. The error responses are the catalogue API's (``catalog.api.docs``)."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, PolymorphicProxySerializer
from rest_framework import serializers

from reviews.api.serializers import ReviewSerializer

TAG_REVIEWS = "Reviews"


class ReviewPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReviewSerializer(many=True)


# ``/products/reviews/``: one review for ``review_id``, a page of them for ``product_id``.
REVIEW_OR_PAGE = OpenApiResponse(
    PolymorphicProxySerializer(
        component_name="ReviewOrReviewPage",
        serializers=[ReviewSerializer, ReviewPageSerializer],
        resource_type_field_name=None,
    ),
    description="With review_id: that review. With product_id: a page of the product's "
    "published reviews.",
)
REVIEW_CREATE = OpenApiExample(
    "A review",
    request_only=True,
    value={"rating": 5, "comment": "Great shoes, true to size."},
)
REVIEW_EXAMPLE = OpenApiExample(
    "A review",
    response_only=True,
    status_codes=["200", "201"],
    value={
        "id": 31,
        "product": "0b7e4c4e-2f4a-4a55-9d3c-5b1e8f0a9c11",
        "user": 12,
        "customer_name": "Ama K.",
        "rating": 5,
        "comment": "Great shoes, true to size.",
        "status": "published",
        "verified_purchase": True,
        "created_at": "2025-01-06T09:30:00Z",
        "updated_at": "2025-01-06T09:30:00Z",
        "date": "2025-01-06",
    },
)
REVIEW_BAD_RATING = OpenApiExample(
    "Rating outside 1-5",
    response_only=True,
    status_codes=["400"],
    value={
        "detail": "rating: Ensure this value is less than or equal to 5.",
        "rating": ["Ensure this value is less than or equal to 5."],
    },
)
