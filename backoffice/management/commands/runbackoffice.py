"""Start the web server (uvicorn, ASGI) and the django-q2 workers together: the main cluster
(imports, payouts, sweepers ...) and the outbox's own (email and SMS, ``OUTBOX_TASK_CLUSTER``),
so a slow mail server never holds the other tasks.

Ctrl-C (or any process dying) stops them all, so nothing is left running in the background.
The banner with the addresses is printed last: once the web server answers and the worker has
worked through the queue (the demo data leaves emails queued), so it does not scroll away.
"""

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from core.client_ip import uvicorn_proxy_args


def web_command(python: str, *, host: str, port: int) -> list[str]:
    """uvicorn serving the ASGI app; it trusts proxy headers only from ``TRUSTED_PROXIES``
    (its own default trusts X-Forwarded-For from 127.0.0.1, so anything on the same host, or
    a client behind a local proxy that forwards the header, could pick its address)."""
    return [
        python, "-m", "uvicorn", "backoffice.asgi:application",
        "--host", host, "--port", str(port), "--lifespan", "off",
        *uvicorn_proxy_args(),
    ]


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

    def handle(self, *args, host: str, port: int, **options) -> None:
        python = sys.executable
        commands = {"web": (web_command(python, host=host, port=port), None)}
        commands.update(worker_commands(python))
        processes = {
            name: subprocess.Popen(cmd, env=env) for name, (cmd, env) in commands.items()
        }
        base = f"http://{host}:{port}"
        workers = ", ".join(str(p.pid) for name, p in processes.items() if name != "web")
        try:
            self._wait_until_ready(host, port, processes)
        except KeyboardInterrupt:
            pass
        self.stdout.write(
            self.style.SUCCESS(
                f"\nMARTAF backoffice is running.\n"
                f"  Admin:    {base}/admin/\n"
                f"  API docs: {base}/api/docs/\n"
                f"  Workers:  django-q2 clusters (pids {workers})\n"
                f"Press Ctrl-C to stop them all.\n"
            )
        )
        try:
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
    def _wait_until_ready(host: str, port: int, processes: dict, timeout: float = 60) -> None:
        """Until the web server accepts connections and the workers' queues are empty (or the
        timeout, or a process died)."""
        from django_q.brokers import get_broker

        deadline = time.monotonic() + timeout
        address = ("127.0.0.1" if host in ("0.0.0.0", "::") else host, port)

        def alive() -> bool:
            return all(p.poll() is None for p in processes.values())

        while alive() and time.monotonic() < deadline:
            try:
                socket.create_connection(address, timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        brokers = [get_broker(), get_broker(settings.OUTBOX_TASK_CLUSTER or None)]
        while (
            alive()
            and time.monotonic() < deadline
            and any(broker.queue_size() for broker in brokers)
        ):
            time.sleep(0.5)
