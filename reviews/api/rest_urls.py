"""REST review routes under /api/ (docs/api.md#reviews): /api/reviews/ and
/api/reviews/{id}/; trailing slash optional, as everywhere."""

from core.routers import OptionalSlashRouter
from reviews.api.views import ReviewViewSet

router = OptionalSlashRouter()
router.register("reviews", ReviewViewSet, basename="review")

urlpatterns: list = router.urls
