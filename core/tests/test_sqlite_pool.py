"""The pooled SQLite backend (``core.sqlite_pool``): a closed connection goes back to the pool."""

from django.db import connections
from django.db.utils import ConnectionHandler


def test_a_pooled_sqlite_connection_is_reused_after_close(tmp_path, django_db_blocker):
    handler = ConnectionHandler({
        "default": {
            **connections["default"].settings_dict,
            "ENGINE": "core.sqlite_pool",
            "NAME": str(tmp_path / "pool.sqlite3"),
            "OPTIONS": {"pool_size": 2},
        }
    })
    wrapper = handler["default"]
    with django_db_blocker.unblock():  # a database of its own, not the test database
        wrapper.ensure_connection()
        first = wrapper.connection
        wrapper.close()
        wrapper.ensure_connection()
        assert wrapper.connection is first
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        wrapper.close()
