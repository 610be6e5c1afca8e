"""REST message and notification routes under /api/ (trailing slash optional, as everywhere)."""

from rest_framework.routers import SimpleRouter

from notifications.api.views import MessageViewSet, NotificationViewSet


class OptionalSlashRouter(SimpleRouter):
    def __init__(self) -> None:
        super().__init__()
        # DRF's constructor only takes a boolean; a regex makes the slash optional, so a POST
        # without it is served instead of redirected (storefront-contract.md).
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
router.register("messages", MessageViewSet, basename="message")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns: list = router.urls
