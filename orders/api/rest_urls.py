"""REST order routes under /api/ (trailing slash optional, as everywhere)."""

from core.routers import OptionalSlashRouter
from orders.api.views import OrderViewSet

router = OptionalSlashRouter()
router.register("orders", OrderViewSet, basename="order")

urlpatterns: list = router.urls
