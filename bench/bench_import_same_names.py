"""An import into a catalogue that already sells the same product names, against the same
import into an empty one: what a second manufacturer of "Kente stole" waits for.

Imports of ``rows`` rows (default 100k: 25k products x 4 variations, 1,500 new category
paths each, the ``1500 paths`` shape of ``bench_import``), each in its own forked process and
timed whole (read, check and write: what the user waits for), with the CPU seconds of the
process (and, on PostgreSQL, of its server backend):

1. manufacturer A into the empty catalogue;
2. manufacturer B, the same product names under other category paths, into the catalogue that
   now holds A's 25k products: every slug is taken, so each new product gets ``<name>-2``;
3. with ``BENCH_HOLDING=<products>`` (e.g. 100000), more manufacturers import the same names
   (untimed) until the catalogue holds that many products, then manufacturer Z imports them once
   more, timed: every name is taken ``holding / 25k`` times over (``<name>-5`` at 100k).

Reported: each import's seconds, rows/s and CPU seconds, and each over A.
"""

from bench.bench_import import PRODUCTS, SIZES, _csv_text, _maker, cpu_seconds, in_child

SHAPE = "1500 paths"


def _one(products: int, index: int, prefix: str) -> dict:
    import time

    from bench.bench_import import _import

    maker = _maker(f"same-{index}@bench.test")
    # The category paths carry the prefix; the product names do not (the same for both).
    text = _csv_text(products, shape=SHAPE, prefix=prefix).replace(f"{prefix}Product ",
                                                                      "Product ")
    cpu = cpu_seconds()
    started = time.perf_counter()
    seconds, info = _import(text, maker)
    wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    rows = products * len(SIZES)
    return {"rows": rows, "seconds": round(wall, 1), "rows_per_s": int(rows / wall),
            "cpu_s": round(cpu, 1),
            "phases_s": " ".join(f"{k}:{v:.1f}" for k, v in info["seconds"].items())}


def _products_held() -> int:
    from catalog.models import Product

    return Product.objects.count()


def run(rows: int | None = None) -> list[dict]:
    import os

    products = (rows // 4) if rows else PRODUCTS
    holding = int(os.environ.get("BENCH_HOLDING", "0"))
    empty = in_child(lambda: _one(products, 0, "A "))
    same = in_child(lambda: _one(products, 1, "B "))
    results = [
        {"step": "into an empty catalogue", **empty},
        {"step": "same names, catalogue holding them once", **same},
        {"step": "same names / empty", "wall": round(same["seconds"] / empty["seconds"], 2),
         "cpu": round(same["cpu_s"] / empty["cpu_s"], 2)},
    ]
    if holding:
        index = 2
        while _products_held() + products <= holding:
            in_child(lambda index=index: _one(products, index, f"F{index} "))
            index += 1
        held = _products_held()
        last = in_child(lambda: _one(products, index, "Z "))
        results += [
            {"step": f"same names, catalogue of {held:,} products holding them "
                     f"{held // products} times", **last},
            {"step": f"{held:,}-product catalogue / empty",
             "wall": round(last["seconds"] / empty["seconds"], 2),
             "cpu": round(last["cpu_s"] / empty["cpu_s"], 2)},
        ]
    return results
