"""CSV import speed: 100k rows (25k products x 4 variations) for three category shapes.

Each shape is imported by a new manufacturer into an empty catalogue whose category paths do not
exist yet, so the import creates them:

- ``25 paths``: 5 departments > 25 aisles (30 new nodes);
- ``320 paths``: 8 departments > 40 aisles > 320 shelves (368 new nodes);
- ``1500 paths``: 15 zones > 150 rows > 1,500 bays (1,665 new nodes).

Every import runs in its own forked process, so "peak RSS" is that import's own maximum
resident set size (the Django process included). Per-phase seconds come from the writer
(``WriteResult.seconds``). The floor is a raw ``bulk_create`` of the same products and
variations (no validation, no ledger, no categories), also in its own process; "x floor" is the
import's time over it. Last, a plain default django-import-export ``ModelResource`` import of the
same rows, row by row, measured on a slice and extrapolated (the whole file takes many minutes).
"""

import csv
import io
import json
import os
import random
import resource
import time
from decimal import Decimal

from django.db import connection, connections

PRODUCTS = 25_000
SIZES = ["S", "M", "L", "XL"]
DEFAULT_SLICE = 2_000
SHAPES = {
    # name: (levels, leaves); leaf i of a level sits under i % (the level above's count).
    "25 paths": (["Dept", "Aisle"], [5, 25]),
    "320 paths": (["Dept", "Aisle", "Shelf"], [8, 40, 320]),
    "1500 paths": (["Zone", "Row", "Bay"], [15, 150, 1500]),
}
DEFAULT_SHAPE = "320 paths"


def _category(i: int, shape: str, prefix: str) -> str:
    levels, counts = SHAPES[shape]
    return " > ".join(f"{prefix}{level} {i % count}" for level, count in zip(levels, counts, strict=True))


def _csv_text(products: int, *, price_bump: set[int] | None = None, shape: str = DEFAULT_SHAPE,
              prefix: str = "") -> str:
    rng = random.Random(11)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["handle", "name", "description", "price", "discount_percent", "category",
                     "is_active", "size", "color", "sku", "stock", "low_stock_threshold",
                     "image_urls"])
    for i in range(products):
        category = _category(i, shape, prefix)
        price = Decimal(rng.randint(100, 99999)) / 100
        for n, size in enumerate(SIZES):
            stock = rng.randint(6, 60)
            if price_bump and (i * 4 + n) in price_bump:
                stock += 7  # a changed row
            first = n == 0
            writer.writerow([
                f"p-{i}", f"{prefix}Product {i}" if first else "", "A product" if first else "",
                f"{price}" if first else "", "0" if first else "", category if first else "",
                "true" if first else "", size, "Blue", f"SKU-{i}-{size}", stock, 5, "",
            ])
    return buffer.getvalue()


