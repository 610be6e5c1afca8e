"""REST catalogue routes under /api/ (seeds/mamaonline-backend.md): categories, products
(+ approve), reviews; trailing slash optional, as everywhere."""

from rest_framework.routers import SimpleRouter

from catalog.api.categories import CategoryViewSet
from catalog.api.products import ProductViewSet
from catalog.api.reviews import ReviewViewSet


class OptionalSlashRouter(SimpleRouter):
    def __init__(self) -> None:
        super().__init__()
        # A regex makes the slash optional, so a POST without it is served, not redirected.
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
router.register("categories", CategoryViewSet, basename="category")
router.register("products", ProductViewSet, basename="product")
router.register("reviews", ReviewViewSet, basename="review")

urlpatterns: list = router.urls
