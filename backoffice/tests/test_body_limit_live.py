"""The request body cap (core.body_limit) on a real uvicorn process, over raw sockets: an
over-long Content-Length is refused before the body is read (nothing reaches the temp dir), a
chunked body is cut off at the cap, and a chunked body within it reaches the view whole."""

import json
import time

import pytest
from django.conf import settings

from backoffice.tests.live_asgi import read_response
from conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

GIGABYTE = 1024**3


def _head(method: str, path: str, headers: dict) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _files_under(path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def test_an_over_long_content_length_is_refused_before_the_body_is_read(live_asgi):
    sock = live_asgi.connect()
    started = time.monotonic()
    sock.sendall(
        _head("POST", "/paystack/webhook/",
              {"Content-Type": "application/json", "Content-Length": GIGABYTE})
    )
    # Not one byte of the body sent: the answer cannot have waited for it.
    status, headers, body = read_response(sock)
    elapsed = time.monotonic() - started
    assert status == 413
    assert elapsed < 2
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    assert json.loads(body) == {
        "detail": "The request body is too large: the limit here is 1,280 KB.",
        "code": "request_too_large",
    }
    # The server closed the connection: whatever the client goes on sending is not stored.
    sent = 0
    try:
        for _ in range(256):
            sock.sendall(b"x" * 65536)
            sent += 65536
    except OSError:
        pass
    sock.close()
    assert sent < 16 * 1024 * 1024
    time.sleep(0.3)
    assert _files_under(live_asgi.tmpdir) == 0


def test_an_admin_form_over_its_cap_gets_an_html_page(live_asgi):
    sock = live_asgi.connect()
    sock.sendall(
        _head("POST", "/admin/login/",
              {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": 50 * 1024**2})
    )
    status, headers, body = read_response(sock)
    sock.close()
    assert status == 413
    assert headers["content-type"].startswith("text/html")
    assert b"The upload is too large" in body


def test_the_upload_pages_take_their_own_larger_caps(live_asgi, settings):
    """The import page takes a file up to CATALOG_IMPORT_MAX_BYTES: a body that size is not
    refused by the cap (the admin's sign-in check answers it), one over the page's cap is."""
    import_page = "/admin/imports/productimport/add/"
    fits = settings.CATALOG_IMPORT_MAX_BYTES
    sock = live_asgi.connect()
    sock.sendall(
        _head("POST", import_page, {"Content-Type": "application/x-www-form-urlencoded",
                                    "Content-Length": fits + 1})
    )
    sock.settimeout(1)
    with pytest.raises(TimeoutError):  # waiting for the body: not refused
        sock.recv(1)
    sock.close()
    over = settings.CATALOG_IMPORT_MAX_BYTES + settings.REQUEST_BODY_MAX_BYTES + 1
    sock = live_asgi.connect()
    sock.sendall(_head("POST", import_page, {"Content-Type": "text/csv", "Content-Length": over}))
    assert read_response(sock)[0] == 413
    sock.close()


def test_a_chunked_body_over_the_cap_is_cut_off_there(live_asgi):
    sock = live_asgi.connect()
    sock.sendall(
        _head("POST", "/accounts/login",
              {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
    )
    piece = b" " * 65536
    for _ in range(settings.REQUEST_BODY_MAX_BYTES // len(piece) + 1):
        sock.sendall(_chunk(piece))
    # Over the cap, the body not finished: the refusal comes without waiting for the rest.
    status, _, body = read_response(sock)
    sock.close()
    assert status == 413
    assert json.loads(body)["code"] == "request_too_large"
    assert _files_under(live_asgi.tmpdir) == 0


def test_valid_json_sent_chunked_reaches_the_view(live_asgi, make_user, settings):
    # The server hashes with the project's hashers, not the suite's fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    make_user("chunked@martaf.test", is_customer=True)
    payload = json.dumps({"email": "chunked@martaf.test", "password": PASSWORD}).encode()
    sock = live_asgi.connect()
    sock.sendall(
        _head("POST", "/accounts/login",
              {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
    )
    sock.sendall(_chunk(payload[:10]) + _chunk(payload[10:]) + b"0\r\n\r\n")
    status, _, body = read_response(sock)
    sock.close()
    assert status == 200, body
    assert json.loads(body)["access"]


def test_an_empty_chunked_body_is_an_empty_body(live_asgi):
    sock = live_asgi.connect()
    sock.sendall(
        _head("POST", "/accounts/login",
              {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        + b"0\r\n\r\n"
    )
    status, _, body = read_response(sock)
    sock.close()
    assert status == 400
    assert "This field is required." in json.loads(body)["detail"]
