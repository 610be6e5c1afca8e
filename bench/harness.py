"""Set-up shared by the benchmarks: Django in a throw-away database, and a timer."""

import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def bench_database() -> Iterator[None]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")
    with tempfile.TemporaryDirectory() as tmp:
        if not os.environ.get("DATABASE_URL"):
            os.environ["SQLITE_PATH"] = os.path.join(tmp, "bench.sqlite3")
        import django
        from django.test.utils import setup_test_environment

        django.setup()
        setup_test_environment()
        from django.conf import settings

        # As under the test runner: no query log, no debug pages (static files stay plain).
        settings.DEBUG = False
        from django.db import connection

        # On PostgreSQL this makes and later drops test_<name>; SQLite uses the temp file.
        old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
        try:
            yield
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def timed(fn: Callable[[], object], repeat: int = 5) -> dict:
    """Median and best wall time of ``fn`` in milliseconds, after one warm-up call."""
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(samples), 1), "best_ms": round(min(samples), 1)}


def admin_client(user):
    """A test client signed in to the admin as after a finished sign-in: a staff user gets TOTP
    (the admin requires it) and the session records the passed second factor."""
    from django.test import Client

    from users.mfa import totp_enabled
    from users.tests.mfa_helpers import client_pass_second_factor, totp_give

    if user.is_staff and not totp_enabled(user):
        totp_give(user)
    client = Client()
    client.force_login(user)
    client_pass_second_factor(client, user)
    return client
