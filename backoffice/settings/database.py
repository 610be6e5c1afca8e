"""Storage and plumbing: the database, and Redis for the cache, the channel layer and the task
broker (all optional). With nothing set: an embedded SQLite file, an in-memory channel layer and
django-q2's ORM broker, safe defaults for local use.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import env_bool, env_int, env_str

from .base import BASE_DIR

# --- Database ---------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
# Connection pools, for the web server's processes (``backoffice/asgi.py`` turns them on): under
# ASGI every request runs in its own thread, so persistent connections (DB_CONN_MAX_AGE) are
# never reused and each request would open one. Workers and commands fork or run once: no pool.
DB_POOL = env_bool("DB_POOL", False)
DB_POOL_MAX_SIZE = env_int("DB_POOL_MAX_SIZE", 8)  # connections per web process at most
if DATABASE_URL:
    _default_db = dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=0 if DB_POOL else env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=not DB_POOL,
    )
    if _default_db["ENGINE"] == "django.db.backends.postgresql":
        # A database that does not answer fails a connection attempt after this many seconds
        # (a 503, core.unavailable) instead of the operating system's two minutes.
        _default_db.setdefault("OPTIONS", {})["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 3)
        # The planner's JIT compiles a rare admin search for 700 ms to save a few: never pays
        # for this application's short queries.
        _default_db.setdefault("OPTIONS", {})["options"] = "-c jit=off"
        # Statements are prepared on the server only where asked (core.prepared: the catalogue's
        # hot reads); psycopg's automatic preparing, at this many runs, stays out of the way.
        _default_db["OPTIONS"].setdefault("prepare_threshold", 2**31 - 1)
    if DB_POOL and _default_db["ENGINE"] == "django.db.backends.postgresql":
        # Django's psycopg pool: a request borrows a connection and gives it back at its end.
        _default_db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DB_POOL_MAX_SIZE,
            "timeout": env_int("DB_POOL_TIMEOUT", 10),
        }
else:
    _default_db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
    }
if _default_db["ENGINE"] == "django.db.backends.sqlite3" and DB_POOL:
    # The same backend, keeping closed connections for the next request (core.sqlite_pool).
    _default_db["ENGINE"] = "core.sqlite_pool"
    _default_db.setdefault("OPTIONS", {})["pool_size"] = DB_POOL_MAX_SIZE
if _default_db["ENGINE"] in ("django.db.backends.sqlite3", "core.sqlite_pool"):
    # WAL lets the web process read while the worker writes; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
    _default_db.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000"
            ),
        }
    )
    # Tests use a file too (not Django's shared in-memory database): the live server, the
    # websocket tests' worker threads and the concurrency tests each get a real connection,
    # with the same locking and transactions as production.
    # One file per test process, so parallel runs never share (and corrupt) a database.
    _default_db.setdefault("TEST", {}).setdefault(
        "NAME",
        env_str("SQLITE_TEST_PATH")
        or str(Path(tempfile.gettempdir()) / f"martaf-test-{os.getpid()}.sqlite3"),
    )
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, channel layer, task broker (all optional) -----------------------------------

REDIS_URL = env_str("REDIS_URL")

if REDIS_URL:
    # Fails open: while Redis is unreachable each process caches in its own memory (core.cache).
    CACHES = {"default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# django-q2: `retry` must exceed `timeout`, or a slow task is handed out twice.
Q_TIMEOUT = env_int("Q_TIMEOUT", 120)  # a task is killed after this many seconds
Q_RETRY = env_int("Q_RETRY", 180)  # an unacknowledged task is handed out again after this
# An import's lease is Q_TIMEOUT + 15 s (settings/catalogue.py): it must end before the task is
# handed out again, so that the re-delivered task finds the import stalled and takes it over.
if Q_RETRY <= Q_TIMEOUT + 15:
    raise ImproperlyConfigured(
        f"Q_RETRY ({Q_RETRY}) must exceed Q_TIMEOUT ({Q_TIMEOUT}) by more than 15 seconds."
    )
Q_CLUSTER = {
    "name": "martaf",
    "label": _("Background tasks"),
    "workers": env_int("Q_WORKERS", 2),
    "timeout": Q_TIMEOUT,
    "retry": Q_RETRY,
    "max_attempts": 5,
    "ack_failures": True,
    "save_limit": 1000,
    "catch_up": False,
    "poll": 0.5,
    # Email and SMS run in a cluster of their own (``manage.py qcluster`` with
    # Q_CLUSTER_NAME=OUTBOX_TASK_CLUSTER; runbackoffice starts both): a slow mail server or SMS
    # provider holds only its workers, never an import or a payout queued behind it. The same
    # timeout and retry, so the outbox's sending lease (Q_CLUSTER["retry"]) holds for both.
    "ALT_CLUSTERS": {"outbox": {"workers": env_int("Q_OUTBOX_WORKERS", 2)}},
}
# The queue (django-q2 cluster) the outbox's sends go to; empty: the main one.
OUTBOX_TASK_CLUSTER = env_str("OUTBOX_TASK_CLUSTER", "outbox")
# The broker: Redis when REDIS_URL is set, else the database. Q_BROKER=orm keeps the database
# broker beside Redis: it hands a task out again when its worker died without acknowledging it
# (killed, out of memory, a host lost) after Q_RETRY seconds, where Redis loses it; its cost
# is each cluster asking the database for tasks every `poll` (half a second).
Q_BROKER = env_str("Q_BROKER", "redis" if REDIS_URL else "orm")
if Q_BROKER not in ("redis", "orm"):
    raise ImproperlyConfigured(f"Q_BROKER must be redis or orm, got {Q_BROKER!r}.")
if Q_BROKER == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("Q_BROKER=redis needs REDIS_URL.")
if Q_BROKER == "redis":
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
