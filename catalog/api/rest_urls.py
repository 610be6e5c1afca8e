"""REST catalogue routes under /api/ (categories, products, reviews)."""

urlpatterns: list = []
