"""MARTAF review routes under /products/ (docs/api.md#reviews): the seed's query-parameter style
and its table of routes; every route answers with and without its trailing slash."""

from catalog.api.storefront_urls import UUID
from core.api import optional_slash
from reviews.api.views import ReviewViewSet

urlpatterns = [
    optional_slash(
        "products/reviews",
        ReviewViewSet.as_view(
            {"get": "seed_get", "post": "seed_create", "patch": "seed_update",
             "delete": "seed_destroy"}
        ),
        "products-reviews",
    ),
    optional_slash(
        rf"products/review-list/(?P<product_id>{UUID})/reviews",
        ReviewViewSet.as_view({"get": "product_list", "post": "product_create"}),
        "products-review-list",
    ),
    optional_slash(
        r"products/reviews-update/(?P<review_id>\d+)",
        ReviewViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        "products-reviews-update",
    ),
]
