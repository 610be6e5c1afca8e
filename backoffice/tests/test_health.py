"""/healthz (the process answers, nothing else) and /readyz (database, Redis when configured,
media storage; 503 naming the failing part), answered before host checks, redirects and
throttles, never cached, each probe bounded to a second (backoffice.health)."""

import json
import logging
import socket
import time

import pytest

from backoffice import health
from backoffice.fleet import Fleet, start_redis
from core.media import s3_storage


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free once the probe closes: nothing listens


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_200_when_every_part_answers(client, settings):
    settings.REDIS_URL = ""  # the embedded default: no Redis to ask
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {
        "database": "ok", "storage": "ok", "redis": "not configured"}}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_names_an_unreachable_redis_and_answers_within_the_probe_time(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    started = time.monotonic()
    response = client.get("/readyz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok" and body["checks"]["storage"] == "ok"
    assert body["checks"]["redis"].startswith("unreachable: ")
    assert elapsed < 1.5


@pytest.mark.django_db
def test_readyz_follows_a_real_redis_server_going_and_coming_back(client, settings):
    port = _closed_port()
    with Fleet() as fleet:
        settings.REDIS_URL = f"{start_redis(fleet, port=port)}/0"
        assert client.get("/readyz").json()["checks"]["redis"] == "ok"
        fleet.stop("redis")
        assert client.get("/readyz").status_code == 503
        fleet.restart("redis")
        fleet.wait_until("redis", lambda: client.get("/readyz").status_code == 200, timeout=10)


@pytest.mark.django_db
def test_readyz_names_an_unreachable_media_storage(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(bucket="media", endpoint_url=f"http://127.0.0.1:{_closed_port()}",
                              access_key="k", secret_key="s", region="us-east-1"),
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["storage"].startswith("unreachable: ")
    assert checks["database"] == "ok"
    _settle()


def _settle() -> None:
    """Let a probe still retrying (boto3 retries a refused connection past the second) end,
    so that the next test's first poll starts its own."""
    for probe in health._PROBES.values():
        running = probe._running
        if running is not None:
            try:
                running.result(timeout=10)
            except Exception:  # noqa: BLE001, S110 - its outcome was the test's
                pass


@pytest.mark.django_db
def test_a_hanging_probe_is_cut_at_the_probe_time_and_not_started_again(client, monkeypatch):
    calls = []

    def hang_once() -> None:
        calls.append(1)
        if len(calls) == 1:
            time.sleep(2.4)  # the storage's host stopped answering, then came back

    monkeypatch.setitem(health._PROBES, "storage", health._Probe("storage", hang_once))
    started = time.monotonic()
    first = client.get("/readyz")
    second = client.get("/readyz")  # the first probe still runs: waited for, not repeated
    assert time.monotonic() - started < 2.3
    assert first.status_code == second.status_code == 503
    assert first.json()["checks"]["storage"] == "unreachable: no answer within 1 s"
    assert len(calls) == 1
    time.sleep(0.6)
    assert client.get("/readyz").json()["checks"]["storage"] == "ok"  # a fresh probe
    assert len(calls) == 2


@pytest.mark.django_db
def test_probes_pass_host_checks_and_https_redirects_and_are_never_throttled(client, settings):
    settings.ALLOWED_HOSTS = ["shop.example.com"]
    settings.SECURE_SSL_REDIRECT = True  # as in production: the balancer polls over HTTP
    polls = [client.get("/readyz", HTTP_HOST="10.0.0.7:8000") for _ in range(30)]
    answers = {p.status_code for p in polls}
    assert answers == {200}, [p.json() for p in polls if p.status_code != 200]
    assert client.get("/healthz/", HTTP_HOST="10.0.0.7").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_polls_are_not_logged_at_info(client, caplog):
    with caplog.at_level(logging.INFO, logger="backoffice.requests"):
        client.get("/readyz")
        client.get("/healthz")
        client.get("/products/list/")
    lines = [r.getMessage() for r in caplog.records if r.name == "backoffice.requests"]
    assert len(lines) == 1 and lines[0].startswith("GET /products/list/ 200 ")
    assert json.loads(client.get("/healthz").content) == {"status": "ok"}
