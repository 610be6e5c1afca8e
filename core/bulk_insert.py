"""Inserting many rows of a model at database speed (imports of 100k rows).

``bulk_create`` builds a model instance per row and runs every field's ``pre_save`` and
``get_db_prep_save`` on each, then sends batches of at most 999 parameters on SQLite: for 100k
variations most of the time is Python, not the database. ``rows_insert`` takes plain tuples of
the columns that vary per row; every other concrete field gets its default (or "now" for
``auto_now``/``auto_now_add``), computed and converted once per call. Values are given as the
field's Python type (Decimal for a decimal field, UUID for a UUID); only those the driver does
not take as they are (UUIDs on SQLite, date/time, JSON) are converted per row, by the field.
PostgreSQL loads the rows with ``COPY``; SQLite with one prepared
``executemany``.

Like ``bulk_create``: no ``save()``, no signals, no ``full_clean``; constraints are still the
database's. Unlike it: no primary keys are returned; callers give UUIDs, or take auto-increment
ids beforehand with ``ids_reserve``.
"""

import uuid
from collections.abc import Callable, Iterable, Sequence

from django.db import connection, models
from django.utils import timezone

# Fields whose Python value the drivers take as is (ints, strings, booleans).
_PLAIN = {
    "AutoField", "BigAutoField", "SmallAutoField", "BigIntegerField", "BooleanField",
    "CharField", "EmailField", "IntegerField", "PositiveBigIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField", "URLField",
}
SQLITE_BATCH = 5000


def _converter(field: models.Field) -> Callable | None:
    """How one value of ``field`` becomes a parameter: None when the driver takes it as is."""
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    if kind in _PLAIN or kind == "DecimalField":  # both drivers adapt Decimal themselves
        return None
    if kind == "UUIDField" and not connection.features.has_native_uuid_field:
        return lambda value: value.hex if isinstance(value, uuid.UUID) else (
            field.get_db_prep_save(value, connection))
    if kind == "UUIDField":
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _constant(field: models.Field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return field.get_db_prep_save(now, connection)
    if field.unique or field.primary_key:
        raise ValueError(f"rows_insert needs a value for the unique field {field.name}")
    return field.get_db_prep_save(field.get_default(), connection)


def rows_insert(model: type[models.Model], *, columns: Sequence[str],
                rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (tuples of values for ``columns``, given as field names or attnames,
    e.g. ``product_id``) into ``model``'s table; every other concrete field gets its default.
    Returns the rows inserted."""
    meta = model._meta
    by_name = {**{f.name: f for f in meta.concrete_fields},
               **{f.attname: f for f in meta.concrete_fields}}
    given = {by_name[name]: i for i, name in enumerate(columns)}
    now = timezone.now()
    order = [f for f in meta.concrete_fields if f in given]
    constants = {
        f: _constant(f, now) for f in meta.concrete_fields
        if f not in given and not isinstance(f, models.AutoField)  # the database numbers rows
    }
    names = [f.column for f in order] + [f.column for f in constants]
    tail = tuple(constants.values())
    plain = [given[f] for f in order]
    converted = [(position, given[f], convert) for position, f in enumerate(order)
                 if (convert := _converter(f)) is not None]

    def prepared(row: Sequence) -> tuple:
        values = [row[i] for i in plain]
        for position, i, convert in converted:
            values[position] = convert(row[i])
        return (*values, *tail)

    quoted = ", ".join(connection.ops.quote_name(n) for n in names)
    table = connection.ops.quote_name(meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(prepared(row))
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(names))})"
        batch: list[tuple] = []
        for row in rows:
            batch.append(prepared(row))
            if len(batch) >= SQLITE_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh values of ``model``'s auto-increment primary key, for rows the caller
    then inserts with ``rows_insert`` (so nothing has to be read back). Call it inside the
    transaction that inserts them.

    PostgreSQL: taken from the column's sequence (never handed out twice). SQLite: the numbers
    after both the highest id and the AUTOINCREMENT counter (ids of deleted rows are not
    reused); the writing transaction holds the database's write lock from BEGIN
    (``transaction_mode`` IMMEDIATE), so no other writer can take them first, and inserting
    them moves the counter on.
    """
    if count <= 0:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        table, column = connection.ops.quote_name(meta.db_table), meta.pk.column
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"COALESCE((SELECT MAX({connection.ops.quote_name(column)}) FROM {table}), 0))",
            [meta.db_table],
        )
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))
