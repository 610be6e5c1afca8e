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


def _get_refused(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=5).close()
    except urllib.error.HTTPError:
        return False
    except OSError:
        return True
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _group_gone(pgid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def banner_line(banner: list[str], label: str) -> str:
    return next(line for line in banner if line.strip().startswith(label))


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
        # As a script's background job starts it: SIGINT ignored. Ctrl-C must still stop it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
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
        assert [line.strip() for line in banner if "@" in line] == [
            "staff         admin@martaf.com / martaf-staff  + a code from `make demo-code`",
            "manufacturer  kente@martaf.com / martaf-maker",
            "buyer         ama@example.com / martaf-buyer",
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

        # Ctrl-C stops it and everything it started.
        pids = banner_line(banner, "Workers:").split("(pids ")[1]
        cluster_pids = [int(pid) for pid in re.findall(r"\d+", pids)]
        assert len(cluster_pids) == 2
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        console.wait_for(lambda line: line == "Stopping ...", seconds=5)
        assert _get_refused(f"{base}/healthz")
        for pid in cluster_pids:
            assert not _alive(pid), pid
        assert _group_gone(process.pid, seconds=10)  # the clusters' own workers too
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # after a failure: its group, left behind
