"""Querysets compiled once per process, run with each request's values.

Building a queryset (``filter`` resolving names to columns, cloning, compiling the SQL) costs a
hot read more than running its SQL: an uncached catalogue page spent ~20 ms in the ORM around
~1 ms of SQL. A ``PreparedQuery`` keeps the ORM as the one author of the SQL but builds and
compiles each shape of a query once per process and database: the queryset is built with
*markers* (values no request sends), compiled, and the markers are found in the compiled
parameters. A later request binds its own values where the markers were, runs the SQL on the
connection's cursor (query logging and counting as for any query) and converts the columns
with the converters the compiler chose (decimals, datetimes, UUIDs on SQLite).

A shape is whatever changes the SQL's text: which filters are present, the ordering, how many
values an ``IN`` list holds; the caller names it with a hashable key.

Slots (how a marker sits in the parameters):

- ``Exact(marker, prep)``: the parameter equals ``prep(marker)``; a value is bound as
  ``prep(value)`` (``prep``: as the ORM prepares the column's value, e.g.
  ``field.get_db_prep_value``);
- ``Text(marker, prep)``: a text parameter contains ``marker`` (``LIKE '%marker%'``, a
  full-text query); a value replaces it, after ``prep`` (e.g. escaping ``%`` for ``LIKE``).

On PostgreSQL the statement is prepared on the server (its parameters bound there, not
written into the text): each connection parses and plans a shape once, then runs it with new
values (Django's own cursors bind on the client, which cannot prepare). The web process's
pooled connections keep their statements from one request to the next.

``page=True``: the queryset is sliced (``qs[LOW:LOW + size]``) and the SQL's trailing ``LIMIT
n OFFSET m`` becomes parameters, so every page of a shape shares one plan.

``wrap(key, sql, params) -> (sql, params)``: a statement around the compiled query (a CTE, an
outer query), written with the ORM's SQL inside; its parameters may hold markers too. A paged
shape's queryset is then compiled as built (not sliced), and the wrap's last placeholders are
its page's ``LIMIT %s OFFSET %s``. Its rows have the inner query's columns, in their order (the
converters are the inner query's).

Reads sent together: ``send`` runs a shape and answers a ``Later`` (``get()`` gives the
rows). Inside ``reads_together()`` on PostgreSQL, statements are queued in the connection's
pipeline (psycopg's pipeline mode) instead of each waiting for its answer: reads that need
only what the caller already has (a page's images, variations and reviews, once the page's
ids are known) cost one round trip between them instead of one each. Elsewhere (SQLite), and
outside the block, ``send`` runs the statement at once. The values no call binds are written
into the statement's text (``_constants_written_in``: PostgreSQL then keeps one plan).
"""

import contextlib
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from types import SimpleNamespace
from typing import Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

#: The offset a paged shape is compiled with (no request's page starts exactly there).
LOW_MARKER = 987_654_321


def _same(value, connection):
    return value


@dataclass(frozen=True)
class Exact:
    marker: object
    prep: Callable = _same


@dataclass(frozen=True)
class Text:
    marker: str
    prep: Callable = _same


def field_prep(field) -> Callable:
    """How the ORM makes a value of ``field`` a query parameter (a lookup's right-hand side)."""

    def prep(value, connection):
        return field.get_db_prep_value(value, connection, prepared=False)

    return prep


_MARKER_BASE = 987_654_000_000


def marker(kind: type, index: int):
    """The ``index``-th marker of a kind of value: no row's id, no text anybody sends."""
    if kind is uuid.UUID:
        return uuid.UUID(int=_MARKER_BASE + index)
    if kind is int:
        return _MARKER_BASE + index
    if kind is str:
        return f"\x01marker{index:04d}\x01"
    raise TypeError(kind)


