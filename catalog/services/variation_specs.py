"""The variations a product write asks for, checked before anything is written: each spec's
key (size and colour, any case), no two alike, and "stock or variations" when one is required.
A refusal about one spec names its index (``refusal_about_spec``), so a form shows it on its
row."""

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from catalog.errors import CatalogError, CatalogErrorCode

STOCK_OR_VARIATIONS_MESSAGE = "You must provide either a stock value or at least one variation."


def variation_spec_key(spec: dict) -> tuple[str, str]:
    return (spec.get("size") or "").strip().lower(), (spec.get("color") or "").strip().lower()


def variation_specs_check(specs: list[dict]) -> None:
    """The rules of a product's set of variations: each size and colour once, and a blank one
    (the product's own stock) only when it is the only one."""
    keys = [variation_spec_key(spec) for spec in specs]
    if len(set(keys)) != len(keys):
        raise CatalogError(
            "Each size and colour combination may appear only once.",
            code=CatalogErrorCode.VARIATIONS_DUPLICATE,
            field="variations",
        )
    if len(keys) > 1 and ("", "") in keys:
        raise CatalogError(
            "Every variation needs a size or a colour. For a product without variations send "
            "its stock instead.",
            code=CatalogErrorCode.VARIATIONS_BLANK,
            field="variations",
        )


@contextmanager
def refusal_about_spec(index: int):
    """Tag a refusal with the position of the variation spec it is about (``spec_index``), so
    the admin can show it on that row."""
    try:
        yield
    except ValidationError as exc:
        exc.spec_index = index
        raise


def variation_specs_for(
    *, stock: int | None, variations: list[dict] | None, required: bool = True
) -> list[dict] | None:
    """The variations a write asks for: ``variations``, else one blank variation carrying
    ``stock``. "Stock or variations required" when ``required``; else None means "no change"."""
    if variations:
        variation_specs_check(variations)
        return variations
    if stock is not None:
        return [{"size": "", "color": "", "stock": stock}]
    if required:
        raise CatalogError(
            STOCK_OR_VARIATIONS_MESSAGE,
            code=CatalogErrorCode.STOCK_OR_VARIATIONS_REQUIRED,
            field=NON_FIELD_ERRORS,
        )
    return None
