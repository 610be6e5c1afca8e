"""The fleet the fleet tests run against: real processes on this machine.

Two web servers (A and B, as ``runbackoffice`` starts uvicorn), two worker hosts (one
django-q2 cluster each, one worker process each, told apart in PostgreSQL by their
``application_name``), a fresh PostgreSQL database made and migrated here, a redis-server and an
S3 server (moto) of the fleet's own, on ports of their own, so that stopping them disturbs no
one else. Everything is configured by the environment only, as on separate hosts.

The database server: ``FLEET_DATABASE_URL``, else the one of ``DATABASE_URL`` when that is
PostgreSQL, else ``postgres://postgres@127.0.0.1:5432``. Ports: ``FLEET_PORT`` and the next
five (18210 by default).
"""

import csv
import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from backoffice.fleet import (
    ROOT,
    Fleet,
    create_bucket,
    drop_database,
    ensure_database,
    port_open,
    start_redis,
    start_s3,
    start_web,
    start_worker,
    wait_web,
)

BUCKET = "martaf-fleet-media"
PASSWORD = "fleet-password-123"


def database_url() -> str:
    explicit = os.environ.get("FLEET_DATABASE_URL")
    if explicit:
        return explicit
    base = os.environ.get("DATABASE_URL", "")
    server = "postgres://postgres@127.0.0.1:5432"
    if base.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(base)
        server = parts._replace(path="", query="").geturl()
    return f"{server}/martaf_fleet_{os.getpid()}"


@dataclass
class Running:
    fleet: Fleet
    env: dict
    database_url: str
    a: str
    b: str
    redis_port: int
    s3_port: int
    people: dict

    def sql(self, query: str, params: tuple = ()) -> list:
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(query, params).fetchall()

    def one(self, query: str, params: tuple = ()):
        return self.sql(query, params)[0][0]


# Run in the fleet's environment by ``manage.py shell``: the people and the product of the
# tests, printed as JSON (the tokens are the servers' own JWTs: the same signing key).
SETUP = """
import json
from decimal import Decimal
from rest_framework_simplejwt.tokens import RefreshToken
from catalog.services import category_get_or_create_path, product_create
from shopping.services import shipping_address_create
from users.services import user_create

PASSWORD = {password!r}
staff, maker, importer = (
    user_create(email=f"{{name}}@fleet.test", password=PASSWORD, **roles)
    for name, roles in [
        ("staff", {{"is_staff": True, "is_superuser": True}}),
        ("maker", {{"is_manufacturer": True, "company_name": "Fleet Maker"}}),
        ("importer", {{"is_manufacturer": True, "company_name": "Fleet Importer"}}),
    ]
)
product = product_create(
    manufacturer=maker, actor=staff, name="Fleet radio", price=Decimal("20.00"),
    category=category_get_or_create_path(names=["Fleet", "Radios"]), stock=1_000_000,
    approve=True,
)
buyers = []
for i in range({buyers}):
    buyer = user_create(email=f"buyer{{i}}@fleet.test", password=PASSWORD, is_customer=True)
    shipping_address_create(user=buyer, full_name=f"Buyer {{i}}", phone="+233200000000",
                            address="1 Ring Road", city="Accra")
    buyers.append(buyer)

def token(user):
    return str(RefreshToken.for_user(user).access_token)

print("FLEET-PEOPLE " + json.dumps({{
    "staff": token(staff), "maker": token(maker), "maker_id": maker.pk,
    "importer_id": importer.pk, "product": str(product.pk),
    "buyers": [{{"id": b.pk, "token": token(b)}} for b in buyers],
}}))
"""


def _migrations_digest() -> str:
    """What the migrated schema depends on: every migration file here and the pinned
    requirements (the third-party apps' migrations)."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update((ROOT / "requirements.txt").read_bytes())
    return digest.hexdigest()[:12]


def fresh_database(url: str, env: dict) -> str:
    """A new, empty, migrated database at ``url``. ``manage.py migrate`` runs into a template
    named for the migrations (``martaf_fleet_tpl_<digest>``, made once, then kept, and older
    ones dropped); each run's database is a copy of it (``CREATE DATABASE ... TEMPLATE``: a
    second against the migrations' half a minute or more)."""
    parts = urlsplit(url)
    template = f"martaf_fleet_tpl_{_migrations_digest()}"
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        names = [row[0] for row in connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'martaf_fleet_tpl_%%'")]
    how = "copied from the migrated template"
    if template not in names:
        template_url = parts._replace(path=f"/{template}-making").geturl()
        ensure_database(template_url, fresh=True)
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                       cwd=ROOT, env={**os.environ, **env, "DATABASE_URL": template_url},
                       check=True)
        with psycopg.connect(admin_url, autocommit=True) as connection:
            for stale in names:
                connection.execute(f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)')
            connection.execute(f'ALTER DATABASE "{template}-making" RENAME TO "{template}"')
        how = "migrated (template made)"
    drop_database(url)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{parts.path.lstrip("/")}" TEMPLATE "{template}"')
    return how


