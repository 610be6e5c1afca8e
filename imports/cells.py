"""Checks of a row's cells against the catalogue's bounds (``catalog.limits``), the same the
API applies: no control characters (they broke the XLSX export and PostgreSQL refuses NUL), no
description longer than a product may have, a category path's levels, the highest price. The
number bounds and the other lengths are checked where ``plan`` parses the values."""

from decimal import Decimal

from django.core.exceptions import ValidationError

from catalog.limits import (
    CATEGORY_DEPTH_MAX,
    CATEGORY_NAME_MAX,
    LOW_STOCK_THRESHOLD_MAX,
    PRODUCT_DESCRIPTION_MAX,
    PRODUCT_IMAGES_MAX,
    PRODUCT_VARIATIONS_MAX,
    no_control_characters,
    no_control_characters_multiline,
)
from catalog.models import Product
from imports.columns import KNOWN_COLUMNS

_PRICE = Product._meta.get_field("price")
PRICE_MAX = Decimal(10) ** (_PRICE.max_digits - _PRICE.decimal_places) - Decimal("0.01")
THRESHOLD_MAX = LOW_STOCK_THRESHOLD_MAX
TOO_MANY_IMAGES = f"A product may have at most {PRODUCT_IMAGES_MAX} images."
TOO_MANY_VARIATIONS = f"A product may have at most {PRODUCT_VARIATIONS_MAX} variations (rows)."

MULTILINE_COLUMNS = {"description"}


def cell_errors(row: dict[str, str]) -> list[tuple[str, str]]:
    """(column, reason) for each known cell of ``row`` that breaks a bound."""
    errors = []
    for column, value in row.items():
        if column not in KNOWN_COLUMNS or column == "handle":
            continue  # ignored columns are never stored; a handle has its own pattern
        check = (
            no_control_characters_multiline if column in MULTILINE_COLUMNS
            else no_control_characters
        )
        try:
            check(value)
        except ValidationError as exc:
            errors.append((column, exc.messages[0]))
    description = row.get("description", "")
    if len(description) > PRODUCT_DESCRIPTION_MAX:
        errors.append(
            ("description", f"The description is longer than {PRODUCT_DESCRIPTION_MAX:,} "
             "characters.")
        )
    return errors


def bad_cells_removed(rows) -> list[tuple[int, str, str]]:
    """(row, column, reason) of every cell over the bounds in ``rows``; those cells are taken
    out of their rows, so that (a NUL, say) none reaches a query: PostgreSQL refuses NUL even in
    a lookup."""
    found = []
    for number, row in rows:
        for column, reason in cell_errors(row):
            found.append((number, column, reason))
            row.pop(column, None)
    return found


def category_path_error(raw: str, parts: tuple[str, ...]) -> str | None:
    """Why a category path (``raw``, split into ``parts``) cannot be imported, or None."""
    if any(not part for part in parts):
        return f"“{raw}” has an empty level; write the path as “Electronics > Phones”."
    if any(len(part) > CATEGORY_NAME_MAX for part in parts):
        return f"A category name is longer than {CATEGORY_NAME_MAX} characters."
    if len(parts) > CATEGORY_DEPTH_MAX:
        return f"The path has {len(parts)} levels; at most {CATEGORY_DEPTH_MAX} are allowed."
    return None
