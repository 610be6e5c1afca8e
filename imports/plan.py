"""Plan an import: parse and validate every row, match rows to existing products and
variations, and decide what each will do. Nothing is written here.

The queries do not grow with the rows: existing products, variations and SKUs are read by
``existing`` (in chunks of keys, or in one scan of the manufacturer's rows), categories through
one path map.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from catalog import limits
from imports import cells
from imports.columns import CATEGORY_SEPARATOR, split_image_urls
from imports.existing import load_existing, taken_skus
from imports.images import ImageUrlCheck
from users.models import User

HANDLE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,119}$")
TRUE = {"1", "true", "yes", "y", "on"}
FALSE = {"0", "false", "no", "n", "off"}
PRODUCT_FIELDS = ["name", "description", "price", "discount_percent", "category", "is_active"]
VARIATION_FIELDS = ["sku", "low_stock_threshold"]
PRODUCT_CELLS = frozenset(PRODUCT_FIELDS)


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(slots=True)
class VariationPlan:
    row: int
    size: str
    color: str
    sku: str
    stock: int | None  # None: leave the stock as it is
    low_stock_threshold: int | None
    existing: dict | None = None  # id, size, color, sku, stock, low_stock_threshold
    action: str = "create"  # create / update / unchanged
    changed: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ProductPlan:
    manufacturer_id: int
    handle: str
    rows: list[int]
    fields: dict = field(default_factory=dict)
    field_rows: dict = field(default_factory=dict)
    image_urls: list[str] = field(default_factory=list)
    variations: list[VariationPlan] = field(default_factory=list)
    existing: dict | None = None
    action: str = "create"
    changed: list[str] = field(default_factory=list)
    has_error: bool = False


@dataclass
class ImportPlan:
    products: list[ProductPlan]
    errors: list[RowError]
    rows_total: int
    notices: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        for product in self.products:
            for variation in product.variations:
                counts[row_action(product, variation)] += 1
        return counts


def row_action(product: "ProductPlan", variation: "VariationPlan") -> str:
    """What one row does: create, update, unchanged, or error (its product is not written).
    The product's own columns count on its first row, where the file carries them."""
    if product.has_error:
        return "error"
    if product.action == "create":
        return "create"
    if variation.action == "update" or (product.changed and variation.row == product.rows[0]):
        return "update"
    return "unchanged"


class _RowParser:
    """Typed values of one row, collecting a RowError per bad cell."""

    def __init__(self, row_number: int, row: dict[str, str], errors: list[RowError]):
        self.number, self.row, self.errors = row_number, row, errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str) -> str:
        return self.row.get(column, "").strip()

    def decimal(self, column: str, *, maximum: Decimal | None = None) -> Decimal | None:
        raw = self.text(column)
        if not raw:
            return None
        number = raw.replace(" ", "")
        # "12,50" (semicolon files) is a decimal comma; "1,299.00" has a thousands comma.
        number = number.replace(",", "") if "." in number else number.replace(",", ".")
        try:
            value = Decimal(number)
        except InvalidOperation:
            self.error(column, f"“{raw}” is not a number.")
            return None
        if not value.is_finite() or value < 0:
            self.error(column, f"“{raw}” must be 0 or more.")
            return None
        if maximum is not None and value > maximum:
            self.error(column, f"“{raw}” must be at most {maximum}.")
            return None
        if value.as_tuple().exponent < -2:
            self.error(column, f"“{raw}” has more than 2 decimal places.")
            return None
        return value

    def whole(self, column: str, *, maximum: int) -> int | None:
        raw = self.text(column)
        if not raw:
            return None
        if raw.isascii() and raw.isdigit() and len(raw) <= 9:  # the common case, cheaply
            value = int(raw)
            if value <= maximum:
                return value
        try:
            number = Decimal(raw)
            # Bounded before int(): "1e999999999" would be a billion-digit integer.
            if not number.is_finite() or number != number.to_integral_value():
                raise ValueError
        except (InvalidOperation, ValueError):
            self.error(column, f"“{raw}” is not a whole number.")
            return None
        if number < 0:
            self.error(column, f"“{raw}” cannot be negative.")
            return None
        if number > maximum:
            self.error(column, f"“{raw}” must be at most {maximum:,}.")
            return None
        return int(number)

    def boolean(self, column: str) -> bool | None:
        raw = self.text(column).lower()
        if not raw:
            return None
        if raw in TRUE:
            return True
        if raw in FALSE:
            return False
        self.error(column, f"“{self.text(column)}” is not yes/no (use true or false).")
        return None

    def category(self) -> tuple[str, ...] | None:
        raw = self.text("category")
        if not raw:
            return None
        parts = tuple(part.strip() for part in raw.split(CATEGORY_SEPARATOR))
        if reason := cells.category_path_error(raw, parts):
            self.error("category", reason)
            return None
        return parts


