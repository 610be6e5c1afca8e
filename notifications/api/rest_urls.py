"""REST message and notification routes under /api/ (trailing slash optional, as everywhere)."""

from core.routers import OptionalSlashRouter
from notifications.api.views import MessageViewSet, NotificationViewSet

router = OptionalSlashRouter()
router.register("messages", MessageViewSet, basename="message")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns: list = router.urls
