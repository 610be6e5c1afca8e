"""How many HTTP requests one web process runs at once (``WEB_THREADS``): an ASGI middleware
in front of Django (``backoffice/asgi.py``).

Django's ASGI handler runs each request's code in a thread of its own, every request at once.
With eight catalogue pages in flight their threads took turns at the interpreter's lock (and
each held a database connection): the process served about a fifth fewer pages than with two
at a time, and their p99 doubled (docs/benchmarks.md, "Requests at once"). Here at most
``WEB_THREADS`` requests are in Django at once; the others wait in arrival order. A request
with a body is read whole first (spooled to a temporary file past 1 MB), so a client sending
its body slowly never holds a place. Websockets are not counted: they stay open.

A server uses more cores with more processes (``runbackoffice --workers N``); a larger
``WEB_THREADS`` helps where requests wait on a slow outside service. 0: no limit.
"""

import asyncio
import tempfile

from core.body_limit import Receive, Send, replay_body, spool_body

_SPOOL_MEMORY_BYTES = 1024 * 1024


def _has_body(scope: dict) -> bool:
    for key, value in scope.get("headers", []):
        name = key.lower()
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() != b"0"):
            return True
    return False


class RequestSlotsMiddleware:
    """Wraps an ASGI app: at most ``slots`` HTTP requests inside it at once (see the module)."""

    def __init__(self, app, *, slots: int) -> None:
        self.app = app
        self.slots = slots
        self._loop = None
        self._semaphore = None

    def _slots(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # one per event loop (a test may run several)
            self._loop, self._semaphore = loop, asyncio.Semaphore(self.slots)
        return self._semaphore

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.slots <= 0:
            return await self.app(scope, receive, send)
        if not _has_body(scope):
            async with self._slots():
                return await self.app(scope, receive, send)
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_MEMORY_BYTES)
        try:
            total = await spool_body(receive, spool)
            if total is None:
                return  # the client went away before its body arrived: nothing to run
            async with self._slots():
                return await self.app(scope, replay_body(spool, total, receive), send)
        finally:
            spool.close()
