"""What the review API renders: a review as the storefront reads it (docs/api.md#reviews) (the author's public
name, never their email), from a model instance (the review routes) or from a value row (the
latest reviews a product's JSON embeds, ``reviews.api.sections``)."""

from functools import cache

from rest_framework import serializers

from core.api_values import timestamps
from reviews.models import Review, review_author_name


class ReviewSerializer(serializers.ModelSerializer):
    product = serializers.UUIDField(source="product_id", read_only=True)
    user = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)
    customer_name = serializers.CharField(source="author_name", read_only=True)
    date = serializers.SerializerMethodField()
    # A plain string in the schema: "status" enums of other apps would collide with its name.
    status = serializers.CharField(
        read_only=True,
        help_text="published, or pending while it waits for moderation (shown to its author); "
        "hidden or rejected by staff.",
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "product",
            "user",
            "customer_name",
            "rating",
            "comment",
            "status",
            "verified_purchase",
            "created_at",
            "updated_at",
            "date",
        ]
        read_only_fields = fields

    def get_date(self, review: Review) -> str:
        return review.created_at.date().isoformat()

    def to_representation(self, review: Review) -> dict:
        timestamp = self.fields["created_at"].to_representation
        return {
            "id": review.pk,
            "product": str(review.product_id),
            "user": review.user_id,
            "customer_name": review.author_name,
            "rating": review.rating,
            "comment": review.comment,
            "status": review.status,
            "verified_purchase": review.verified_purchase,
            "created_at": timestamp(review.created_at),
            "updated_at": timestamp(review.updated_at),
            "date": self.get_date(review),
        }


@cache
def _timestamp():
    """The DRF field reviews render their timestamps with (built once)."""
    return ReviewSerializer().fields["created_at"].to_representation


def review_timestamps():
    """The reviews' timestamp rendering for one request (``core.api_values.timestamps``)."""
    return timestamps(_timestamp())


def review_row_json(row: dict, timestamp=None) -> dict:
    """A review fetched as a value row (``product_recent_review_rows``) as ``ReviewSerializer``
    renders the instance; ``timestamp``: ``review_timestamps()``, made once for many rows."""
    timestamp = timestamp or _timestamp()
    return {
        "id": row["id"],
        "product": str(row["product_id"]),
        "user": row["user_id"],
        "customer_name": review_author_name(
            first_name=row["user__first_name"], last_name=row["user__last_name"]
        ),
        "rating": row["rating"],
        "comment": row["comment"],
        "status": row["status"],
        "verified_purchase": row["verified_purchase"],
        "created_at": timestamp(row["created_at"]),
        "updated_at": timestamp(row["updated_at"]),
        "date": row["created_at"].date().isoformat(),
    }
