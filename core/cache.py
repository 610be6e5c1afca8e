"""The cache with Redis behind it, failing open: while Redis cannot be reached, this process's
memory stands in, so the storefront's pages, sign-ins and throttles keep working (degraded:
each web process counts and caches on its own) instead of answering 500.

After a failed call Redis is left alone for ``RETRY_SECONDS`` (each attempt would otherwise
cost a connection timeout), then tried again; the first call that succeeds puts it back in use.
The connection and socket timeouts are short (``OPTIONS`` may set others), so a Redis that
hangs costs a request well under a second.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
TIMEOUT_SECONDS = 0.5


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", TIMEOUT_SECONDS)
        super().__init__(server, params)
        # One local memory per process (Django makes a cache object per thread).
        self._local = LocMemCache(f"fail-open:{server}", params)
        self._down_until = 0.0

    def _call(self, name: str, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return getattr(self._local, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            if not self._down_until:
                logger.warning("Redis cache unreachable (%r): using local memory", error)
            self._down_until = time.monotonic() + RETRY_SECONDS
            return getattr(self._local, name)(*args, **kwargs)
        if self._down_until:
            logger.warning("Redis cache reachable again")
            self._down_until = 0.0
        return result

    def clear(self):
        self._local.clear()
        return self._call("clear")


def _fail_open(name: str):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


# Every call Django's Redis backend makes to Redis (the rest of the cache API is built on these).
for _name in ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many",
              "delete_many"):
    setattr(FailOpenRedisCache, _name, _fail_open(_name))
