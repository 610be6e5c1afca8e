"""The catalogue's bounds: how much one write may ask for, in one place.

The API (``catalog.api``), the admin forms and the import reader all check against these
values, so a product refused by one door is refused by the others with the same number. They
exist because one request must not be able to take the site down: a product with 10,000
variations was accepted and kept the SQLite database locked for minutes, a stock of
2**63 overflowed the database, and an 80-level category path overflowed the tree's path column.

Field lengths that the database itself enforces live on the model fields (``max_length``);
the models read them from here so the two cannot drift apart.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# --- Lists ------------------------------------------------------------------------------------

#: Variations (size/colour combinations) of one product. 20 sizes x 10 colours.
PRODUCT_VARIATIONS_MAX = 200
#: Images of one product.
PRODUCT_IMAGES_MAX = 10
#: Levels of a category path ("Men > Footwear > Boots" is 3). The tree's materialised path
#: (4 characters a level in 255) would hold 63.
CATEGORY_DEPTH_MAX = 32
#: Words of one storefront search (``?search=``): every word is one more term the full-text
#: index must intersect.
SEARCH_WORDS_MAX = 16

# --- Numbers ----------------------------------------------------------------------------------

#: Units of stock of one variation (or of a product without variations), and the highest
#: low-stock threshold. A product's inventory is the sum over its variations, so
#: PRODUCT_VARIATIONS_MAX * STOCK_MAX must fit a 32-bit integer column (PostgreSQL's
#: ``integer``): 200 * 1,000,000 = 2 * 10**8 < 2**31.
STOCK_MAX = 1_000_000
LOW_STOCK_THRESHOLD_MAX = STOCK_MAX

# --- Text -------------------------------------------------------------------------------------

PRODUCT_NAME_MAX = 200
PRODUCT_DESCRIPTION_MAX = 10_000
VARIATION_SIZE_MAX = 50
VARIATION_COLOR_MAX = 50
VARIATION_SKU_MAX = 64
CATEGORY_NAME_MAX = 120
CATEGORY_DESCRIPTION_MAX = 2_000

# C0 controls (NUL included: PostgreSQL cannot store it in text), DEL and C1 controls. Tabs
# and line breaks are allowed only in multi-line text (descriptions, comments).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@deconstructible
class NoControlCharacters:
    """A validator (Django forms, DRF serializers, the import reader) refusing control
    characters: they break the spreadsheet exports and PostgreSQL refuses NUL."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        pattern = _CONTROL_MULTILINE if self.multiline else _CONTROL
        found = pattern.search(value)
        if found:
            raise ValidationError(
                "Remove the control character (U+%(code)04X) from this text.",
                code="control_character",
                params={"code": ord(found.group())},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline


no_control_characters = NoControlCharacters()
no_control_characters_multiline = NoControlCharacters(multiline=True)
