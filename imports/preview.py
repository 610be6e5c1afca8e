"""What an import says: the preview stored on the import (counts, errors, a sample of the rows'
changes old -> new), the notices, and the banners after a write or a refusal, in the words of
the import page's cards (rows new / updated / unchanged / skipped).

The preview is stored on the ``ProductImport`` (its fields), so the page, the history and the
reports read it without the file; the lists are capped (MAX_STORED_*) so that a 50k-row file
with errors everywhere stays a small record.
"""

from imports.plan import ImportPlan, row_action

MAX_STORED_ERRORS = 1000
MAX_STORED_CHANGES = 200
# What a new product's row shows: the values it starts with.
NEW_PRODUCT_FIELDS = ["price", "category"]
VARIATION_COLUMNS = {"sku": "sku", "stock": "stock", "low_stock_threshold": "low_stock_threshold"}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _shown(value) -> str:
    """A planned or stored value as the preview shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):  # a category path
        return " > ".join(value)
    return str(value)


def _field_changes(product, variation, *, first_row: bool) -> list[dict]:
    """Old -> new of each changed column of one row (the product's own columns on its first
    row, where the file carries them); a new product's row lists what it starts with."""
    changes = []
    if product.action == "create":
        if first_row:
            changes += [
                {"field": name, "old": None, "new": _shown(product.fields.get(name))}
                for name in NEW_PRODUCT_FIELDS
                if product.fields.get(name) is not None
            ]
        if variation.stock is not None:
            changes.append({"field": "stock", "old": None, "new": _shown(variation.stock)})
        return changes
    if first_row:
        changes += [
            {
                "field": name,
                "old": _shown(product.existing[name]),
                "new": _shown(product.fields[name]),
            }
            for name in product.changed
        ]
    existing = variation.existing or {}
    for name in variation.changed:
        if name == "size/color":
            old = " / ".join(x for x in (existing.get("size"), existing.get("color")) if x)
            new = " / ".join(x for x in (variation.size, variation.color) if x)
        else:
            old, new = existing.get(name), getattr(variation, VARIATION_COLUMNS[name])
        changes.append({"field": name, "old": _shown(old), "new": _shown(new)})
    return changes


def _changes_sample(plan: ImportPlan) -> list[dict]:
    sample = []
    for product in plan.products:
        for variation in product.variations:
            action = row_action(product, variation)
            if action in ("unchanged", "error"):
                continue
            fields = _field_changes(product, variation, first_row=variation.row == product.rows[0])
            sample.append(
                {
                    "row": variation.row,
                    "action": action,
                    "handle": product.handle,
                    "name": product.fields.get("name") or (product.existing or {}).get("name"),
                    "variation": " / ".join(x for x in (variation.size, variation.color) if x),
                    "fields": fields,
                    "changes": ", ".join(change["field"] for change in fields),
                }
            )
            if len(sample) >= MAX_STORED_CHANGES:
                return sample
    return sample


def preview_fields(plan: ImportPlan) -> dict:
    """What the preview shows of a plan, as the import's fields."""
    counts = plan.counts()
    return {
        "rows_total": plan.rows_total,
        "rows_done": plan.rows_total,
        "created_count": counts["create"],
        "updated_count": counts["update"],
        "unchanged_count": counts["unchanged"],
        "error_count": len(plan.errors),
        "errors": [e.as_dict() for e in plan.errors[:MAX_STORED_ERRORS]],
        "changes": _changes_sample(plan),
        "message": " ".join(plan.notices),
    }


def unknown_columns_notice(columns: list[str]) -> str:
    """The notice naming the columns the import ignored."""
    label = "Ignored column" if len(columns) == 1 else "Ignored columns"
    return f"{label}: {', '.join(columns)}."


def import_refused_message(*, errors: int) -> str:
    """The banner of an all-or-nothing import that found errors at confirm."""
    return (
        f"{_plural(errors, 'error', 'errors')} found; nothing was imported. Fix the file and "
        "upload it again, or choose “Import valid rows only”."
    )


def import_result_message(*, fields: dict, skipped: int, result) -> str:
    """The banner after a write, in the cards' words: rows new / updated / unchanged
    (/ skipped), then what that made of the catalogue. ``fields`` are the plan's counts
    (``preview_fields``)."""
    created, updated = fields["created_count"], fields["updated_count"]
    rows = (
        f"{_plural(created + updated, 'row', 'rows')}"
        f" imported: {created:,} new, "
        f"{updated:,} updated, {fields['unchanged_count']:,} unchanged"
    )
    if skipped:
        rows += f", {skipped:,} skipped (errors)"
    catalogue = (
        f"{_plural(result.products_created, 'product', 'products')} created, "
        f"{result.products_updated:,} updated; "
        f"{_plural(result.stock_movements, 'stock change', 'stock changes')}"
    )
    return f"{rows}. {catalogue}."
