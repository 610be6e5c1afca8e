"""Start the web server (uvicorn, ASGI) and the django-q2 workers together: the main cluster
(imports, payouts, sweepers ...) and the outbox's own (email and SMS, ``OUTBOX_TASK_CLUSTER``),
so a slow mail server never holds the other tasks.

``--workers N`` runs N web processes on the one port (uvicorn's own process manager).
Ctrl-C (or any process dying) stops them all, so nothing is left running in the background.
The banner with the addresses (and the demo sign-ins, when the demo data is loaded) is printed
once the web server answers ``/healthz``, after uvicorn's start-up lines, so it is the last
thing on the console until the first request.
"""

import atexit
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from backoffice.health import HEALTHZ, READYZ
from core.client_ip import uvicorn_proxy_args
from core.logs import uvicorn_log_config
from users.demo import demo_sign_ins

#: Seconds to wait for the web server's first answer before printing the banner regardless.
READY_TIMEOUT = 120


def uvicorn_log_config_file() -> str:
    """A file with uvicorn's log configuration in ``LOG_FORMAT`` (its start-up lines come
    before the application's logging is set up), written once per run."""
    global _log_config_file
    if _log_config_file is None:
        handle = tempfile.NamedTemporaryFile(
            "w", prefix="martaf-uvicorn-log-", suffix=".json", delete=False
        )
        with handle:
            json.dump(uvicorn_log_config(settings.LOG_FORMAT, settings.LOG_LEVEL), handle)
        atexit.register(lambda: os.path.exists(handle.name) and os.unlink(handle.name))
        _log_config_file = handle.name
    return _log_config_file


_log_config_file: str | None = None


