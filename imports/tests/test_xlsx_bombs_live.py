"""XLSX decompression bombs against a real server process (uvicorn, ``live_asgi``), uploaded
through the admin's import page by a manufacturer: each is refused with its reason within
10 seconds, the web process's peak memory (``VmHWM``) stays under 400 MB, and nothing reaches
the catalogue. A file over the page's inline size (``CATALOG_IMPORT_BACKGROUND_ROWS`` * 120
bytes) is checked by the worker's task: that runs in a process of its own here, with the same
bounds asserted of it. The files are ``imports.tests.xlsx_bombs``."""

import re
import subprocess
import sys
import time

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from backoffice.tests.live_asgi import server_env
from catalog.models import Product, StockMovement, Variation
from conftest import PASSWORD
from imports.models import ImportStatus, ProductImport
from imports.tests import xlsx_bombs

pytestmark = pytest.mark.django_db(transaction=True)

SECONDS = 10
MEMORY_KB = 400 * 1024
INLINE_BYTES = settings.CATALOG_IMPORT_BACKGROUND_ROWS * 120


def peak_memory_kb(pid) -> int:
    status = open(f"/proc/{pid}/status").read()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))


def admin_session(server, user) -> requests.Session:
    # The server hashes with the site's own hashers, not the tests' fast one.
    type(user).objects.filter(pk=user.pk).update(
        password=PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    )
    session = requests.Session()
    session.get(f"{server.url}/admin/login/", timeout=30)
    answer = session.post(
        f"{server.url}/admin/login/",
        data={
            "username": user.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies[settings.CSRF_COOKIE_NAME],
            "next": "/admin/",
        },
        timeout=30,
    )
    assert answer.status_code == 200 and answer.url.endswith("/admin/"), answer.url
    return session


def upload(server, session, raw: bytes) -> tuple[requests.Response, float]:
    page = f"{server.url}/admin/imports/productimport/add/"
    session.get(page, timeout=30)
    started = time.monotonic()
    answer = session.post(
        page,
        data={"csrfmiddlewaretoken": session.cookies[settings.CSRF_COOKIE_NAME]},
        files={"file": ("catalogue.xlsx", raw, "application/octet-stream")},
        timeout=60,
    )
    return answer, time.monotonic() - started


def nothing_written() -> bool:
    return not (
        Product.objects.exists() or Variation.objects.exists() or StockMovement.objects.exists()
    )


WEB = [
    ("sheet_bomb", {"megabytes": 220}, "unpacks to 231 MB, more than the"),
    ("many_rows", {"rows": 3_000_000}, "more than 100,000 rows"),
    ("huge_cell", {"megabytes": 190}, "row 2, column A: a text longer than"),
]


@pytest.mark.parametrize("kind, options, reason", WEB, ids=[kind for kind, _, _ in WEB])
def test_a_bomb_checked_in_the_web_process_is_refused_quickly_in_bounded_memory(
    live_asgi, manufacturer_a, kind, options, reason
):
    raw = getattr(xlsx_bombs, kind)(**options)
    assert len(raw) <= INLINE_BYTES  # small enough to be checked in the request
    session = admin_session(live_asgi, manufacturer_a)

    answer, seconds = upload(live_asgi, session, raw)

    product_import = ProductImport.objects.get()
    assert product_import.status == ImportStatus.FAILED
    assert reason in product_import.message
    assert answer.status_code == 200
    assert reason in answer.text  # the import's page shows why
    assert seconds < SECONDS, seconds
    assert peak_memory_kb(live_asgi.pid) < MEMORY_KB
    assert nothing_written()
    print(
        f"\n{kind}: {len(raw) / 1024:,.0f} KB refused in {seconds:.1f} s; web VmHWM "
        f"{peak_memory_kb(live_asgi.pid) / 1024:,.0f} MB"
    )


WORKER = [
    ("sheet_bomb", {"megabytes": 1100}, "unpacks to 1,153 MB, more than the"),
    ("shared_strings_bomb", {"megabytes": 190}, "its table of texts unpacks to"),
]

WORKER_RUN = """
import re, sys, time
import django
django.setup()
from imports.tasks import product_import_check_task
started = time.monotonic()
status = product_import_check_task(int(sys.argv[1]))
seconds = time.monotonic() - started
peak = re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1)
print(status, f"{seconds:.2f}", peak)
"""


@pytest.mark.parametrize("kind, options, reason", WORKER, ids=[kind for kind, _, _ in WORKER])
def test_a_bomb_checked_by_the_worker_is_refused_quickly_in_bounded_memory(
    live_asgi, manufacturer_a, kind, options, reason
):
    raw = getattr(xlsx_bombs, kind)(**options)
    assert len(raw) > INLINE_BYTES  # large enough to be checked by the worker
    session = admin_session(live_asgi, manufacturer_a)

    answer, seconds = upload(live_asgi, session, raw)
    assert answer.status_code == 200 and seconds < SECONDS
    queued = ProductImport.objects.get()
    assert queued.status == ImportStatus.VALIDATING

    # The worker's task, in a process of its own on the same database and settings.
    run = subprocess.run(
        [sys.executable, "-c", WORKER_RUN, str(queued.pk)],
        cwd=settings.BASE_DIR,
        env=server_env(live_asgi.tmpdir),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    status, worker_seconds, worker_peak_kb = run.stdout.split()[-3:]

    product_import = ProductImport.objects.get()
    assert status == product_import.status == ImportStatus.FAILED
    assert reason in product_import.message
    assert float(worker_seconds) < SECONDS
    assert int(worker_peak_kb) < MEMORY_KB
    assert peak_memory_kb(live_asgi.pid) < MEMORY_KB
    assert nothing_written()
    page = session.get(f"{live_asgi.url}/admin/imports/productimport/{queued.pk}/change/")
    assert reason in page.text
    print(
        f"\n{kind}: {len(raw) / 1024:,.0f} KB; worker refused it in {worker_seconds} s, "
        f"VmHWM {int(worker_peak_kb) / 1024:,.0f} MB"
    )
