"""REST catalogue routes under /api/ (docs/api.md#conventions): categories, products
(+ approve); trailing slash optional, as everywhere."""

from catalog.api.categories import CategoryViewSet
from catalog.api.products import ProductViewSet
from core.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("categories", CategoryViewSet, basename="category")
router.register("products", ProductViewSet, basename="product")

urlpatterns: list = router.urls
