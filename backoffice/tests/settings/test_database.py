"""Connections under ASGI: the web server pools them (psycopg's pool on PostgreSQL, the pooled
SQLite backend), everything else keeps plain connections."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHOW = (
    "import json; from django.conf import settings; d = settings.DATABASES['default']; "
    "print(json.dumps({'engine': d['ENGINE'], 'options': d.get('OPTIONS', {}), "
    "'conn_max_age': d['CONN_MAX_AGE']}))"
)


def _database_settings(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DB_POOL"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_web_server_pools_postgresql_connections_and_commands_do_not():
    url = "postgres://u:p@db.example.com:5432/martaf"
    pooled = _database_settings(DATABASE_URL=url, DB_POOL="1", DB_POOL_MAX_SIZE="6")
    assert pooled["options"]["pool"] == {"min_size": 1, "max_size": 6, "timeout": 10}
    assert pooled["conn_max_age"] == 0  # Django refuses persistent connections with a pool
    assert pooled["options"]["options"] == "-c jit=off"

    plain = _database_settings(DATABASE_URL=url)
    assert "pool" not in plain["options"]
    assert plain["conn_max_age"] == 60


def test_the_web_server_uses_the_pooled_sqlite_backend():
    assert _database_settings(DB_POOL="1")["engine"] == "core.sqlite_pool"
    assert _database_settings()["engine"] == "django.db.backends.sqlite3"
