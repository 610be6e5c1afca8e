"""This site serving its uploaded files at MEDIA_URL when they are on its disk (no bucket), in
production mode (``core.media_views``): the file's own bytes with its type, Cache-Control,
ETag and Last-Modified (304 when unchanged); 404 for a folder (no listing), for private
folders (import files) and for any way out of MEDIA_ROOT. Run in-process through Django's
ASGI handler, and once end to end under uvicorn as ``runbackoffice`` starts it with DEBUG=0."""

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import AsyncClient

from backoffice.management.commands.runbackoffice import web_command
from catalog.tests.conftest import image_file
from core.media import MEDIA_CACHE_CONTROL
from core.tests.s3_server import free_local_port

ROOT = Path(__file__).resolve().parents[2]
TRAVERSALS = [
    "/media/../manage.py",
    "/media/products/../../manage.py",
    "/media/products/original/..%2f..%2f..%2fmanage.py",
    "/media/%2e%2e/manage.py",
    "/media//etc/passwd",
    "/media/products/original/..\\..\\secret.txt",
]


@pytest.fixture
def stored_png(settings):
    settings.DEBUG = False
    body = image_file("shoe.png").read()
    return default_storage.save("products/original/shoe.png", ContentFile(body)), body


def _send(method: str, path: str, **headers):
    """One request through Django's ASGI handler (as under uvicorn): (response, body)."""

    response = async_to_sync(getattr(AsyncClient(), method))(path, headers=headers)
    return response, response.getvalue()


def _get(path: str, **headers):
    return _send("get", path, **headers)


def test_an_uploaded_image_is_served_with_its_type_and_cache_headers(stored_png):
    name, body = stored_png

    response, served = _get(f"/media/{name}")

    assert response.status_code == 200
    assert served == body
    assert response["Content-Type"] == "image/png"
    assert response["Content-Length"] == str(len(body))
    assert response["Cache-Control"] == MEDIA_CACHE_CONTROL
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    assert response["X-Content-Type-Options"] == "nosniff"

    again, nothing = _get(f"/media/{name}", if_none_match=response["ETag"])
    assert (again.status_code, nothing, again["ETag"]) == (304, b"", response["ETag"])
    since, _ = _get(f"/media/{name}", if_modified_since=response["Last-Modified"])
    assert since.status_code == 304


@pytest.mark.parametrize("path", ["/media/", "/media/products", "/media/products/", "/media/products/original",
                                  "/media/products/original/"])
def test_a_folder_is_404_never_a_listing(stored_png, path):
    response, body = _get(path)

    assert response.status_code == 404
    assert b"shoe" not in body


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_leaves_the_public_media_folders(stored_png, settings, path):
    (settings.MEDIA_ROOT / "secret.txt").write_text("TOP-SECRET-CONTENT")

    response, body = _get(path)

    assert response.status_code == 404
    assert b"TOP-SECRET-CONTENT" not in body and b"DJANGO_SETTINGS_MODULE" not in body


def test_private_stored_files_are_not_served(stored_png):
    name = default_storage.save("imports/2026/12/catalogue.csv", ContentFile(b"handle,name\n"))

    response, body = _get(f"/media/{name}")

    assert response.status_code == 404 and b"handle" not in body


def test_only_get_and_head(stored_png):
    name, _ = stored_png

    head, _ = _send("head", f"/media/{name}")
    post, _ = _send("post", f"/media/{name}")

    assert (head.status_code, head["Content-Type"]) == (200, "image/png")
    assert post.status_code == 405


def _raw_get(port: int, path: str, **headers) -> tuple[int, dict, bytes]:
    """A GET sent exactly as written (no client-side clean-up of the path)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    for key, value in headers.items():
        connection.putheader(key, value)
    connection.endheaders()
    reply = connection.getresponse()
    result = reply.status, dict(reply.getheaders()), reply.read()
    connection.close()
    return result


def test_production_mode_under_uvicorn_serves_media(tmp_path):
    """``runbackoffice``'s uvicorn command, DEBUG=0, no bucket: the app itself serves /media/."""
    media = tmp_path / "media"
    (media / "products" / "original").mkdir(parents=True)
    body = image_file("boot.jpg", image_format="JPEG").read()
    (media / "products" / "original" / "boot.jpg").write_bytes(body)
    (media / "secret.txt").write_text("TOP-SECRET-CONTENT")
    port = free_local_port()
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL",
               "AWS_STORAGE_BUCKET_NAME"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(DEBUG="0", SECRET_KEY="s" * 60, ALLOWED_HOSTS="127.0.0.1", MEDIA_ROOT=str(media),
               SECURE_SSL_REDIRECT="0",  # plain HTTP to the test server, no TLS proxy in front
               SQLITE_PATH=str(tmp_path / "db.sqlite3"))
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        web_command(sys.executable, host="127.0.0.1", port=port), cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, served = _raw_get(port, "/media/products/original/boot.jpg")
                break
            except OSError:
                log.flush()
                assert server.poll() is None and time.monotonic() < deadline, (
                    (tmp_path / "server.log").read_text())
                time.sleep(0.2)

        assert (status, served) == (200, body)
        assert headers["content-type"] == "image/jpeg"
        assert headers["cache-control"] == MEDIA_CACHE_CONTROL
        assert _raw_get(port, "/media/products/original/boot.jpg", **{"If-None-Match": headers["etag"]})[0] == 304
        assert _raw_get(port, "/media/products/original/")[0] == 404
        for path in TRAVERSALS:
            status, _, served = _raw_get(port, path)
            assert status in (400, 404) and b"TOP-SECRET-CONTENT" not in served, path
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
