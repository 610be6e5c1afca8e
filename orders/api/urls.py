"""REST order routes under /api/ (trailing slash optional, as everywhere)."""

from rest_framework.routers import SimpleRouter

from orders.api.views import OrderViewSet


class OptionalSlashRouter(SimpleRouter):
    def __init__(self) -> None:
        super().__init__()
        # A regex makes the slash optional, so a POST without it is served, not redirected.
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
router.register("orders", OrderViewSet, basename="order")

urlpatterns: list = router.urls
