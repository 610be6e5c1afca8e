"""Which variation a line means: the one rule the cart (``shopping``) and order placement
(``orders``) ask, each wording the refusal for its own clients.

Stock lives on variations only; a product sold without sizes or colours keeps its stock on one
blank variation that buyers never see. So a line that names no variation means that blank stock
holder, and only for such a product: one that comes in sizes or colours needs a choice. A line
that names a variation means that variation of the product, and none of another product.
"""

from collections.abc import Sequence
from enum import StrEnum

from catalog.models import Variation
from core.ids import as_int


class VariationRefusal(StrEnum):
    REQUIRED = "variation_required"  # no variation named, and the product comes in several
    UNKNOWN = "variation_unknown"  # the variation named is not one of the product's


class VariationChoiceError(Exception):
    def __init__(self, refusal: VariationRefusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


def variation_of_line(*, variations: Sequence[Variation], variation_id) -> Variation:
    """The variation (the stock holder) a line of a product whose ``variations`` these are
    means. ``variation_id`` as the client sent it: None or "" names none; a number, or a text
    of one, names that variation. Raises ``VariationChoiceError`` (REQUIRED or UNKNOWN)."""
    if variation_id in (None, ""):
        if len(variations) == 1 and variations[0].is_default:
            return variations[0]
        raise VariationChoiceError(VariationRefusal.REQUIRED)
    pk = as_int(variation_id)
    variation = next((v for v in variations if v.pk == pk), None)
    if variation is None:
        raise VariationChoiceError(VariationRefusal.UNKNOWN)
    return variation
