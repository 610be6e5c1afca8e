"""The re-import alone, in its own process, for its own peak memory: the catalogue is loaded
with the raw floor, then a file changing 10% of the rows is imported."""

import random

from bench.bench_import import PRODUCTS, SIZES, _csv_text, _import, _peak_mb


def run(rows: int | None = None) -> list[dict]:
    from imports.plan import plan_import
    from imports.reader import read_import_file
    from imports.write import write_plan
    from users.services import user_create

    products = (rows // 4) if rows else PRODUCTS
    total_rows = products * len(SIZES)
    maker = user_create(email="bench-maker@bench.test", is_manufacturer=True, company_name="B")
    parsed = read_import_file(_csv_text(products).encode(), filename="seed.csv")
    write_plan(plan_import(rows=parsed.rows, actor=maker, manufacturer=maker), actor=maker,
               note="seed")
    del parsed
    before = _peak_mb()
    changed = set(random.Random(5).sample(range(total_rows), total_rows // 10))
    text = _csv_text(products, price_bump=changed)
    seconds, info = _import(text, maker)
    return [{"step": "re-import, 10% rows changed (own process)", "rows": total_rows,
             "seconds": round(seconds, 1), "rows_per_s": int(total_rows / seconds),
             "updated_rows": info["counts"]["update"], "peak_rss_mb": _peak_mb(),
             "peak_before_mb": before}]
