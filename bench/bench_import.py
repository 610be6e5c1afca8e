"""CSV import speed: 100k rows (25k products x 4 variations, 3-level categories).

Figures: import into an empty catalogue, a re-import that changes 10% of the rows, the floor (a
raw bulk_create of the same products and variations, no validation, no ledger), and a plain
default django-import-export ModelResource import of the same rows (row by row; measured on a
slice and extrapolated, since the whole file takes minutes). Peak memory is the process's
maximum resident set size.
"""

import csv
import io
import random
import resource
import time
import uuid
from decimal import Decimal

from django.db import connection

PRODUCTS = 25_000
SIZES = ["S", "M", "L", "XL"]
DEFAULT_SLICE = 2_000


def _csv_text(products: int, *, price_bump: set[int] | None = None) -> str:
    rng = random.Random(11)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["handle", "name", "description", "price", "discount_percent", "category",
                     "is_active", "size", "color", "sku", "stock", "low_stock_threshold",
                     "image_urls"])
    for i in range(products):
        category = f"Dept {i % 5} > Aisle {i % 30} > Shelf {i % 240}"
        price = Decimal(rng.randint(100, 99999)) / 100
        for n, size in enumerate(SIZES):
            stock = rng.randint(6, 60)
            if price_bump and (i * 4 + n) in price_bump:
                stock += 7  # a changed row
            first = n == 0
            writer.writerow([
                f"p-{i}", f"Product {i}" if first else "", "A product" if first else "",
                f"{price}" if first else "", "0" if first else "", category if first else "",
                "true" if first else "", size, "Blue", f"SKU-{i}-{size}", stock, 5, "",
            ])
    return buffer.getvalue()


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)


def _import(text: str, actor) -> tuple[float, dict]:
    from catalog.importing.plan import plan_import
    from catalog.importing.reader import read_import_file
    from catalog.importing.write import write_plan

    started = time.perf_counter()
    parsed = read_import_file(text.encode(), filename="bench.csv")
    plan = plan_import(rows=parsed.rows, actor=actor, manufacturer=actor)
    del parsed  # as the import service does before writing
    assert not plan.errors, plan.errors[:3]
    result = write_plan(plan, actor=actor, note="bench")
    return time.perf_counter() - started, {
        "created": result.variations_created, "stock_changes": result.stock_movements,
        "counts": plan.counts(),
    }


def _raw_floor(products: int, maker) -> float:
    """bulk_create the same rows with no checks: what the database alone costs."""
    from catalog.models import Category, Product, Variation

    leaf = Category.objects.filter(depth=3).first()
    started = time.perf_counter()
    rows, variations = [], []
    for i in range(products):
        product = Product(id=uuid.uuid4(), manufacturer=maker, handle=f"raw-{i}", slug=f"raw-{i}",
                          name=f"Raw {i}", price=Decimal("10.00"), category=leaf, inventory=100)
        rows.append(product)
        variations += [Variation(product=product, manufacturer=maker, size=s, color="Blue",
                                 sku=f"RAW-{i}-{s}", stock=25) for s in SIZES]
    Product.objects.bulk_create(rows, batch_size=1000)
    Variation.objects.bulk_create(variations, batch_size=1000)
    return time.perf_counter() - started


def _default_resource(text: str, rows: int) -> float:
    """A plain ModelResource over Variation, row by row, as import-export does by default."""
    import tablib
    from import_export import fields, resources, widgets

    from catalog.models import Product, Variation

    class PlainVariationResource(resources.ModelResource):
        product = fields.Field(attribute="product", column_name="handle",
                               widget=widgets.ForeignKeyWidget(Product, field="handle"))

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


def run(rows: int | None = None) -> list[dict]:
    """All steps in one process (peak memory of later steps includes earlier ones: Python keeps
    freed heap). For the re-import's own peak, run ``python -m bench import_reimport``."""
    from users.services import user_create

    products = (rows // 4) if rows else PRODUCTS
    maker = user_create(email="bench-maker@bench.test", is_manufacturer=True, company_name="B")
    text = _csv_text(products)
    total_rows = products * 4
    results = []

    seconds, info = _import(text, maker)
    results.append({"step": "import into empty catalogue", "rows": total_rows,
                    "seconds": round(seconds, 1), "rows_per_s": int(total_rows / seconds),
                    "peak_rss_mb": _peak_mb(), "stock_changes": info["stock_changes"]})

    changed = set(random.Random(5).sample(range(total_rows), total_rows // 10))
    seconds, info = _import(_csv_text(products, price_bump=changed), maker)
    results.append({"step": "re-import, 10% rows changed", "rows": total_rows,
                    "seconds": round(seconds, 1), "rows_per_s": int(total_rows / seconds),
                    "updated_rows": info["counts"]["update"], "stock_changes": info["stock_changes"],
                    "peak_rss_mb": _peak_mb()})

    floor = _raw_floor(products, maker)
    results.append({"step": "floor: raw bulk_create", "rows": total_rows,
                    "seconds": round(floor, 1),
                    "import_to_floor_ratio": round(results[0]["seconds"] / floor, 1)})

    slice_rows = min(DEFAULT_SLICE, total_rows)
    # The default resource updates existing rows by SKU, so give it fresh ones to create.
    fresh = _csv_text(products).replace("SKU-", "DEF-").replace(",Blue,", ",Green,")
    seconds = _default_resource(fresh, slice_rows)
    results.append({"step": "default ModelResource (row by row)", "rows": slice_rows,
                    "seconds": round(seconds, 1), "rows_per_s": int(slice_rows / seconds),
                    "extrapolated_100k_s": int(seconds * total_rows / slice_rows)})
    results.append({"step": "database", "vendor": connection.vendor})
    return results
