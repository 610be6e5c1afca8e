"""``manage.py runbackoffice`` as ``make run`` starts it (web server and both worker clusters,
real processes on the test database): its banner comes once the server answers, names the
addresses and the demo sign-ins, and is the last line before the first request; a static file
served without error leaves no request line, a page and a missing file do.

The port is the live servers' (``live_asgi``), or ``RUNBACKOFFICE_TEST_PORT`` when set.
"""

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import suppress

import pytest
from django.conf import settings

from backoffice.tests.live_asgi import _free_port, server_env
from users.demo import seed as seed_demo_users

pytestmark = pytest.mark.django_db(transaction=True)

BANNER_END = "Press Ctrl-C to stop."
REQUEST_LINE = re.compile(r" INFO backoffice\.requests \[\w+\]: (GET|POST) (\S+) (\d{3}) ")


class Console:
    """The command's stdout and stderr, merged as a terminal shows them, line by line."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self._process = process
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self._process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, predicate, seconds: float) -> int:
        """The index of the first line matching ``predicate`` (waiting up to ``seconds``)."""
        deadline = time.monotonic() + seconds
        while True:
            for index, line in enumerate(list(self.lines)):
                if predicate(line):
                    return index
            if self._process.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        raise AssertionError("not on the console:\n" + "\n".join(self.lines[-40:]))


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_banner_comes_once_the_server_answers_and_only_requests_follow(tmp_path):
    seed_demo_users()
    port = int(os.environ.get("RUNBACKOFFICE_TEST_PORT") or _free_port())
    base = f"http://127.0.0.1:{port}"
    env = server_env(tmp_path) | {
        "PYTHONUNBUFFERED": "1",
        "Q_WORKERS": "1",
        "Q_OUTBOX_WORKERS": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runbackoffice", "--port", str(port)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        console = Console(process)
        end = console.wait_for(lambda line: line == BANNER_END, seconds=120)
        # The server answered before the banner: it answers now, without a retry.
        assert _get(f"{base}/healthz") == 200
        start = console.lines.index(f"MARTAF backoffice is running at {base}/")
        uvicorn_up = console.wait_for(lambda line: "Uvicorn running on" in line, seconds=0)
        assert uvicorn_up < start
        banner = console.lines[start : end + 1]
        assert f"  Admin:    {base}/admin/" in banner
        assert f"  API docs: {base}/api/docs/" in banner
        signs = [line.split() for line in banner if "@" in line]
        assert signs == [
            [
                "staff",
                "admin@martaf.com",
                "/",
                "martaf-staff",
                "+",
                "a",
                "code",
                "from",
                "`make",
                "demo-code`",
            ],
            ["manufacturer", "kente@martaf.com", "/", "martaf-maker"],
            ["buyer", "ama@example.com", "/", "martaf-buyer"],
        ]

        # A few seconds of a normal start: the workers come up without a word.
        time.sleep(3)
        assert console.lines[end + 1 :] == []

        assert _get(f"{base}/static/admin/css/base.css") == 200
        assert _get(f"{base}/admin/login/") == 200
        assert _get(f"{base}/static/no-such-file.css") == 404
        console.wait_for(lambda line: "/static/no-such-file.css 404" in line, seconds=10)
        after = console.lines[end + 1 :]
        requests = [m.group(1, 2, 3) for line in after if (m := REQUEST_LINE.search(line))]
        assert requests == [
            ("GET", "/admin/login/", "200"),
            ("GET", "/static/no-such-file.css", "404"),
        ]
        # Besides the request lines, only Django's own word on the 404.
        others = [line for line in after if not REQUEST_LINE.search(line)]
        assert len(others) == 1 and "Not Found: /static/no-such-file.css" in others[0]
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # it stops its children, as on Ctrl-C
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # anything of its group left behind
    assert process.returncode == 0
