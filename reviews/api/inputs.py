"""What the review API accepts. It parses and checks shapes; the rules live in
``reviews.services``."""

from rest_framework import serializers

from catalog.limits import no_control_characters_multiline
from reviews.limits import REVIEW_COMMENT_MAX
from reviews.models import Review


class ReviewWriteSerializer(serializers.ModelSerializer):
    """Rating (1-5, the model's validators) and comment; ``product`` comes from the URL when the
    route names it."""

    product = serializers.UUIDField(
        required=False, help_text="The product reviewed (when the URL does not name it)."
    )

    class Meta:
        model = Review
        fields = ["product", "rating", "comment"]
        extra_kwargs = {
            "comment": {
                "max_length": REVIEW_COMMENT_MAX,
                "validators": [no_control_characters_multiline],
            },
        }