def _resolve_manufacturers(
    rows, *, actor: User, manufacturer: User | None, errors: list[RowError]
) -> dict[int, int | None]:
    """Which manufacturer each row belongs to. A manufacturer's own file can only ever name
    themselves; staff name one per row (or pick one for the whole file)."""
    by_row: dict[int, int | None] = {}
    if not actor.is_staff:
        own_email = actor.email.lower()
        for number, row in rows:
            named = row.get("manufacturer", "").strip().lower()
            if named and named != own_email:
                errors.append(
                    RowError(number, "manufacturer", "You can only import into your own catalogue.")
                )
                by_row[number] = None
            else:
                by_row[number] = actor.pk
        return by_row
    emails = {row.get("manufacturer", "").strip().lower() for _, row in rows} - {""}
    known = dict(
        User.objects.filter(is_manufacturer=True, email__in=emails).values_list("email", "pk")
    )
    for number, row in rows:
        named = row.get("manufacturer", "").strip().lower()
        if named:
            if named not in known:
                errors.append(
                    RowError(number, "manufacturer", f"No manufacturer has the email “{named}”.")
                )
            by_row[number] = known.get(named)
        elif manufacturer is not None:
            by_row[number] = manufacturer.pk
        else:
            errors.append(
                RowError(number, "manufacturer", "Say whose product this is (manufacturer email).")
            )
            by_row[number] = None
    return by_row


