"""Fixtures shared by every app's tests: one user per role, and fast test settings."""

import pytest

from users.models import User
from users.services import user_create

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def make_user(db):
    def make(email: str, **roles) -> User:
        return user_create(email=email, password=PASSWORD, **roles)

    return make


@pytest.fixture
def staff_user(make_user) -> User:
    return make_user("staff@martaf.test", is_staff=True, is_superuser=True, first_name="Sam")


@pytest.fixture
def manufacturer_a(make_user) -> User:
    return make_user("maker.a@martaf.test", is_manufacturer=True, company_name="Maker A")


@pytest.fixture
def manufacturer_b(make_user) -> User:
    return make_user("maker.b@martaf.test", is_manufacturer=True, company_name="Maker B")


@pytest.fixture
def customer(make_user) -> User:
    return make_user("buyer@martaf.test", is_customer=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Redis-backed in the PostgreSQL CI run: no test sees another's cached values.
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _tasks_run_inline(monkeypatch):
    """django-q2 tasks run synchronously in tests (queued after commit as in production;
    use ``django_capture_on_commit_callbacks(execute=True)`` to run what a commit queues)."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def jwt_client():
    """An APIClient signed in with a JWT access token: ``jwt_client(user)``."""
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    def make(user: User) -> APIClient:
        client = APIClient()
        access = RefreshToken.for_user(user).access_token
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
        return client

    return make
