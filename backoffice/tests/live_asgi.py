"""A real uvicorn process serving ``backoffice.asgi:application`` on the test database, for
tests that need what only the real server and the ASGI stack do (chunked bodies, a body cut
off at its cap, the temp dir Django spools bodies to, raw paths).

The root conftest loads the fixture (``live_asgi``, one server per test module).
Tests that write data the server must see use ``transactional_db``.
"""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

#: Ports 18400-18499 are this suite's live servers; one per test process (xdist workers).
#: LIVE_ASGI_PORT_BASE moves the range (a machine where several checkouts test at once).
PORT_BASE = int(os.environ.get("LIVE_ASGI_PORT_BASE") or 18400)


@dataclass
class LiveASGI:
    host: str
    port: int
    tmpdir: Path  # the server's TMPDIR: where Django spools request bodies
    pid: int = 0  # the server process (its /proc/<pid>/status for memory figures)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def connect(self, timeout: float = 10) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        sock.settimeout(timeout)
        return sock


def _free_port() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    start = PORT_BASE + 10 + 5 * (int(worker) if worker.isdigit() else 0)
    for port in range(start, PORT_BASE + 100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORT_BASE}-{PORT_BASE + 99}")


def server_env(tmpdir: Path) -> dict:
    """The environment of a server process on the test database."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "backoffice.settings", "TMPDIR": str(tmpdir)}
    from django.db import connection

    database = connection.settings_dict  # the test database's, once it is set up
    if database["ENGINE"].endswith("sqlite3") or database["ENGINE"] == "core.sqlite_pool":
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(database["NAME"])
    else:
        password = database["PASSWORD"]
        credentials = database["USER"] + (f":{password}" if password else "")
        env["DATABASE_URL"] = (
            f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        )
    return env


@contextmanager
def uvicorn_serving(env: dict, tmpdir: Path):
    """A uvicorn process serving the project with ``env``; yields its ``LiveASGI``."""
    port = _free_port()
    log = (tmpdir.parent / f"uvicorn-{port}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "backoffice.asgi:application",
         "--host", "127.0.0.1", "--port", str(port), "--lifespan", "off", "--no-access-log"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError(
                        "uvicorn did not start: " + Path(log.name).read_text()[-2000:]
                    ) from None
                time.sleep(0.2)
        yield LiveASGI("127.0.0.1", port, tmpdir, process.pid)
    finally:
        process.terminate()
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        process.kill()  # nothing if it has stopped
        log.close()


@pytest.fixture(scope="module")
def live_asgi(django_db_setup, django_db_blocker, tmp_path_factory):
    tmpdir = tmp_path_factory.mktemp("asgi-tmp")
    with uvicorn_serving(server_env(tmpdir), tmpdir) as server:
        yield server


def read_response(sock: socket.socket) -> tuple[int, dict, bytes]:
    """One HTTP/1.1 response from ``sock`` (read until its Content-Length, or the close)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", -1))
    while length < 0 or len(body) < length:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        body += chunk
    return status, headers, body
