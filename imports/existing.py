"""What an import finds in the catalogue: the products and variations its rows match, and the
SKUs its manufacturers already use. Nothing is written here.

The queries do not grow with the rows: by chunks of keys, or one read of the manufacturer's
rows when those are not many more than the keys asked for.
"""

from catalog.models import Product, Variation
from catalog.selectors import category_labels
from imports.columns import CATEGORY_SEPARATOR

CHUNK = 2000


def _whole_catalogue(queryset, wanted: int) -> bool:
    """Read a manufacturer's rows whole rather than by chunks of keys when they are not many
    more than the keys asked for: one scan beats dozens of 2,000-key IN lists (each key costs
    the ORM more than reading a row)."""
    return wanted > CHUNK and queryset.count() <= 4 * wanted


def load_existing(keys: set[tuple[int, str]]) -> tuple[dict, dict]:
    """Existing products by (manufacturer, handle) and their variations, in chunks."""
    labels = category_labels()
    products: dict[tuple[int, str], dict] = {}
    by_manufacturer: dict[int, list[str]] = {}
    whole: list[int] = []  # manufacturers read whole
    for manufacturer_id, handle in keys:
        by_manufacturer.setdefault(manufacturer_id, []).append(handle)
    for manufacturer_id, handles in by_manufacturer.items():
        owned = Product.objects.filter(manufacturer_id=manufacturer_id)
        if _whole_catalogue(owned, len(handles)):
            queries = [owned]
            whole.append(manufacturer_id)
        else:
            queries = [owned.filter(handle__in=handles[start : start + CHUNK])
                       for start in range(0, len(handles), CHUNK)]
        wanted = set(handles)
        for query in queries:
            for values in query.values(
                "id", "handle", "name", "description", "price", "discount_percent",
                "category_id", "is_active", "approval_status",
            ):
                if values["handle"] not in wanted:
                    continue
                label = labels.get(values["category_id"], "")
                values["category"] = tuple(
                    part.strip() for part in label.split(CATEGORY_SEPARATOR)
                )
                products[(manufacturer_id, values["handle"])] = values
    variations: dict = {}
    ids = [p["id"] for key, p in products.items() if key[0] not in whole]
    queries = [Variation.objects.filter(manufacturer_id__in=whole)] if whole else []
    queries += [Variation.objects.filter(product_id__in=ids[start : start + CHUNK])
                for start in range(0, len(ids), CHUNK)]
    known = {p["id"] for p in products.values()}
    for query in queries:
        for values in query.values(
            "id", "product_id", "size", "color", "sku", "stock", "low_stock_threshold"
        ):
            if values["product_id"] in known:
                variations.setdefault(values["product_id"], []).append(values)
    return products, variations


def taken_skus(plans: list) -> dict[tuple[int, str], object]:
    """SKUs already used by each manufacturer: (manufacturer, sku) -> product id."""
    wanted: dict[int, set[str]] = {}
    for plan in plans:
        for variation in plan.variations:
            if variation.sku:
                wanted.setdefault(plan.manufacturer_id, set()).add(variation.sku)
    taken = {}
    for manufacturer_id, skus in wanted.items():
        owned = Variation.objects.filter(manufacturer_id=manufacturer_id)
        if _whole_catalogue(owned, len(skus)):
            queries = [owned.exclude(sku="")]
        else:
            skus_list = list(skus)
            queries = [owned.filter(sku__in=skus_list[start : start + CHUNK])
                       for start in range(0, len(skus_list), CHUNK)]
        for query in queries:
            for sku, product_id in query.values_list("sku", "product_id"):
                if sku in skus:
                    taken[(manufacturer_id, sku)] = product_id
    return taken
