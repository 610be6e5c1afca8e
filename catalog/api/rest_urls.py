"""REST catalogue routes under /api/ (seeds/mamaonline-backend.md): categories, products
(+ approve), reviews; trailing slash optional, as everywhere."""

from catalog.api.categories import CategoryViewSet
from catalog.api.products import ProductViewSet
from catalog.api.reviews import ReviewViewSet
from core.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("categories", CategoryViewSet, basename="category")
router.register("products", ProductViewSet, basename="product")
router.register("reviews", ReviewViewSet, basename="review")

urlpatterns: list = router.urls