@cache
def field_slots(field, kind: type, count: int) -> tuple["Exact", ...]:
    """``count`` slots of ``field``'s values (an ``IN`` list of that length)."""
    prep = field_prep(field)
    return tuple(Exact(marker(kind, index), prep) for index in range(count))


@dataclass
class _Plan:
    sql: str
    params: list
    # (slot index, parameter position) pairs
    exact: list[tuple[int, int]]
    # parameter position -> (the pattern of its markers, their slot indexes)
    text: dict[int, tuple[re.Pattern, list[int]]]
    converters: list
    page: bool


class PreparedQuery:
    """``build(*markers)`` -> a ``values_list`` queryset; see the module."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        using: str = DEFAULT_DB_ALIAS,
        wrap: Callable[..., tuple[str, list]] | None = None,
    ):
        self.build = build
        self.using = using
        self.wrap = wrap
        # (alias, vendor, shape, page size) -> plan. Not per connection object: under ASGI
        # every request gets a new one, and a plan per connection was a compile per request.
        self._plans: dict = {}

    def _compile(
        self, connection, key, slots: Sequence, size: int | None, first_page: bool = False
    ) -> _Plan:
        queryset = self.build(key, *[slot.marker for slot in slots])
        if size is not None and self.wrap is None:
            queryset = queryset[LOW_MARKER : LOW_MARKER + size]
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        params = list(params)
        if self.wrap is not None:
            sql, params = self.wrap(key, sql, params)
            tail = sql.rpartition(" LIMIT %s OFFSET %s")
            if size is not None and (not tail[1] or "%s" in tail[2]):
                raise ValueError(f"a paged wrap's last parameters are LIMIT %s OFFSET %s: {sql!r}")
        elif size is not None:
            tail = f" LIMIT {size} OFFSET {LOW_MARKER}"
            if not sql.endswith(tail):
                raise ValueError(f"a paged shape must end with {tail!r}: {sql[-80:]!r}")
            sql = sql[: -len(tail)] + " LIMIT %s OFFSET %s"
        exact, text = [], []
        for index, slot in enumerate(slots):
            if isinstance(slot, Exact):
                wanted = slot.prep(slot.marker, connection)
                found = [
                    (index, at)
                    for at, value in enumerate(params)
                    if type(value) is type(wanted) and value == wanted
                ]
                exact += found
            else:
                found = [
                    (index, at)
                    for at, value in enumerate(params)
                    if isinstance(value, str) and slot.marker in value
                ]
                text += found
            if not found:
                raise ValueError(f"marker {slot.marker!r} not in the compiled parameters")
        if connection.vendor in ("postgresql", "sqlite"):
            sql, params, exact, text = _constants_written_in(
                connection, sql, params, exact, text, first_page=first_page and size
            )
        columns = [select[0] for select in compiler.select[: compiler.col_count]]
        converters = list(compiler.get_converters(columns).items())
        by_position: dict[int, list[int]] = {}
        for index, at in text:
            by_position.setdefault(at, []).append(index)
        patterns = {
            at: (re.compile("|".join(re.escape(slots[index].marker) for index in indexes)), indexes)
            for at, indexes in by_position.items()
        }
        return _Plan(sql, params, exact, patterns, converters, size is not None and not first_page)

    def rows(
        self,
        key,
        slots: Sequence = (),
        values: Sequence = (),
        *,
        page: tuple[int, int] | None = None,
    ) -> list:
        """The rows (tuples) of shape ``key`` with ``values`` bound in the ``slots``' places;
        ``page``: ``(offset, size)`` of a paged shape."""
        return self.send(key, slots, values, page=page).get()

    def send(
        self,
        key,
        slots: Sequence = (),
        values: Sequence = (),
        *,
        page: tuple[int, int] | None = None,
    ) -> "Later[list]":
        """``rows``, sent: within ``reads_together()`` on PostgreSQL the statement is queued
        and its rows read when ``get()`` is first called (or the block ends); elsewhere it
        runs now."""
        connection = connections[self.using]
        # PostgreSQL: a paged shape's first page has its LIMIT written in (see
        # _constants_written_in), the others bind LIMIT and OFFSET.
        first = page is not None and page[0] == 0 and connection.vendor == "postgresql"
        plan_key = (self.using, connection.vendor, key, page[1] if page else None, first)
        plan = self._plans.get(plan_key)
        if plan is None:
            plan = self._plans[plan_key] = self._compile(
                connection, key, slots, page[1] if page else None, first
            )
        params = list(plan.params)
        for index, at in plan.exact:
            params[at] = slots[index].prep(values[index], connection)
        for at, (pattern, indexes) in plan.text.items():
            # One pass over the compiled text: a value containing another marker stays as sent.
            bound = {
                slots[index].marker: slots[index].prep(values[index], connection)
                for index in indexes
            }
            params[at] = pattern.sub(
                lambda found, bound=bound: bound[found.group(0)], plan.params[at]
            )
        if plan.page:
            params += [page[1], page[0]]
        cursor = connection.cursor()
        try:
            if connection.vendor == "postgresql":
                _server_prepared(cursor, connection)
            cursor.execute(plan.sql, params)
        except BaseException:
            cursor.close()
            raise

        def fetched() -> list:
            with cursor:
                rows = cursor.fetchall()
            return _converted(rows, plan.converters, connection)

        if connection.vendor == "postgresql" and _in_pipeline(connection):
            return Later(fetched)
        return Later.of(fetched())


# Kinds of constants written into a statement's text (see below).
_WRITABLE = (str, int, Decimal)
_PLACEHOLDER = re.compile(r"%%|%s")


def _constants_written_in(connection, sql: str, params: list, exact: list, text: list, *,
                          first_page: int | bool):
    """The statement with the values no call binds (the queryset's own constants:
    ``approval_status = 'approved'``, on PostgreSQL a first page's ``LIMIT 20``) written into
    its text as the database quotes literals, and the slots' positions in the parameters that
    are left.

    PostgreSQL plans a statement prepared on the server for each call's values (a "custom
    plan") until it finds a plan for any values (a "generic plan") about as cheap. With the
    constants as parameters no generic plan could use the storefront's partial indexes (their
    condition names the constants), so every call of the list's page was planned again: 0.45
    ms of its 0.65 ms. Written in, the generic plan uses them and is kept. ``first_page`` (the
    page size): a paged shape's first page, whose ``LIMIT size OFFSET 0`` is written in too (a
    bound OFFSET keeps the server planning). SQLite, whose planner may look at a bound value to
    choose a partial index (and then check it again at each run), also runs the statements
    faster with the constants written in: a list page's reads 0.2 ms less at 100k products.
    """
    literal_of = _literals(connection)
    bound = {at for _index, at in exact} | {at for _index, at in text}
    kept: dict[int, int] = {}  # old position -> new position
    pieces, position, last = [], 0, 0
    for found in _PLACEHOLDER.finditer(sql):
        if found.group(0) == "%%":
            continue
        pieces.append(sql[last : found.start()])
        last = found.end()
        if position >= len(params):  # the page's LIMIT %s OFFSET %s, bound per call
            pieces.append("%s")
            continue
        value = params[position]
        if position in bound or not isinstance(value, _WRITABLE):
            kept[position] = len(kept)
            pieces.append("%s")
        else:
            pieces.append(literal_of(value).replace("%", "%%"))
        position += 1
    pieces.append(sql[last:])
    sql = "".join(pieces)
    if first_page:
        head, tail, rest = sql.rpartition(" LIMIT %s OFFSET %s")
        sql = f"{head} LIMIT {int(first_page)}{rest}"
    params = [value for position, value in enumerate(params) if position in kept]
    exact = [(index, kept[at]) for index, at in exact]
    text = [(index, kept[at]) for index, at in text]
    return sql, params, exact, text


def _literals(connection) -> Callable[[object], str]:
    """The database's own quoting of a value as an SQL literal."""
    if connection.vendor == "postgresql":
        from psycopg import sql as psycopg_sql

        return lambda value: psycopg_sql.Literal(value).as_string(connection.connection)
    return connection.SchemaEditorClass(connection).quote_value