def _setup_people(env: dict, buyers: int) -> dict:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         SETUP.format(password=PASSWORD, buyers=buyers)],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("FLEET-PEOPLE "))
    return json.loads(line.removeprefix("FLEET-PEOPLE "))


def start(log_dir: Path, *, buyers: int = 4) -> Running:
    """Start the fleet; the caller stops it (``running.fleet.stop_all()``) and drops the
    database (``stop``)."""
    base_port = int(os.environ.get("FLEET_PORT", "18210"))
    redis_port, s3_port, port_a, port_b = base_port, base_port + 1, base_port + 2, base_port + 3
    for port in (redis_port, s3_port, port_a, port_b):
        if port_open(port):
            raise RuntimeError(f"port {port} is taken: set FLEET_PORT to a free range")
    url = database_url()
    fleet = Fleet(log_dir=log_dir)
    started = time.monotonic()
    try:
        redis_url = start_redis(fleet, port=redis_port)
        env = {
            "DATABASE_URL": url,
            "REDIS_URL": f"{redis_url}/0",
            "Q_BROKER": "orm",  # hands a killed worker's task out again (docs/fleet.md)
            # Short task timeout and re-delivery so a killed import is taken over in under a
            # minute (the import's lease is the timeout + 15 s, ending before the re-delivery).
            "Q_TIMEOUT": "30",
            "Q_RETRY": "50",
            "CHECKOUT_UNPAID_MAX_CHECKOUTS": "100000",
            "CHECKOUT_UNPAID_MAX_UNITS_PER_PRODUCT": "1000000",
            "DEBUG": "1",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        s3 = start_s3(fleet, port=s3_port, bucket=BUCKET)
        how = fresh_database(url, env)
        env.update(s3)
        print(f"fleet: database {how} in {time.monotonic() - started:.1f} s")
        # Everything starts side by side; the people are made meanwhile.
        a = start_web(fleet, name="web-a", port=port_a, env=env, wait=False)
        b = start_web(fleet, name="web-b", port=port_b, env=env, wait=False)
        for host in ("worker-1", "worker-2"):
            start_worker(fleet, name=host, env={
                **env, "DATABASE_URL": f"{url}?application_name=fleet-{host}",
            })
        people = _setup_people(env, buyers)
        wait_web(fleet, "web-a", a)
        wait_web(fleet, "web-b", b)
        print(f"fleet: up in {time.monotonic() - started:.1f} s (A {a}, B {b})")
        return Running(fleet=fleet, env=env, database_url=url, a=a, b=b,
                       redis_port=redis_port, s3_port=s3_port, people=people)
    except BaseException:
        fleet.stop_all()
        drop_database(url)
        raise


def stop(running: Running) -> None:
    running.fleet.stop_all(timeout=5)  # the database goes: no need to wait for tasks
    drop_database(running.database_url)


def restart_s3(running: Running) -> None:
    """moto keeps nothing: the bucket is made again."""
    running.fleet.restart("s3")
    running.fleet.wait_until("s3", lambda: port_open(running.s3_port), timeout=60)
    create_bucket(running.env)


def write_catalogue_csv(path: Path, *, products: int, sizes=("S", "M", "L", "XL")) -> int:
    """A catalogue file as docs/csv-format.md describes it: one row per variation, rows of one
    product sharing a handle. Returns the rows written."""
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["handle", "name", "description", "price", "category", "size", "color",
                         "sku", "stock"])
        for p in range(products):
            for size in sizes:
                writer.writerow([f"fleet-{p}", f"Fleet shirt {p}", "Cotton, made to last",
                                 "25.00", "Fleet > Shirts", size, "Blue", f"FL-{p}-{size}", 7])
                rows += 1
    return rows
