"""MARTAF account routes (/accounts/..., /reset-password/, /forgot-email/)."""

urlpatterns: list = []
