"""The import into a big catalogue of the same names against the same import into an empty one,
interleaved: the ratio a shared machine's drifting speed cannot move.

``bench_import_same_names`` times each import once, one after the other; on this machine the
same import into an empty catalogue took anywhere from 8.7 to 11.1 CPU seconds within an hour,
so single runs gave ratios from 1.03 to 1.60. Here the database is saved twice, migrated and
empty, then holding ``BENCH_HOLDING`` products (default 100k) made by manufacturers importing
the same 25k names (each import of ``rows`` rows: 25k products x 4 variations, 1,500 new
category paths, as in ``bench_import``). Then ``BENCH_PAIRS`` times (default 3): the empty
database is put back and a new manufacturer imports those names; the full one is put back and
the same manufacturer's import runs into it. Each import runs whole (read, check and write) in
its own forked process, timed in wall and CPU seconds (on PostgreSQL its server backend's too).

Saved copies: SQLite, the database file; PostgreSQL, a database made from it as a template.

Reported: each import, each pair's CPU ratio, and the ratio of the medians.
"""

import contextlib
import os
import shutil
import statistics
import tempfile

from django.db import connection, connections

from bench.bench_import import PRODUCTS, in_child
from bench.bench_import_same_names import _one, _products_held


def _close() -> None:
    connections.close_all()


@contextlib.contextmanager
def _snapshots():
    """``save(label)`` and ``restore(label)`` of the whole database."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="bench-interleaved-")

        def save(label):
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            _close()
            shutil.copy(name, os.path.join(folder, label))

        def restore(label):
            _close()
            for suffix in ("-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(name + suffix)
            shutil.copy(os.path.join(folder, label), name)

        try:
            yield save, restore
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return

    quote = connection.ops.quote_name
    saved = []

    def admin(sql: str) -> None:
        _close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(sql)

    def save(label):
        copy = f"{name}_{label}"
        admin(f"DROP DATABASE IF EXISTS {quote(copy)}")
        admin(f"CREATE DATABASE {quote(copy)} TEMPLATE {quote(name)}")
        saved.append(copy)

    def restore(label):
        admin(f"DROP DATABASE {quote(name)} WITH (FORCE)")
        admin(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(f'{name}_{label}')}")

    try:
        yield save, restore
    finally:
        for copy in saved:
            admin(f"DROP DATABASE IF EXISTS {quote(copy)}")


def run(rows: int | None = None) -> list[dict]:
    products = (rows // 4) if rows else PRODUCTS
    holding = int(os.environ.get("BENCH_HOLDING", "100000"))
    pairs = int(os.environ.get("BENCH_PAIRS", "3"))
    results = []
    with _snapshots() as (save, restore):
        save("empty")
        index = 0
        while _products_held() + products <= holding:
            in_child(lambda index=index: _one(products, index, f"F{index} "))
            index += 1
        held = _products_held()
        save("held")
        print({"step": "filled", "products": held}, flush=True)
        ratios, cpu = [], {"empty": [], "held": []}
        for pair in range(1, pairs + 1):
            for label in ("empty", "held"):
                restore(label)
                figures = in_child(lambda pair=pair: _one(products, 100 + pair, "Z "))
                cpu[label].append(figures["cpu_s"])
                row = {"pair": pair, "into": label, **figures}
                print(row, flush=True)
                results.append(row)
            ratios.append(round(cpu["held"][-1] / cpu["empty"][-1], 2))
        results.append({
            "step": f"CPU into {held:,} products of the same names / into empty",
            "each pair": " ".join(str(ratio) for ratio in ratios),
            "medians": round(statistics.median(cpu["held"]) / statistics.median(cpu["empty"]), 2),
            "load_after": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        })
        restore("empty")  # the harness drops its database as it made it
    return results
