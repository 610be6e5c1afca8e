"""The two django-q2 clusters as runbackoffice starts them (real ``qcluster`` processes on the
test database), with a mail server that accepts and never answers: emails stall in their own
cluster while an import task queued after them runs at once."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django_q.conf import Conf
from django_q.tasks import async_task, fetch

from backoffice.management.commands.runbackoffice import worker_commands
from backoffice.tests.live_asgi import server_env
from notifications.models import OutboundMessage
from notifications.services import email_queue
from notifications.tests.silent_server import SilentServer

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL_TIMEOUT = 3


def _wait_for(task_id: str, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        task = fetch(task_id)
        if task is not None:
            return task
        time.sleep(0.1)
    return None


@pytest.fixture
def clusters(tmp_path, monkeypatch):
    """Both clusters of ``runbackoffice`` (one worker each), mail going to a silent server."""
    monkeypatch.setattr(Conf, "SYNC", False)
    with SilentServer() as mail_server:
        env = server_env(tmp_path) | {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mail_server.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_TIMEOUT": str(EMAIL_TIMEOUT),
            "Q_WORKERS": "1",
            "Q_OUTBOX_WORKERS": "1",
        }
        processes = []
        log = (tmp_path / "qcluster.log").open("wb")
        for command, own_env in worker_commands(sys.executable).values():
            cluster_env = env | ({"Q_CLUSTER_NAME": own_env["Q_CLUSTER_NAME"]} if own_env else {})
            processes.append(
                subprocess.Popen(command, cwd=settings.BASE_DIR, env=cluster_env, stdout=log,
                                 stderr=subprocess.STDOUT, start_new_session=True)
            )
        try:
            # Both are up once each has run a first task.
            warm = [async_task("math.floor", 1.5), async_task("math.floor", 2.5, cluster="outbox")]
            for task_id in warm:
                assert _wait_for(task_id, 90) is not None, (tmp_path / "qcluster.log").read_text()
            yield mail_server
        finally:
            for process in processes:
                os.killpg(process.pid, signal.SIGINT)
            for process in processes:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
            log.close()


def test_an_import_task_does_not_wait_behind_stalled_emails(clusters):
    emails = [
        email_queue(to=f"buyer{n}@martaf.test", subject="Hello", template="emails/notification",
                    context={"title": "Hi", "body": "Body", "link": ""})
        for n in range(3)
    ]  # autocommit: each queued at once, to the outbox cluster (3 x 3 s of silence)
    time.sleep(0.5)  # the outbox's worker has taken the first and waits on the server
    started = time.monotonic()
    task = _wait_for(async_task("imports.tasks.product_imports_recover_task"), 30)
    elapsed = time.monotonic() - started

    assert task is not None and task.success
    # On one shared queue it would have waited for the emails ahead: 3 x EMAIL_TIMEOUT.
    assert elapsed < EMAIL_TIMEOUT
    rows = OutboundMessage.objects.filter(pk__in=[e.pk for e in emails])
    assert rows.filter(attempts=0).exists()  # emails still waiting their turn meanwhile

    # The stalled attempt ends at the timeout and waits for its retry.
    deadline = time.monotonic() + 4 * EMAIL_TIMEOUT
    while time.monotonic() < deadline and not rows.filter(last_error__contains="timed out"):
        time.sleep(0.2)
    first = rows.filter(last_error__contains="timed out").first()
    assert first is not None
    assert first.status == OutboundMessage.Status.PENDING
    assert first.next_attempt_at is not None
