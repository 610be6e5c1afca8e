"""Making a product's variations at once: every size with every colour.

A manufacturer of shirts in S, M, L and XL, in red and blue, types the two lists instead of
eight rows. Combinations the product already has are left as they are; the new ones start with
the same stock each (written to the stock ledger) and made-up SKUs. A product that only had its
own stock (one blank variation) hands it to the first new variation, as ``variation_create``
does.
"""

from django.db import transaction

from catalog import limits
from catalog.errors import CatalogError, CatalogErrorCode
from catalog.models import Product, StockReason, Variation
from catalog.services.products import variation_create
from users.models import User


def grid_values(text: str) -> list[str]:
    """"S, M ,L,, m" -> ["S", "M", "L"]: comma-separated, trimmed, each once (any case)."""
    seen, values = set(), []
    for value in (part.strip() for part in text.split(",")):
        if value and value.lower() not in seen:
            seen.add(value.lower())
            values.append(value)
    return values


@transaction.atomic
def variations_grid_create(
    *, product: Product, actor: User, sizes: list[str], colors: list[str], stock: int = 0
) -> list[Variation]:
    """Create each (size, colour) of ``sizes`` × ``colors`` the product does not have yet
    (either list may be empty: sizes alone, or colours alone). Returns the new variations."""
    have = {
        (size.lower(), color.lower())
        for size, color in product.variations.values_list("size", "color")
    }
    wanted = [(s, c) for s in (sizes or [""]) for c in (colors or [""]) if s or c]
    new = [(s, c) for s, c in wanted if (s.lower(), c.lower()) not in have]
    blank_holder = ("", "") in have
    total = len(have) - blank_holder + len(new)
    if total > limits.PRODUCT_VARIATIONS_MAX:
        raise CatalogError(
            f"That makes {total} variations; a product has at most "
            f"{limits.PRODUCT_VARIATIONS_MAX}.",
            code=CatalogErrorCode.VARIATIONS_TOO_MANY,
        )
    return [
        variation_create(
            product=product, actor=actor, size=size, color=color, stock=stock,
            stock_reason=StockReason.MANUAL,
        )
        for size, color in new
    ]
