"""The Redis cache fails open (``core.cache.FailOpenRedisCache``): while Redis cannot be
reached, each process caches and counts in its own memory, so the storefront's pages, sign-ins
and throttles keep answering instead of 500; when Redis is back it is used again."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches

from core.cache import FailOpenRedisCache

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_an_unreachable_redis_falls_back_to_local_memory(caplog):
    cache = FailOpenRedisCache(CLOSED, {})

    started = time.monotonic()
    cache.set("k", 1)
    assert cache.get("k") == 1
    assert cache.incr("k") == 2
    assert cache.add("k", 5) is False
    assert cache.get_or_set("other", 7) == 7
    assert time.monotonic() - started < 2  # one failed connection, then memory

    warnings = [r.message for r in caplog.records if "Redis cache unreachable" in r.message]
    assert len(warnings) == 1


@pytest.mark.django_db
def test_the_storefront_answers_and_throttles_while_redis_is_down(settings, api_client, customer):
    from rest_framework.throttling import ScopedRateThrottle

    settings.CACHES = {"default": {"BACKEND": "core.cache.FailOpenRedisCache", "LOCATION": CLOSED}}
    caches["default"].clear()
    allowed = int(ScopedRateThrottle.THROTTLE_RATES["login"].split("/")[0])

    assert api_client.get("/products/list/").status_code == 200
    # A new email each time: the sign-in policy's per-email counts stay under their limits, so
    # the refusal is the request-rate throttle's.
    answers = [
        api_client.post(
            "/accounts/login",
            {"email": f"guess{n}@martaf.test", "password": "wrong-password"},
            format="json",
        ).status_code
        for n in range(allowed + 1)
    ]

    assert answers == [401] * allowed + [429]  # still counted, in this process's memory


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_server(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("redis-server did not start")


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs the redis-server program")
def test_a_real_redis_is_shared_then_missed_then_used_again(monkeypatch):
    """Two processes' caches (two instances) share Redis; with Redis stopped each goes on
    alone; with it back (after the retry pause) they share again."""
    monkeypatch.setattr("core.cache.RETRY_SECONDS", 0.2)
    port = _free_port()
    server = _redis_server(port)
    try:
        # One Redis under two names: the local memory is per process and name, so these two
        # stand for two web processes.
        web_a = FailOpenRedisCache(f"redis://127.0.0.1:{port}/0", {})
        web_b = FailOpenRedisCache(f"redis://localhost:{port}/0", {})
        web_a.set("version", 1)
        assert web_b.get("version") == 1  # through Redis

        server.kill()
        server.wait()
        web_a.set("version", 2)  # Redis down: kept in A's memory only
        assert (web_a.get("version"), web_b.get("version")) == (2, None)

        server = _redis_server(port)
        time.sleep(0.3)  # past the retry pause
        web_a.set("version", 3)
        assert web_b.get("version") == 3  # shared again
    finally:
        server.kill()
        server.wait()
