"""Health checks for the load balancer and the orchestrator.

- ``GET /healthz``: the process answers. No database, no network: a liveness check.
- ``GET /readyz``: this process can serve: the database answers ``SELECT 1``, Redis answers a
  ping (when ``REDIS_URL`` is set), and the media storage answers an ``exists()``. 200 when all
  do, else 503; the JSON names each part, e.g. ``{"status": "unavailable", "checks":
  {"database": "ok", "redis": "unreachable: ...", "storage": "ok"}}``.

Answered by a middleware near the top of the stack, before host checks, HTTPS redirects,
sessions and throttles: a load balancer polls by address, over plain HTTP, every second. Never
cached. Each probe is bounded to ``PROBE_TIMEOUT`` seconds: it runs in its own thread (one per
part, so a probe hanging on a dead host is waited for, not started again on every poll), and
Redis is pinged directly with short socket timeouts, not through the cache, which fails open
(core.cache) and would hide an outage.
"""

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

PROBE_TIMEOUT = 1.0  # seconds, per part (they run side by side)
STORAGE_PROBE_NAME = "readyz-probe"  # looked up, never written: absent is as good as present

HEALTHZ = "/healthz"
READYZ = "/readyz"


def _database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        # Back to the pool (web processes) or closed: a broken connection is not kept.
        connection.close()


_redis_clients: dict = {}  # one client (and its connection pool) per URL, made once


def _redis() -> None:
    url = settings.REDIS_URL
    client = _redis_clients.get(url)
    if client is None:
        client = _redis_clients[url] = redis.Redis.from_url(
            url,
            socket_connect_timeout=PROBE_TIMEOUT / 2,
            socket_timeout=PROBE_TIMEOUT / 2,
            retry_on_timeout=False,
        )
    client.ping()


def _storage() -> None:
    default_storage.exists(STORAGE_PROBE_NAME)


class _Probe:
    """One part's probe, run in its own thread; a poll that finds the previous probe still
    running waits for that one instead of piling up another."""

    def __init__(self, name: str, check: Callable[[], None]) -> None:
        self.name = name
        self.check = check
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"readyz-{name}")
        self._lock = threading.Lock()
        self._running: Future | None = None

    def start(self) -> Future:
        with self._lock:
            if self._running is None or self._running.done():
                self._running = self._executor.submit(self.check)
            return self._running

    @staticmethod
    def outcome(future: Future, timeout: float) -> str:
        try:
            future.result(timeout=timeout)
        except FutureTimeout:
            return f"unreachable: no answer within {PROBE_TIMEOUT:g} s"
        except Exception as error:  # noqa: BLE001 - any failure is the answer, named
            detail = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
            return f"unreachable: {type(error).__name__}" + (f": {detail}" if detail else "")
        return "ok"


_PROBES = {
    "database": _Probe("database", _database),
    "redis": _Probe("redis", _redis),
    "storage": _Probe("storage", _storage),
}


def readiness() -> tuple[bool, dict[str, str]]:
    """Every part's outcome, probed side by side within ``PROBE_TIMEOUT``."""
    parts = ["database", "storage"]
    if settings.REDIS_URL:
        parts.insert(1, "redis")
    futures = {name: _PROBES[name].start() for name in parts}
    checks = {name: _Probe.outcome(future, PROBE_TIMEOUT) for name, future in futures.items()}
    if not settings.REDIS_URL:
        checks["redis"] = "not configured"
    ready = all(checks[name] == "ok" for name in parts)
    return ready, checks


def _answer(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    # Django logs every 5xx answer at ERROR; a 503 polled every second while Redis is down
    # would flood the log (backoffice.requests still writes each at DEBUG).
    response._has_been_logged = True
    return response


class HealthMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info.rstrip("/") or "/"
        if path not in (HEALTHZ, READYZ):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _answer({"detail": "Method not allowed."}, 405)
            response["Allow"] = "GET, HEAD"
            return response
        if path == HEALTHZ:
            return _answer({"status": "ok"}, 200)
        ready, checks = readiness()
        return _answer(
            {"status": "ok" if ready else "unavailable", "checks": checks}, 200 if ready else 503
        )
