"""REST account routes under /api/auth/ (seed two: registration, login, logout, reset)."""

urlpatterns: list = []