def _in_pipeline(connection) -> bool:
    from psycopg.pq import PipelineStatus

    return connection.connection.pgconn.pipeline_status != PipelineStatus.OFF


def _converted(rows: list, converters: list, connection) -> list:
    if not converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for position, (functions, expression) in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        converted.append(tuple(row))
    return converted


T = TypeVar("T")
U = TypeVar("U")
_UNREAD = object()


class Later(Generic[T]):
    """A read's answer, read at the first ``get()`` (then kept); ``then(f)`` is a ``Later``
    of ``f`` of it."""

    __slots__ = ("_read", "_value")

    def __init__(self, read: Callable[[], T]):
        self._read = read
        self._value = _UNREAD

    @classmethod
    def of(cls, value: T) -> "Later[T]":
        later = cls(None)
        later._value = value
        return later

    def get(self) -> T:
        if self._value is _UNREAD:
            self._value = self._read()
            self._read = None
        return self._value

    def then(self, function: Callable[[T], U]) -> "Later[U]":
        if self._value is not _UNREAD:
            return Later.of(function(self._value))
        return Later(lambda: function(self.get()))


@contextlib.contextmanager
def reads_together(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Within the block, ``PreparedQuery.send`` on PostgreSQL queues its statement in the
    connection's pipeline: statements sent before the first ``get()`` (or the block's end)
    travel to the server, and their answers back, in one round trip. A read whose values
    depend on another's answer still has to ``get()`` that one first (which waits for
    everything sent before it). Errors come out as Django's database errors, at the latest
    when the block ends. Nothing changes on SQLite (no round trips to save)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


