"""Query-string filters of the review lists (django-filter; a bad value is a 400 naming the
parameter)."""

from django_filters import rest_framework as filters

from reviews.models import Review


class ReviewFilter(filters.FilterSet):
    rating = filters.TypedChoiceFilter(
        choices=[(n, str(n)) for n in range(1, 6)], coerce=int, help_text="Only this rating (1-5)."
    )
    product = filters.UUIDFilter(field_name="product_id", help_text="Reviews of this product.")

    class Meta:
        model = Review
        fields: list[str] = []
