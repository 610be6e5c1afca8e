"""MARTAF catalogue routes (/products/...), as the storefront names them (docs/api.md#catalogue,
#manufacturer-product-api); every route answers with and without its trailing slash
(``optional_slash``).

The same viewsets serve the REST routes under /api/ (``catalog.api.rest_urls``). The review
routes under /products/ are the reviews app's (``reviews.api.storefront_urls``).
"""

from catalog.api.categories import CategoryViewSet
from catalog.api.products import ProductViewSet
from core.api import optional_slash

UUID = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
ID = r"[^/]+"  # a UUID (or, leniently, a slug); anything else is a JSON 404

urlpatterns = [
    # Catalogue (anonymous)
    optional_slash("products/list", ProductViewSet.as_view({"get": "list"}), "products-list"),
    optional_slash(
        "products/categories-nested",
        CategoryViewSet.as_view({"get": "list"}, public_only=True),
        "products-categories-nested",
    ),
    optional_slash(
        rf"products/(?P<pk>{UUID})",
        ProductViewSet.as_view({"get": "retrieve"}),
        "products-detail",
    ),
    optional_slash(
        r"products/slug/(?P<slug>[-\w]+)",
        ProductViewSet.as_view({"get": "retrieve"}),
        "products-detail-by-slug",
    ),
    # Manufacturer product API (JWT)
    optional_slash(
        "products/add-product", ProductViewSet.as_view({"post": "create"}), "products-add"
    ),
    optional_slash(
        rf"products/update-product/(?P<pk>{ID})",
        ProductViewSet.as_view({"patch": "partial_update"}),
        "products-update",
    ),
    optional_slash(
        rf"products/put-product/(?P<pk>{ID})",
        ProductViewSet.as_view({"put": "update"}),
        "products-put",
    ),
    optional_slash(
        rf"products/delete-product/(?P<pk>{ID})",
        ProductViewSet.as_view({"delete": "destroy"}),
        "products-delete",
    ),
]
