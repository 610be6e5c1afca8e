"""Start the web server as ``make run`` does (uvicorn, ASGI; one process, or ``workers`` as
``runbackoffice --workers``) on the bench's database, wait until it answers, stop it
afterwards."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def running_server(*, port: int, env: dict | None = None, workers: int = 1) -> Iterator[None]:
    # The bench process holds no connection while the server works (SQLite locks, PG pool).
    connection.close()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.server_settings",
        "BENCH_DB_NAME": connection.settings_dict["NAME"],
        # No line per request (backoffice.requests logs them at INFO), as uvicorn's access log
        # is off here: the figures are the server's, not its logging's.
        "LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    command = [
        sys.executable, "-m", "uvicorn", "backoffice.asgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--lifespan", "off",
        "--no-access-log", "--log-level", "warning",
    ]
    if workers > 1:  # as ``runbackoffice --workers N``: uvicorn's processes share the port
        command += ["--workers", str(workers)]
    process = subprocess.Popen(command, cwd=ROOT, env=environment)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError("the bench server stopped at start-up")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("the bench server did not start in 60 s")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
