"""The pieces of a fleet, started as processes on one machine: web servers, django-q2 clusters,
and (for a self-contained fleet) a Redis server and an S3 server (moto).

Used by ``manage.py runfleet`` (``make fleet``), by the fleet tests (``backoffice/tests/fleet``)
and by the web benchmark. Each process runs in its own process group, so stopping one (or
killing it with SIGKILL, as the tests do to a web server or a worker host) takes its children
(uvicorn's workers, the cluster's worker processes) with it, and nothing else.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from backoffice.management.commands.runbackoffice import web_command
from core.media import MEDIA_PUBLIC_PREFIXES

ROOT = Path(__file__).resolve().parent.parent
S3_TEST_KEYS = {"AWS_ACCESS_KEY_ID": "fleet", "AWS_SECRET_ACCESS_KEY": "fleet-secret"}


def redis_command(port: int) -> list[str]:
    """A throw-away redis-server: no persistence, local only."""
    return ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--loglevel", "warning"]


def s3_command(port: int) -> list[str]:
    """moto's S3-compatible server (any bucket, any key; nothing persisted)."""
    return [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]


def worker_command() -> list[str]:
    return [sys.executable, "manage.py", "qcluster"]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
        return True
    except OSError:
        return False


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= response.status < 300
    except OSError:
        return False


@dataclass
class Member:
    name: str
    command: list[str]
    env: dict
    process: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class Fleet:
    """Processes started with ``start`` and stopped together by ``stop_all`` (or leaving the
    ``with`` block). ``log_dir``: where each process's output goes (``<name>.log``); without
    it, output goes to this process's own stdout/stderr."""

    log_dir: Path | None = None
    members: dict[str, Member] = field(default_factory=dict)

    def start(self, name: str, command: list[str], env: dict | None = None) -> Member:
        member = Member(name=name, command=command, env={**os.environ, **(env or {})})
        output = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            member.log = self.log_dir / f"{name}.log"
            output = member.log.open("ab")
        member.process = subprocess.Popen(
            command, cwd=ROOT, env=member.env, stdout=output, stderr=subprocess.STDOUT if output
            else None, start_new_session=True,
        )
        if output is not None:
            output.close()
        self.members[name] = member
        return member

    def restart(self, name: str) -> Member:
        """Stop the member (if running) and start it again with the same command."""
        member = self.members[name]
        self.stop(name)
        return self.start(name, member.command, member.env)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Signal the member's whole process group (SIGKILL: no goodbye, as a lost host)."""
        member = self.members[name]
        if member.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(member.process.pid, sig)
            if sig == signal.SIGKILL:
                member.process.wait(timeout=10)

    def stop(self, name: str, timeout: float = 15) -> None:
        member = self.members[name]
        if not member.alive():
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(member.process.pid, signal.SIGTERM)
        try:
            member.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(member.process.pid, signal.SIGKILL)
            member.process.wait(timeout=10)

    def stop_all(self, timeout: float = 20) -> None:
        """SIGTERM to every member at once (each stops gracefully: a cluster finishes its
        tasks), then SIGKILL to any group still there after ``timeout``, leaders or not (a
        worker process of a killed cluster outlives its leader)."""
        running = [m for m in self.members.values() if m.process is not None]
        for member in running:
            if member.alive():
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(member.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for member in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                member.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for member in running:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(member.process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                member.process.wait(timeout=10)

    def dead(self) -> list[str]:
        return [name for name, member in self.members.items() if not member.alive()]

    def wait_until(self, name: str, ready, timeout: float = 90) -> None:
        """Until ``ready()`` is true; fails if the member stops first or the time runs out."""
        member = self.members[name]
        deadline = time.monotonic() + timeout
        while not ready():
            if not member.alive():
                raise RuntimeError(f"{name} stopped at start-up{self._tail(member)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} was not ready in {timeout:g} s{self._tail(member)}")
            time.sleep(0.2)

    @staticmethod
    def _tail(member: Member) -> str:
        if member.log is None or not member.log.exists():
            return ""
        return ":\n" + "\n".join(member.log.read_text(errors="replace").splitlines()[-20:])

    def __enter__(self) -> "Fleet":
        return self

    def __exit__(self, *exc) -> None:
        self.stop_all()


# --- the pieces ------------------------------------------------------------------------------


def start_redis(fleet: Fleet, *, port: int, name: str = "redis") -> str:
    fleet.start(name, redis_command(port))
    fleet.wait_until(name, lambda: port_open(port), timeout=20)
    return f"redis://127.0.0.1:{port}"


def start_s3(fleet: Fleet, *, port: int, bucket: str, name: str = "s3") -> dict:
    """moto_server with ``bucket`` made; returns the AWS_* settings that point at it."""
    fleet.start(name, s3_command(port))
    fleet.wait_until(name, lambda: port_open(port), timeout=60)
    settings = s3_settings(port=port, bucket=bucket)
    create_bucket(settings)
    return settings


def s3_settings(*, port: int, bucket: str) -> dict:
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_S3_REGION_NAME": "us-east-1",
        **S3_TEST_KEYS,
    }


def create_bucket(settings: dict) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=settings["AWS_S3_ENDPOINT_URL"],
        region_name=settings["AWS_S3_REGION_NAME"],
        aws_access_key_id=settings["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=settings["AWS_SECRET_ACCESS_KEY"],
    )
    bucket = settings["AWS_STORAGE_BUCKET_NAME"]
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=bucket)
    # The policy docs/production.md#media recommends: anyone may read the public folders
    # (product images, profile pictures: plain URLs); import files stay private.
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": [f"arn:aws:s3:::{bucket}/{prefix}*"
                                    for prefix in MEDIA_PUBLIC_PREFIXES]}],
    }))


def start_web(
    fleet: Fleet, *, name: str, port: int, env: dict, workers: int = 1, wait: bool = True
) -> str:
    """A web server as ``runbackoffice`` starts it; returns its base URL once /healthz answers
    (or at once without ``wait``: then ``wait_web``)."""
    # The web server pools its connections (backoffice/asgi.py); said here so that a DB_POOL
    # in this process's environment (the test run imported asgi.py) cannot say otherwise.
    fleet.start(name, web_command(sys.executable, host="127.0.0.1", port=port, workers=workers),
                {**env, "DB_POOL": "1"})
    base = f"http://127.0.0.1:{port}"
    if wait:
        wait_web(fleet, name, base)
    return base


def wait_web(fleet: Fleet, name: str, base: str) -> None:
    fleet.wait_until(name, lambda: http_ok(f"{base}/healthz"), timeout=120)


def start_worker(fleet: Fleet, *, name: str, env: dict, processes: int = 1) -> Member:
    """A django-q2 cluster of ``processes`` workers. Never a connection pool: the cluster forks,
    and forked processes sharing a pool's connections corrupt each other's queries."""
    return fleet.start(name, worker_command(),
                       {**env, "Q_WORKERS": str(processes), "DB_POOL": "0"})


def ensure_database(database_url: str, *, fresh: bool = False) -> None:
    """Create the PostgreSQL database of ``database_url`` if missing (dropped first if
    ``fresh``), connecting to the server's ``postgres`` database as the same user."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def manage(*args: str, env: dict) -> None:
    """``manage.py <args>`` in the fleet's environment; fails loudly."""
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env},
                   check=True)
