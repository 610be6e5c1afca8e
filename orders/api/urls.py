"""REST order routes under /api/."""

urlpatterns: list = []
