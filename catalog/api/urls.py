"""MARTAF catalogue routes (/products/...)."""

urlpatterns: list = []