def stop_on_sigterm() -> None:
    """SIGTERM (a service manager, a container runtime, ``timeout``) stops everything as Ctrl-C
    does, instead of leaving the children running."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    # Started in the background by a script, a process inherits SIGINT ignored, and Python then
    # never raises KeyboardInterrupt: Ctrl-C (or kill -INT) would stop the children (uvicorn
    # and django-q2 set their own handlers) and leave this one waiting on nothing.
    signal.signal(signal.SIGINT, signal.default_int_handler)


def web_command(python: str, *, host: str, port: int, workers: int = 1) -> list[str]:
    """uvicorn serving the ASGI app; it trusts proxy headers only from ``TRUSTED_PROXIES``
    (its own default trusts X-Forwarded-For from 127.0.0.1, so anything on the same host, or
    a client behind a local proxy that forwards the header, could pick its address).

    ``workers`` > 1 runs uvicorn's own process manager: that many processes share the port
    (the kernel spreads the connections), and one that dies is started again. Its access log
    is off: the application logs each request itself (backoffice.request_log)."""
    command = [
        python,
        "-m",
        "uvicorn",
        "backoffice.asgi:application",
        "--host",
        host,
        "--port",
        str(port),
        "--lifespan",
        "off",
        "--log-config",
        uvicorn_log_config_file(),
        "--no-access-log",
        *uvicorn_proxy_args(),
    ]
    if workers > 1:
        command += ["--workers", str(workers)]
    return command


def worker_commands(python: str) -> dict[str, tuple[list[str], dict | None]]:
    """The django-q2 clusters to run: name -> (command, environment or None to inherit)."""
    command = [python, "manage.py", "qcluster"]
    workers: dict[str, tuple[list[str], dict | None]] = {"worker": (command, None)}
    if settings.OUTBOX_TASK_CLUSTER:
        # django-q2 reads the cluster's name (its queue) from the environment.
        env = {**os.environ, "Q_CLUSTER_NAME": settings.OUTBOX_TASK_CLUSTER}
        workers["outbox worker"] = (command, env)
    return workers


class Command(BaseCommand):
    help = "Run the ASGI web server and the background workers until interrupted."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="web processes serving the port (uvicorn's --workers; one per core)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="the web server only (a web host of a fleet; workers run on their own hosts)",
        )

    def handle(self, *args, host: str, port: int, workers: int, no_worker: bool, **options) -> None:
        if workers < 1:
            raise CommandError("--workers must be 1 or more.")
        stop_on_sigterm()
        python = sys.executable
        commands = {"web": (web_command(python, host=host, port=port, workers=workers), None)}
        if not no_worker:
            commands.update(worker_commands(python))
        processes = {name: subprocess.Popen(cmd, env=env) for name, (cmd, env) in commands.items()}
        cluster_pids = ", ".join(str(p.pid) for name, p in processes.items() if name != "web")
        try:
            answered = self._wait_until_answering(host, port, processes)
            if all(p.poll() is None for p in processes.values()):
                url = local_url(host, port)
                self.stdout.write(
                    self.style.SUCCESS(
                        banner(
                            url,
                            workers=workers,
                            cluster_pids=cluster_pids if "worker" in processes else "",
                            answered=answered,
                            problems=not_ready(url + READYZ) if answered else "",
                        )
                    )
                )
                # The banner's one query (the demo sign-ins) is this process's last.
                connections.close_all()
            while all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
            dead = [name for name, p in processes.items() if p.poll() is not None]
            self.stderr.write(f"{', '.join(dead)} stopped; stopping the rest.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping ...")
        finally:
            for p in processes.values():
                if p.poll() is None:
                    p.send_signal(signal.SIGINT)
            deadline = time.monotonic() + 15
            for p in processes.values():
                try:
                    p.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    p.kill()

    @staticmethod
    def _wait_until_answering(host: str, port: int, processes: dict) -> bool:
        """Poll ``/healthz`` until it answers 200 (True), a process dies or ``READY_TIMEOUT``
        passes (False). Health checks are logged at DEBUG: the polls leave no lines."""
        deadline = time.monotonic() + READY_TIMEOUT
        url = local_url(host, port) + HEALTHZ
        while all(p.poll() is None for p in processes.values()):
            if answers(url):
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)
        return False


def local_url(host: str, port: int) -> str:
    """Where this machine reaches the server (a wildcard address is reached on loopback)."""
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"


def answers(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:  # refused, reset, timed out, or an HTTP error status
        return False


def not_ready(url: str) -> str:
    """What ``/readyz`` finds wrong (the database, Redis, the media storage), "" when ready."""
    try:
        with urllib.request.urlopen(url, timeout=5):
            return ""
    except urllib.error.HTTPError as error:
        try:
            checks = json.loads(error.read() or b"{}").get("checks") or {}
        except ValueError:
            checks = {}
        wrong = [f"{part}: {verdict}" for part, verdict in checks.items() if verdict != "ok"]
        return "; ".join(wrong) or f"HTTP {error.code}"
    except OSError as error:
        return str(error)


def banner(
    base: str, *, workers: int, cluster_pids: str, answered: bool, problems: str = ""
) -> str:
    """What runbackoffice prints once the server answers: where to go and how to sign in."""
    lines = [
        "",
        f"MARTAF backoffice is running at {base}/",
        f"  Admin:    {base}/admin/",
        f"  API docs: {base}/api/docs/",
        f"  Web:      uvicorn, {workers} process{'es' if workers > 1 else ''}",
        f"  Workers:  django-q2 clusters (pids {cluster_pids})"
        if cluster_pids
        else "  Worker:   none here (--no-worker)",
    ]
    if not answered:
        lines.append(f"  (the web server has not answered {HEALTHZ} yet: see the lines above)")
    if problems:
        lines.append(f"  Not ready ({READYZ}): {problems}")
    sign_ins = demo_sign_ins()
    if sign_ins:
        lines.append("  Demo sign-ins (email / password):")
        for role, demo in sign_ins:
            second = "  + a code from `make demo-code`" if demo.is_staff else ""
            lines.append(f"    {role:<13} {demo.email} / {demo.password}{second}")
    lines.append("Press Ctrl-C to stop.")
    return "\n".join(lines) + "\n"