def cpu_seconds() -> float:
    """CPU time of this process plus, on PostgreSQL, of its server backend (same machine): a
    figure that does not move with the other processes sharing the cores, as wall time does."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    total = usage.ru_utime + usage.ru_stime
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:  # the server is on another machine: client time only
            pass
    return total


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)


def _import(text: str, actor) -> tuple[float, dict]:
    from imports.plan import plan_import
    from imports.reader import read_import_file
    from imports.write import write_plan

    started = time.perf_counter()
    parsed = read_import_file(text.encode(), filename="bench.csv")
    read = time.perf_counter()
    plan = plan_import(rows=parsed.rows, actor=actor, manufacturer=actor)
    del parsed  # as the import service does before writing
    planned = time.perf_counter()
    assert not plan.errors, plan.errors[:3]
    result = write_plan(plan, actor=actor, note="bench")
    seconds = {"read": read - started, "plan": planned - read,
               **getattr(result, "seconds", {})}
    return time.perf_counter() - started, {
        "created": result.variations_created, "stock_changes": result.stock_movements,
        "counts": plan.counts(), "seconds": seconds,
    }


def in_child(fn) -> dict:
    """Run ``fn()`` in a forked process (its own peak memory) and return its dict."""
    connections.close_all()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        code = 0
        try:
            payload = json.dumps(fn())
        except BaseException as exc:  # report it to the parent rather than dying silently
            payload, code = json.dumps({"error": repr(exc)}), 1
        with os.fdopen(write_end, "w") as out:
            out.write(payload)
        connections.close_all()
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as stream:
        data = json.loads(stream.read() or "{}")
    os.waitpid(pid, 0)
    if "error" in data:
        raise RuntimeError(data["error"])
    return data


def _maker(email: str):
    from users.services import user_create

    return user_create(email=email, is_manufacturer=True, company_name=email.split("@")[0])


def _import_shape(products: int, shape: str, index: int) -> dict:
    from catalog.models import Category

    maker = _maker(f"bench-{index}@bench.test")
    text = _csv_text(products, shape=shape, prefix=f"S{index} ")
    nodes_before = Category.objects.count()
    cpu = cpu_seconds()
    seconds, info = _import(text, maker)
    cpu = cpu_seconds() - cpu
    total_rows = products * len(SIZES)
    problems = [len(p) for p in Category.find_problems()]
    assert not any(problems), problems
    return {"step": f"import, {shape}", "rows": total_rows, "seconds": round(seconds, 1),
            "rows_per_s": int(total_rows / seconds), "cpu_s": round(cpu, 1),
            "rows_per_cpu_s": int(total_rows / cpu), "peak_rss_mb": _peak_mb(),
            "new_nodes": Category.objects.count() - nodes_before,
            "phases_s": " ".join(f"{k}:{v:.1f}" for k, v in info["seconds"].items())}


def _raw_floor(products: int, index: int) -> dict:
    """bulk_create the same rows with no checks: what the database alone costs."""
    from catalog.models import Category, Product, Variation

    maker = _maker(f"bench-raw-{index}@bench.test")
    leaf = Category.objects.order_by("-depth").first()
    cpu = cpu_seconds()
    started = time.perf_counter()
    rows, variations = [], []
    for i in range(products):
        product = Product(manufacturer=maker, handle=f"raw-{i}",
                          slug=f"raw-{index}-{i}", name=f"Raw {i}", price=Decimal("10.00"),
                          category=leaf, inventory=100)
        rows.append(product)
        variations += [Variation(product=product, manufacturer=maker, size=s, color="Blue",
                                 sku=f"RAW-{i}-{s}", stock=25) for s in SIZES]
    Product.objects.bulk_create(rows, batch_size=1000)
    Variation.objects.bulk_create(variations, batch_size=1000)
    return {"seconds": time.perf_counter() - started, "cpu": cpu_seconds() - cpu}


def _default_resource(text: str, rows: int, owner: str) -> float:
    """A plain ModelResource over Variation, row by row, as import-export does by default."""
    import tablib
    from import_export import fields, resources, widgets

    from catalog.models import Product, Variation

    class OwnProducts(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):
            return Product.objects.filter(manufacturer__email=owner)

    class PlainVariationResource(resources.ModelResource):
        product = fields.Field(attribute="product", column_name="handle",
                               widget=OwnProducts(Product, field="handle"))

        class Meta:
            model = Variation
            import_id_fields = ["sku"]
            fields = ["sku", "size", "color", "stock", "low_stock_threshold", "product"]

        def before_save_instance(self, instance, row, **kwargs):
            instance.manufacturer_id = instance.product.manufacturer_id

    dataset = tablib.Dataset().load(text, format="csv")
    dataset = dataset.subset(rows=list(range(rows)))
    started = time.perf_counter()
    result = PlainVariationResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    return time.perf_counter() - started


def run(rows: int | None = None, shapes: list[str] | None = None,
        with_resource: bool = True) -> list[dict]:
    products = (rows // 4) if rows else PRODUCTS
    total_rows = products * len(SIZES)
    results = []
    for index, shape in enumerate(shapes or SHAPES):
        results.append(in_child(lambda shape=shape, index=index: _import_shape(
            products, shape, index)))
    floors = [in_child(lambda n=n: _raw_floor(products, n)) for n in range(2)]
    floor = min(f["seconds"] for f in floors)
    floor_cpu = min(f["cpu"] for f in floors)
    results.append({"step": "floor: raw bulk_create (best of 2)", "rows": total_rows,
                    "seconds": round(floor, 1), "rows_per_s": int(total_rows / floor),
                    "cpu_s": round(floor_cpu, 1), "rows_per_cpu_s": int(total_rows / floor_cpu)})
    for row in results[:-1]:
        row["x_floor"] = round(row["seconds"] / floor, 2)
        row["x_floor_cpu"] = round(row["cpu_s"] / floor_cpu, 2)

    if with_resource:
        slice_rows = min(DEFAULT_SLICE, total_rows)
        # The default resource needs products to hang variations on: those of shape 0.
        fresh = _csv_text(products, prefix="S0 ").replace("SKU-", "DEF-").replace(",Blue,",
                                                                                 ",Green,")
        seconds = in_child(lambda: {"s": _default_resource(fresh, slice_rows, "bench-0@bench.test")})["s"]
        results.append({"step": "default ModelResource (row by row)", "rows": slice_rows,
                        "seconds": round(seconds, 1), "rows_per_s": int(slice_rows / seconds),
                        "extrapolated_100k_s": int(seconds * total_rows / slice_rows)})
    results.append({"step": "database", "vendor": connection.vendor})
    return results
