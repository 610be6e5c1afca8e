"""SQLite with its connections kept for reuse (``ENGINE: "core.sqlite_pool"``).

Under ASGI every request runs in a thread of its own, so Django opens (and at the end closes)
a new connection per request: for SQLite that is the file open, the SQL functions Django
registers and the PRAGMAs, several milliseconds, more than a bare API response. This backend
keeps up to ``OPTIONS["pool_size"]`` closed-by-Django connections per database file and hands
them to the next request instead (Django already opens SQLite connections with
``check_same_thread=False``). A connection comes back only outside a transaction; one in a
transaction (an error mid-way) is rolled back first.

Used by the web server only (``backoffice/asgi.py`` asks for it): a forked worker must not
inherit another process's connections.
"""

import queue
import threading

from django.db.backends.sqlite3 import base

_pools: dict[str, queue.LifoQueue] = {}
_pools_lock = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    def _pool(self) -> queue.LifoQueue:
        name = str(self.settings_dict["NAME"])
        with _pools_lock:
            if name not in _pools:
                size = self.settings_dict.get("OPTIONS", {}).get("pool_size", 8)
                _pools[name] = queue.LifoQueue(maxsize=size)
            return _pools[name]

    def get_connection_params(self):
        params = super().get_connection_params()
        params.pop("pool_size", None)
        return params

    def get_new_connection(self, conn_params):
        try:
            return self._pool().get_nowait()
        except queue.Empty:
            return super().get_new_connection(conn_params)

    def _close(self):
        connection = self.connection
        if connection is None or self.is_in_memory_db():
            return super()._close()
        try:
            if connection.in_transaction:
                connection.rollback()
            self._pool().put_nowait(connection)
        except (queue.Full, base.Database.Error):
            return super()._close()
        return None
