"""Storefront reads keyed on the catalogue's version (``catalog.version``).

- Conditional GET: every catalogue read answers with an ETag and a Last-Modified taken from
  the version, and 304 Not Modified while the version has not moved.
- A short shared cache of rendered pages (``CATALOG_API_CACHE_SECONDS``) in the default cache
  (Redis with ``REDIS_URL``, else per process): a catalogue write moves the version, and with
  it every key, so a cached page is never served after a write.
- The list's count is kept per filter and *listing* version: paging through a filter counts it
  once, and the busiest writes (stock moves with every sale, reviews) do not recount it. It is
  kept in each process's memory too (``kept_in_process``), so a page asks no cache server for it.
- Deep pages (``core.keyset``): the sort keys of every ``CHECKPOINT_ROWS``-th product of a
  filter and ordering are kept like the count (per *listing* version, or per *content* version
  for an ordering on the rating, which reviews move), read in one query the first time a page
  past the first checkpoint is asked for; a deep page is then read from the ordering's index
  at the checkpoint before it instead of an OFFSET over every row before it.

The version is read before the data, so a page rendered while a write commits is stored under
the old version (which nobody asks for after the write), never under the new one.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from rest_framework.request import Request
from rest_framework.response import Response

from catalog.version import Versions, catalogue_versions
from core.keyset import Term, checkpoints_read, order_terms, page_after

COUNT_SECONDS = 600
#: Rows between two checkpoints of a deep list: a page skips fewer than this many rows.
CHECKPOINT_ROWS = 500
# Query parameters that do not change which products a list holds.
PAGING_PARAMETERS = {"page", "page_size", "format"}


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def count_cache_key(request: Request, *, version: int) -> str:
    """The cache key of a list's count: its filters (not its page) and the listing version
    (``catalog.version``: stock moves and reviews leave it, and so the counts, alone)."""
    filters = sorted(
        (name, value)
        for name, values in request.query_params.lists()
        if name not in PAGING_PARAMETERS
        for value in values
    )
    return f"catalog:count:{version}:{_digest(repr(filters))}"


def count_cached(key: str, compute: Callable[[], int]) -> int:
    return kept_in_process(key, COUNT_SECONDS, compute)


def deep_page_reader(
    queryset: QuerySet | Callable[[], QuerySet],
    request: Request,
    *,
    versions: Versions,
    stable: frozenset[str],
    terms: list[Term] | None = None,
    page: Callable[[tuple, int, int], list | None] | None = None,
) -> Callable[[int, int], list | None] | None:
    """A reader of the page of ``size`` rows from ``offset`` of the ordered ``queryset`` that
    starts at the checkpoint before it (None: the page is before the first checkpoint, or the
    ordering is one keyset paging cannot follow; the caller then pages with OFFSET).
    ``stable``: the columns that only writes moving the listing version change (an ordering on
    another keys its checkpoints on the content version).

    A caller that reads its pages without building querysets passes ``queryset`` as a function
    (called only to read the checkpoints, or when ``page`` declines), the ordering's ``terms``
    and ``page(checkpoint, skip, size)``, which answers the rows or None."""
    built: list[QuerySet] = []

    def ordered() -> QuerySet:
        if not built:
            built.append(queryset() if callable(queryset) else queryset)
        return built[0]

    if terms is None:
        terms = order_terms(ordered())
    if terms is None:
        return None
    moving = any(term.field not in stable for term in terms)
    version = versions.content if moving else versions.listing
    key = count_cache_key(request, version=version).replace(":count:", ":checkpoints:", 1)

    def read(offset: int, size: int) -> list | None:
        every = CHECKPOINT_ROWS
        index = offset // every
        if index <= 0:
            return None
        points = kept_in_process(
            key, COUNT_SECONDS, lambda: checkpoints_read(ordered(), terms, every=every)
        )
        if index > len(points):  # fewer rows than the count said: page with OFFSET
            return None
        point, skip = points[index - 1], offset - index * every
        found = page(point, skip, size) if page else None
        if found is not None:
            return found
        return list(page_after(ordered(), terms, point, skip=skip, size=size))

    return read


# What kept_in_process holds: key -> (monotonic expiry, value), least recently used first.
_kept: OrderedDict[str, tuple[float, object]] = OrderedDict()
_kept_lock = threading.Lock()
KEPT_MOST = 512


def kept_in_process(key: str, seconds: int, build: Callable[[], object]):
    """``cached_once``, with the value also kept in this process's memory (up to
    ``KEPT_MOST`` keys, for ``seconds``), so that a request reads it without asking the cache
    server. Only for keys that name a catalogue version (the counts, the checkpoints): the
    value under such a key never changes, a write moves the key."""
    now = time.monotonic()
    with _kept_lock:
        found = _kept.get(key)
        if found is not None and found[0] > now:
            _kept.move_to_end(key)
            return found[1]
    value = cached_once(key, seconds, build)
    with _kept_lock:
        _kept[key] = (now + seconds, value)
        _kept.move_to_end(key)
        while len(_kept) > KEPT_MOST:
            _kept.popitem(last=False)
    return value


def kept_clear() -> None:
    """Forget what ``kept_in_process`` holds (tests: each starts with an empty cache)."""
    with _kept_lock:
        _kept.clear()


# Keys being built in this process, each with the lock its builder holds.
_building: dict[str, threading.Lock] = {}
_building_guard = threading.Lock()


def cached_once(key: str, seconds: int, build: Callable[[], object]):
    """The cached value of ``key``, or ``build()``'s, cached for ``seconds``: built once per
    process however many requests miss at the same moment.

    Django runs each request's view in its own thread, so when a write moves the version every
    request in flight misses together; without this each one rebuilt the same page, sharing
    the CPU, and the slowest waited for all of them (with a sale a second, the list's p99 at
    concurrency 8 was 5-6x its p50). The others now wait for the one build and read it."""
    value = cache.get(key)
    if value is not None:
        return value
    with _building_guard:
        lock = _building.setdefault(key, threading.Lock())
    try:
        with lock:
            value = cache.get(key)  # built by the thread this one waited for
            if value is None:
                value = build()  # may raise (a 404): the next waiter then tries itself
                cache.set(key, value, seconds)
    finally:
        with _building_guard:
            _building.pop(key, None)
    return value


def catalogue_read(
    request: Request, *, build: Callable[[Versions], dict | list], shared: bool
) -> HttpResponseBase:
    """Answer a catalogue read: 304 when the client's copy is current, else the cached page or
    ``build(version)``'s data. ``shared``: the data is the same for every reader (so it may be
    cached and its validators shared); otherwise it is built fresh and sent without them."""
    versions = catalogue_versions()
    if not shared:
        return Response(build(versions))
    version, changed_at = versions.content, versions.changed_at
    url = request.build_absolute_uri()
    etag = f'"{version}-{_digest(url)}"'
    last_modified = changed_at.timestamp()
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    seconds = settings.CATALOG_API_CACHE_SECONDS
    key = f"catalog:page:{version}:{_digest(url)}"
    if seconds:
        data = cached_once(key, seconds, lambda: build(versions))
    else:
        data = build(versions)
    response = Response(data)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "no-cache"  # keep it, but ask (a 304 is cheap)
    return response