def plan_import(
    *,
    rows: list[tuple[int, dict[str, str]]],
    actor: User,
    manufacturer: User | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    errors: list[RowError] = []
    errors += [RowError(*error) for error in cells.bad_cells_removed(rows)]
    owner_of = _resolve_manufacturers(rows, actor=actor, manufacturer=manufacturer, errors=errors)
    plans: dict[tuple[int, str], ProductPlan] = {}
    first_row_of_sku: dict[tuple[int, str], int] = {}
    first_row_of_option: dict[tuple[int, str, str, str], int] = {}
    image_url_refusal = ImageUrlCheck()

    for done, (number, row) in enumerate(rows, start=1):
        parse = _RowParser(number, row, errors)
        handle = parse.text("handle").lower()
        if not handle:
            parse.error("handle", "Every row needs a handle (the product's reference).")
            continue
        if not HANDLE_RE.match(handle):
            parse.error(
                "handle",
                f"“{handle}” may only contain letters, digits, “-” and “_” (120 at most).",
            )
            continue
        manufacturer_id = owner_of.get(number)
        if manufacturer_id is None:
            continue
        key = (manufacturer_id, handle)
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = ProductPlan(manufacturer_id=manufacturer_id, handle=handle, rows=[])
        plan.rows.append(number)
        # A product's later rows usually leave its columns blank (the reader drops blanks).
        values = {} if PRODUCT_CELLS.isdisjoint(row) else {
            "name": parse.text("name") or None,
            "description": parse.text("description") or None,
            "price": parse.decimal("price", maximum=cells.PRICE_MAX),
            "discount_percent": parse.decimal("discount_percent", maximum=Decimal(100)),
            "category": parse.category(),
            "is_active": parse.boolean("is_active"),
        }
        if values.get("name") and len(values["name"]) > 200:
            parse.error("name", "The name is longer than 200 characters.")
        for name, value in values.items():
            if value is None:
                continue
            if name in plan.fields and plan.fields[name] != value:
                parse.error(
                    name, f"differs from row {plan.field_rows[name]} of the same product."
                )
            elif name not in plan.fields:
                plan.fields[name], plan.field_rows[name] = value, number
        for url in split_image_urls(parse.text("image_urls")) if "image_urls" in row else ():
            if url not in plan.image_urls:
                if reason := image_url_refusal(url):
                    parse.error("image_urls", reason)
                elif len(plan.image_urls) >= limits.PRODUCT_IMAGES_MAX:
                    parse.error("image_urls", cells.TOO_MANY_IMAGES)
                    break
                else:
                    plan.image_urls.append(url)
        size, color, sku = parse.text("size"), parse.text("color"), parse.text("sku")
        for column, value, limit in (("size", size, 50), ("color", color, 50), ("sku", sku, 64)):
            if len(value) > limit:
                parse.error(column, f"is longer than {limit} characters.")
        if sku:
            first = first_row_of_sku.setdefault((manufacturer_id, sku), number)
            if first != number:
                parse.error("sku", f"SKU “{sku}” appears again (first in row {first}).")
        option = (manufacturer_id, handle, size.lower(), color.lower())
        first = first_row_of_option.setdefault(option, number)
        if first != number:
            parse.error(
                "size", f"Size “{size}” / colour “{color}” appears twice (first in row {first})."
            )
        if len(plan.variations) >= limits.PRODUCT_VARIATIONS_MAX:
            parse.error("size", cells.TOO_MANY_VARIATIONS)
        plan.variations.append(
            VariationPlan(
                row=number,
                size=size,
                color=color,
                sku=sku,
                stock=parse.whole("stock", maximum=limits.STOCK_MAX),
                low_stock_threshold=parse.whole("low_stock_threshold", maximum=cells.THRESHOLD_MAX),
            )
        )
        if on_progress and done % 1000 == 0:
            on_progress(done)

    # The per-row bookkeeping is done with; free it before the catalogue is loaded beside the
    # plan (a 100k-row re-import keeps peak memory under 400 MB this way).
    del owner_of, first_row_of_sku, first_row_of_option
    existing_products, existing_variations = load_existing(set(plans))
    taken = taken_skus(list(plans.values()))
    bad_cells = {(e.row, e.column) for e in errors}
    for key, plan in plans.items():
        _match(plan, existing_products.get(key), existing_variations, taken, errors,
               bad_cells)

    error_rows = {e.row for e in errors}
    for plan in plans.values():
        plan.has_error = any(row in error_rows for row in plan.rows)
    if on_progress:
        on_progress(len(rows))
    errors.sort(key=lambda e: (e.row, e.column))
    return ImportPlan(products=list(plans.values()), errors=errors, rows_total=len(rows))


def _match(plan, existing, existing_variations, taken_skus, errors, bad_cells) -> None:
    first_row = plan.rows[0]
    sized = [v for v in plan.variations if v.size or v.color]
    blank = [v for v in plan.variations if not (v.size or v.color)]
    if sized and blank:
        errors.append(
            RowError(
                blank[0].row,
                "size",
                "A product has either one row with blank size/colour or rows with sizes or "
                "colours, not both.",
            )
        )
    if existing is None:
        plan.action = "create"
        for column in ("name", "price", "category"):
            already_reported = any((row, column) in bad_cells for row in plan.rows)
            if plan.fields.get(column) is None and not already_reported:
                errors.append(RowError(first_row, column, f"A new product needs a {column}."))
        for variation in plan.variations:
            variation.action = "create"
            if variation.sku and (plan.manufacturer_id, variation.sku) in taken_skus:
                errors.append(
                    RowError(variation.row, "sku", f"SKU “{variation.sku}” is already used by "
                             "another of your products.")
                )
        return
    plan.existing = existing
    plan.changed = [
        name for name in PRODUCT_FIELDS
        if plan.fields.get(name) is not None and plan.fields[name] != existing[name]
    ]
    current = existing_variations.get(existing["id"], [])
    by_sku = {v["sku"]: v for v in current if v["sku"]}
    by_option = {(v["size"].lower(), v["color"].lower()): v for v in current}
    holder = by_option.get(("", "")) if len(current) == 1 else None
    claimed: set[int] = set()
    for variation in plan.variations:
        match = by_sku.get(variation.sku) if variation.sku else None
        if match is None:
            match = by_option.get((variation.size.lower(), variation.color.lower()))
        if match is None and holder is not None and holder["id"] not in claimed and (
            variation.size or variation.color
        ):
            match = holder  # the product's own stock becomes its first variation
        if variation.sku and match is None and (plan.manufacturer_id, variation.sku) in taken_skus:
            errors.append(
                RowError(variation.row, "sku", f"SKU “{variation.sku}” is already used by "
                         "another of your products.")
            )
        if match is None:
            variation.action = "create"
            continue
        if match["id"] in claimed:
            errors.append(
                RowError(variation.row, "sku", "Two rows match the same existing variation.")
            )
            continue
        claimed.add(match["id"])
        variation.existing = match
        changed = []
        if (variation.size, variation.color) != (match["size"], match["color"]):
            changed.append("size/color")
        if variation.sku and variation.sku != match["sku"]:
            changed.append("sku")
        if variation.stock is not None and variation.stock != match["stock"]:
            changed.append("stock")
        if (variation.low_stock_threshold is not None
                and variation.low_stock_threshold != match["low_stock_threshold"]):
            changed.append("low_stock_threshold")
        variation.changed = changed
        variation.action = "update" if changed else "unchanged"
    if plan.changed or any(v.action != "unchanged" for v in plan.variations):
        plan.action = "update"
    else:
        plan.action = "unchanged"
