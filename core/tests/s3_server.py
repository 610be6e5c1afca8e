"""A real S3 API server for the media-storage tests: moto's server mode (``moto.server``) run as
its own process on a free local port, spoken to over HTTP by boto3 and django-storages exactly
as a production bucket would be (no in-process mocking).

``s3_server`` (session-wide) starts it once; ``s3_media`` (per test) creates a fresh bucket,
points ``STORAGES["default"]`` at it through the same ``core.media.s3_storage`` the settings
use, and returns an ``S3Bucket`` to look inside it. Registered for every app in the root
``conftest.py``.
"""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from urllib.request import urlopen

import pytest

from core.media import MEDIA_PUBLIC_PREFIXES, s3_storage

# Ports tried for the server (first free one wins).
PORTS = range(18100, 18200)
ACCESS_KEY, SECRET_KEY, REGION = "testing", "testing", "us-east-1"


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_local_port() -> int:
    """A port of PORTS nothing listens on now (from a per-process offset, so parallel test
    processes rarely pick the same one)."""
    offset = os.getpid() % len(PORTS)
    for step in range(len(PORTS)):
        port = PORTS[(offset + step) % len(PORTS)]
        if _port_is_free(port):
            return port
    raise RuntimeError(f"no free port in {PORTS}")


def _wait_until_answering(process: subprocess.Popen, url: str, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False  # exited: the port was taken after all
        try:
            with urlopen(url, timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


@dataclass
class S3Server:
    endpoint_url: str
    process: subprocess.Popen

    def client(self):
        import boto3

        return boto3.client(
            "s3", endpoint_url=self.endpoint_url, aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY, region_name=REGION,
        )


def s3_server_start() -> S3Server:
    """Start ``python -m moto.server`` on the first free port of PORTS (xdist workers each start
    their own: the search starts at a per-process offset, and a port taken between the check and
    the start is skipped)."""
    offset = os.getpid() % len(PORTS)
    for step in range(len(PORTS)):
        port = PORTS[(offset + step) % len(PORTS)]
        if not _port_is_free(port):
            continue
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        if _wait_until_answering(process, f"{url}/moto-api/"):
            return S3Server(endpoint_url=url, process=process)
        process.kill()
        process.wait()
    raise RuntimeError(f"no free port in {PORTS} for the S3 test server")


@pytest.fixture(scope="session")
def s3_server():
    server = s3_server_start()
    yield server
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@dataclass
class S3Bucket:
    name: str
    server: S3Server
    client: object

    def keys(self, prefix: str = "") -> list[str]:
        """Every object's key under ``prefix``, read from the server."""
        found = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for item in found.get("Contents", []))

    def body(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def head(self, key: str) -> dict:
        return self.client.head_object(Bucket=self.name, Key=key)


def public_read_policy(bucket: str) -> dict:
    """The bucket policy docs/production.md#media recommends: anyone may read product images and
    profile pictures (the storefront links them); import files and documents stay private."""
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "PublicImages",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": [f"arn:aws:s3:::{bucket}/{prefix}*" for prefix in MEDIA_PUBLIC_PREFIXES],
        }],
    }


@pytest.fixture
def s3_media(s3_server, settings):
    """A new, empty bucket on the S3 server (public read for images only), made the default
    storage for this test."""
    client = s3_server.client()
    name = f"media-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket=name, endpoint_url=s3_server.endpoint_url, access_key=ACCESS_KEY,
            secret_key=SECRET_KEY, region=REGION,
        ),
    }
    return S3Bucket(name=name, server=s3_server, client=client)
