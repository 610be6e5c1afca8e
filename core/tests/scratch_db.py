"""Migration tests on a database of their own, in a process of their own.

A test that migrates back and forth must not do it on the suite's test database: the suite
restores that database between transactional tests from a snapshot taken after ``migrate``
(serialized rollback), and a migration test that moves content types or rows under it leaves
the next restore colliding with what it changed. So a migration test here makes an empty
database of the same kind as the suite's (an SQLite file, or a PostgreSQL database on the same
server), runs its story there in a new Python process (``run_story``), and drops the database
after; the story prints what it found as JSON, and the test asserts on that.
"""

import json
import os
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def scratch_database_url():
    """The URL of a new, empty database of the suite's kind, dropped on exit."""
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/scratch.sqlite3"
        return
    if connection.vendor != "postgresql":
        raise NotImplementedError(connection.vendor)
    import psycopg

    settings = connection.settings_dict
    name = f"scratch_{uuid.uuid4().hex[:12]}"
    credentials = quote(settings["USER"] or "postgres")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"])
    server = f"{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    admin = f"postgresql://{server}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{server}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_story(story: str, *, timeout: int = 300) -> dict:
    """Run ``story`` ("package.module:function") in a new process on a scratch database and
    return the JSON it returned. The function starts on an empty database."""
    module, function = story.split(":")
    code = (
        "import json, django; django.setup()\n"
        f"from {module} import {function}\n"
        f"print('STORY:' + json.dumps({function}()))\n"
    )
    with scratch_database_url() as url:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "backoffice.settings"}
        env.pop("REDIS_URL", None)  # the story needs no cache or broker
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=timeout,
        )
    if done.returncode != 0:
        raise AssertionError(f"{story} failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("STORY:"))
    return json.loads(line.removeprefix("STORY:"))


def migrate_to_before(executor, *, before: tuple[str, str], moving_app: str) -> None:
    """Migrate an empty database to the state just before a move: ``before``'s app at that
    migration, ``moving_app`` at none, and every other app as far as it goes without them."""
    graph = executor.loader.graph
    after_move = {
        node for node in graph.leaf_nodes() if node[0] in (before[0], moving_app)
    }
    excluded = set()
    for leaf in after_move:
        excluded |= {n for n in graph.forwards_plan(leaf) if n[0] in (before[0], moving_app)}
    excluded -= set(graph.forwards_plan(before))
    targets = [before, (moving_app, None)]
    for leaf in graph.leaf_nodes():
        if leaf[0] in (before[0], moving_app):
            continue
        if not excluded & set(graph.forwards_plan(leaf)):
            targets.append(leaf)
    executor.migrate(targets)
    executor.loader.build_graph()
