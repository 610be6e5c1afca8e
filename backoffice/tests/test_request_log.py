"""Every answer carries ``X-Request-ID`` (the client's when short and safe, else a new one), every
log line written while serving it carries the id, and ``LOG_FORMAT=json`` writes one JSON
object per line (backoffice.request_log, core.logs)."""

import json
import re
import socket

import pytest
import requests

from backoffice.fleet import Fleet, start_web
from core.logs import request_id_from

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/products/list/", "/admin/", "/api/no-such-route/", "/healthz", "/readyz"]
)
def test_every_answer_returns_the_clients_request_id(client, path):
    response = client.get(path, HTTP_X_REQUEST_ID="lb-7f3a.9:trace_1")
    assert response["X-Request-ID"] == "lb-7f3a.9:trace_1"


@pytest.mark.django_db
def test_an_error_page_carries_a_generated_id(client):
    response = client.get("/admin/no-such-page/")
    assert response.status_code in (302, 404)
    assert GENERATED.fullmatch(response["X-Request-ID"])


@pytest.mark.parametrize(
    "offered", ["", "x" * 65, "two words", "a\r\nSet-Cookie: x=1", "<script>", "caf\u00e9"]
)
def test_an_unsafe_or_long_id_is_replaced(offered):
    assert GENERATED.fullmatch(request_id_from(offered))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_json_logs_of_a_real_server_are_one_object_per_line_with_the_request_id(tmp_path):
    port = _free_port()
    env = {
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "PYTHONUNBUFFERED": "1",
    }
    with Fleet(log_dir=tmp_path) as fleet:
        base = start_web(fleet, name="web", port=port, env=env)
        missing = requests.get(
            f"{base}/api/no-such-route/", timeout=30, headers={"X-Request-ID": "trace-42"}
        )
        admin = requests.get(
            f"{base}/admin/", timeout=30, allow_redirects=False, headers={"X-Request-ID": "bad id!"}
        )
        fleet.stop("web")
    assert missing.status_code == 404 and missing.headers["X-Request-ID"] == "trace-42"
    assert admin.status_code == 302 and GENERATED.fullmatch(admin.headers["X-Request-ID"])

    lines = [line for line in (tmp_path / "web.log").read_text().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line parses
    assert all({"time", "level", "logger", "message", "request_id"} <= e.keys() for e in entries)
    request_lines = [e for e in entries if e["logger"] == "backoffice.requests"]
    traced = next(e for e in request_lines if e["request_id"] == "trace-42")
    assert traced["method"] == "GET" and traced["path"] == "/api/no-such-route/"
    assert traced["status"] == 404 and isinstance(traced["duration_ms"], float)
    assert traced["level"] == "INFO"
    # Django's own warning about the 404, written while serving it, carries the same id.
    assert any(e["logger"] == "django.request" and e["request_id"] == "trace-42" for e in entries)
    generated = next(e for e in request_lines if e["path"] == "/admin/")
    assert generated["request_id"] == admin.headers["X-Request-ID"]
    # uvicorn's own lines (start-up, shut-down) are JSON too.
    assert any(e["logger"].startswith("uvicorn") for e in entries)


def _request_lines(caplog) -> list[tuple[str, str]]:
    return [
        (record.levelname, record.getMessage().rsplit(" ", 1)[0])
        for record in caplog.records
        if record.name == "backoffice.requests"
    ]


@pytest.mark.django_db
def test_files_served_without_error_are_logged_at_debug_pages_and_failures_at_info(
    client, caplog, settings, tmp_path
):
    (tmp_path / "media" / "products").mkdir(parents=True, exist_ok=True)
    (tmp_path / "media" / "products" / "note.txt").write_text("hello")
    settings.MEDIA_ROOT = tmp_path / "media"
    with caplog.at_level("DEBUG", logger="backoffice.requests"):
        statuses = [
            client.get(path).status_code
            for path in [
                "/static/admin/css/base.css",
                "/favicon.ico",
                "/media/products/note.txt",
                "/admin/login/",
                "/static/no-such-file.css",
                "/media/no-such-file.txt",
            ]
        ]
    assert statuses == [200, 200, 200, 200, 404, 404]
    assert _request_lines(caplog) == [
        ("DEBUG", "GET /static/admin/css/base.css 200"),
        ("DEBUG", "GET /favicon.ico 200"),
        ("DEBUG", "GET /media/products/note.txt 200"),
        ("INFO", "GET /admin/login/ 200"),
        ("INFO", "GET /static/no-such-file.css 404"),
        ("INFO", "GET /media/no-such-file.txt 404"),
    ]
