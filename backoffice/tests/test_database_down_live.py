"""The database unreachable (a PostgreSQL address that accepts connections and never
answers): a real uvicorn process answers the API with a 503 JSON within the connect timeout
and the pool's wait, and the admin with a 503 page, instead of hanging or a 500."""

import json
import time

import pytest

from backoffice.tests.live_asgi import read_response, uvicorn_serving
from notifications.tests.silent_server import SilentServer

POOL_TIMEOUT = 4


@pytest.fixture(scope="module")
def server_without_database(tmp_path_factory):
    import os

    tmpdir = tmp_path_factory.mktemp("no-db")
    with SilentServer() as silent:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "backoffice.settings",
            "DATABASE_URL": f"postgres://martaf@127.0.0.1:{silent.port}/martaf",
            "DB_CONNECT_TIMEOUT": "1",
            "DB_POOL_TIMEOUT": str(POOL_TIMEOUT),
        }
        with uvicorn_serving(env, tmpdir) as server:
            yield server


def _get(server, path: str) -> tuple[int, dict, bytes, float]:
    sock = server.connect(timeout=60)
    started = time.monotonic()
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    status, headers, body = read_response(sock)
    sock.close()
    return status, headers, body, time.monotonic() - started


def test_the_api_answers_503_json_quickly(server_without_database):
    status, headers, body, elapsed = _get(server_without_database, "/api/products/")

    assert status == 503
    assert json.loads(body)["code"] == "service_unavailable"
    assert json.loads(body)["detail"]
    assert headers["retry-after"] == "5"
    assert elapsed < POOL_TIMEOUT + 3


def test_the_admin_answers_a_503_page(server_without_database):
    status, headers, body, elapsed = _get(server_without_database, "/admin/login/")

    assert status == 503
    assert headers["content-type"].startswith("text/html")
    assert b"briefly unavailable" in body
    assert elapsed < POOL_TIMEOUT + 3