class _PreparingCursor:
    """A psycopg cursor binding on the server whose ``execute`` prepares the statement."""

    def __init__(self, cursor, connection):
        self._cursor = cursor
        self._connection = connection
        self._last: tuple = ("", None)

    def execute(self, sql, params=None):
        self._last = (sql, params)
        return self._cursor.execute(sql, params, prepare=True)

    @property
    def _query(self):
        """The statement with its values, as Django's query log reads a client-bound one."""
        sql, params = self._last
        return SimpleNamespace(query=self._connection.ops.compose_sql(sql, params).encode())

    def __getattr__(self, name):
        return getattr(self._cursor, name)

    def __iter__(self):
        return iter(self._cursor)


def _server_prepared(cursor, connection) -> None:
    """Swap the client-binding psycopg cursor inside Django's ``cursor`` wrapper (which keeps
    its query log, execute wrappers and error translation) for a preparing one."""
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, ServerBindingCursor
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    raw = connection.connection
    server = ServerBindingCursor(raw)
    if connection.timezone is not None:
        # Aware datetimes in the connection's time zone, as Django's loader reads them, by
        # psycopg's own (compiled) loader: it reads them in the session's zone, which Django
        # sets to the connection's (Django's loader, a Python subclass, then only swaps the
        # tzinfo object). The same instants and text; a page reads a hundred of them.
        server.adapters.register_loader(TIMESTAMPTZ_OID, _compiled_timestamptz_loader())
    elif connection.timezone != raw.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT).timezone:
        # As Django's create_cursor: naive datetimes (USE_TZ off).
        register_tzloader(connection.timezone, server)
    cursor.cursor.close()
    cursor.cursor = _PreparingCursor(server, connection)


@cache
def _compiled_timestamptz_loader():
    """psycopg's loader of ``timestamptz`` text (its C version where psycopg has one), the one
    a connection uses before Django registers its own."""
    import psycopg
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
    from psycopg.pq import Format

    return psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
