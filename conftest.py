"""Fixtures shared by every app's tests: one user per role, and fast test settings."""

import pytest

from users.models import User
from users.services import user_create
from users.tests.mfa_helpers import client_pass_second_factor, totp_give

# The `browser` and `page` fixtures of the Playwright tests; `fake_web` (faked DNS and TCP) for
# the tests of outbound fetches; `live_asgi` (a real uvicorn process on the test database).
pytest_plugins = [
    "backoffice.tests.chromium",
    "backoffice.tests.live_asgi",
    "core.tests.fake_web",
    "core.tests.s3_server",  # `s3_server`, `s3_media`: a real S3 API server (moto) and a bucket
    "catalog.tests.sellable",
]


def _remove_sqlite_sidecars() -> None:
    """Django replaces the SQLite test database file but not its WAL sidecars; stale ones
    beside a new database file make SQLite fail with "disk I/O error"."""
    from pathlib import Path

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and database.get("TEST", {}).get("NAME"):
        name = Path(database["TEST"]["NAME"])
        for sidecar in name.parent.glob(f"{name.name}*-[ws][ah][lm]"):
            sidecar.unlink(missing_ok=True)


def pytest_sessionstart(session):
    _remove_sqlite_sidecars()


def pytest_sessionfinish(session, exitstatus):
    _remove_sqlite_sidecars()


def pytest_collection_modifyitems(config, items):
    _leave_out_fleet_tests(config, items)
    _transactional_rules(items)


def _leave_out_fleet_tests(config, items):
    """The fleet tests (``-m fleet``, ``make test-fleet``) start their own servers, workers,
    Redis and S3 on PostgreSQL: a run that does not name the marker leaves them out."""
    if "fleet" in (config.getoption("markexpr", "") or ""):
        return
    kept = [item for item in items if item.get_closest_marker("fleet") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(
            items=[item for item in items if item.get_closest_marker("fleet") is not None]
        )
        items[:] = kept


def _transactional_rules(items):
    """Two suite-wide rules for tests with real transactions.

    1. Every transactional test restores the migrated data (serialized rollback). Their flush
       deletes what data migrations made (the Manufacturers group's permissions); and it only
       works if all of them do it, since a flush without it re-creates content types that the
       next restore then collides with.
    2. Browser tests run last: Playwright's sync API keeps an event loop running in the test
       thread for as long as the (session-wide) browser lives, which async tests cannot share.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get(
            "serialized_rollback"
        ):
            item.add_marker(
                pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True})
            )
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the migrated-data snapshot (used by serialized rollback) on the connection class.

    Django stores it on the connection object, but connections are context-local and async
    tests (async_to_sync copies context changes back) can leave the test thread with a new
    connection object, on which the restore would be silently skipped.
    """
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents
    yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def make_user(db):
    """``make_user(email, **roles)``; staff get TOTP, as the backoffice requires of them
    (``MFA_REQUIRED_FOR_STAFF``)."""

    def make(email: str, **roles) -> User:
        user = user_create(email=email, password=PASSWORD, **roles)
        if user.is_staff:
            totp_give(user)
        return user

    return make


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a finished sign-in: for a user with TOTP it also
    records the passed second factor on the session, as the real TOTP step does
    (users.tests.mfa_helpers). The enforcement itself is tested through the real pages
    (users/tests/test_mfa.py)."""
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        client_pass_second_factor(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


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

    from catalog.api.caching import kept_clear

    cache.clear()
    kept_clear()
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
