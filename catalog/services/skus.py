"""SKUs made up when a variation is given none: the product's name, size and colour in capitals
("KENTE-STOLE-M-RED"), with -2, -3 ... when the manufacturer already uses it (a SKU is unique
per manufacturer). Found like slugs, by exact look-ups (``catalog.services.slugs``).

Only the backoffice and the API make them up; the catalogue import leaves a blank SKU blank,
since its files match rows by SKU and a made-up one would not be in the file.
"""

from catalog import limits
from catalog.models import Variation
from catalog.services.slugs import first_free, slug_base, unique_slugs


def sku_base(*, product_name: str, size: str, color: str) -> str:
    text = " ".join(part for part in (product_name, size, color) if part)
    return slug_base(text, max_length=limits.VARIATION_SKU_MAX).upper()


def skus_fill_blank(
    *, manufacturer_id: int, product_name: str, variations: list[Variation], exclude_pk=None
) -> None:
    """Give each of ``variations`` without a SKU a free one (in place). The SKUs given to the
    others count as taken too."""
    blank = [variation for variation in variations if not variation.sku]
    if not blank:
        return
    bases = [
        sku_base(product_name=product_name, size=variation.size, color=variation.color)
        for variation in blank
    ]
    free = unique_slugs(
        Variation, bases, field="sku", exclude_pk=exclude_pk, manufacturer_id=manufacturer_id
    )
    given = {variation.sku for variation in variations if variation.sku}
    for variation, base, sku in zip(blank, bases, free, strict=True):
        if sku in given:  # another variation of this batch was given that very SKU
            sku = first_free(base, given | {s for s in free if s != sku})
        variation.sku = sku
        given.add(sku)
