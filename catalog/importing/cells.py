"""Checks of one row's text cells against the catalogue's bounds (``catalog.limits``), the same
the API applies: no control characters (they broke the XLSX export and PostgreSQL refuses NUL),
and no description longer than a product may have. Lengths of the other columns and the number
bounds are checked where ``plan`` parses them."""

from django.core.exceptions import ValidationError

from catalog.importing.columns import KNOWN_COLUMNS
from catalog.limits import (
    PRODUCT_DESCRIPTION_MAX,
    no_control_characters,
    no_control_characters_multiline,
)

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
