"""REST message and notification routes under /api/."""

urlpatterns: list = []
