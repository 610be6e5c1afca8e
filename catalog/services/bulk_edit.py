"""Editing the price, discount or stock of many products at once, with a preview.

One ``BulkEdit`` says what to do to every selected product: set the price or change it by a
percentage, set the discount, set each variation's stock or add to it. ``bulk_edit_preview``
computes every change without writing (what the page shows before "Apply");
``products_bulk_edit`` writes them in one transaction through the same services as a single
edit (``product_update``: the pricing rule, re-approval; the stock ledger with a reason), so a
refusal anywhere (a stock that would go below zero, a price that would reach zero) writes
nothing at all.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from catalog import limits
from catalog.errors import CatalogError, CatalogErrorCode
from catalog.models import Product, StockReason
from catalog.services.products import product_update
from catalog.services.stock import stock_adjust, stock_set
from core.money import money_format, quantize_money
from users.models import User

PRICE_SET, PRICE_PERCENT = "set", "percent"
#: The most a price can be (the column's 12 digits, 2 after the point).
PRICE_MAX = Decimal("9999999999.99")
STOCK_SET, STOCK_ADD = "set", "add"


@dataclass(frozen=True)
class BulkEdit:
    price_mode: str = ""  # "", PRICE_SET or PRICE_PERCENT
    price_value: Decimal | None = None
    discount_percent: Decimal | None = None  # None: unchanged
    stock_mode: str = ""  # "", STOCK_SET or STOCK_ADD
    stock_value: int | None = None
    reason: str = StockReason.MANUAL
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.price_mode and self.discount_percent is None and not self.stock_mode


@dataclass(frozen=True)
class Change:
    product: Product
    what: str  # "price", "discount %", or the variation's label for stock
    before: object
    after: object
    variation: object = None

    def _shown(self, value) -> str:
        if self.what == "price":
            return money_format(value)
        if self.what == "discount %":
            return f"{value:g} %"
        return str(value)

    @property
    def before_shown(self) -> str:
        return self._shown(self.before)

    @property
    def after_shown(self) -> str:
        return self._shown(self.after)


def _new_price(product: Product, edit: BulkEdit) -> Decimal | None:
    if edit.price_mode == PRICE_SET:
        return quantize_money(edit.price_value)
    if edit.price_mode == PRICE_PERCENT:
        return quantize_money(product.price * (1 + edit.price_value / 100))
    return None


def _new_stock(current: int, edit: BulkEdit) -> int | None:
    if edit.stock_mode == STOCK_SET:
        return edit.stock_value
    if edit.stock_mode == STOCK_ADD:
        return current + edit.stock_value
    return None


def bulk_edit_preview(*, products, edit: BulkEdit) -> list[Change]:
    """Every change ``edit`` makes to ``products`` (only real changes), without writing.
    Raises ``CatalogError`` naming the product when one would be refused."""
    changes: list[Change] = []
    for product in products:
        price = _new_price(product, edit)
        if price is not None and price != product.price:
            if not 0 < price <= PRICE_MAX:
                raise CatalogError(
                    f"“{product.name}” would cost {price}: a price must be above 0 and at most "
                    f"{PRICE_MAX}.",
                    code=CatalogErrorCode.PRICE_OUT_OF_RANGE,
                )
            changes.append(Change(product, "price", product.price, price))
        if edit.discount_percent is not None and edit.discount_percent != product.discount_percent:
            changes.append(
                Change(product, "discount %", product.discount_percent, edit.discount_percent)
            )
        if edit.stock_mode:
            for variation in product.variations.all():
                stock = _new_stock(variation.stock, edit)
                if stock == variation.stock:
                    continue
                if not 0 <= stock <= limits.STOCK_MAX:
                    raise CatalogError(
                        f"“{product.name}” {variation.label or ''}: stock would be {stock}; it "
                        f"must stay between 0 and {limits.STOCK_MAX}.",
                        code=CatalogErrorCode.INSUFFICIENT_STOCK,
                    )
                changes.append(
                    Change(product, variation.label or "stock", variation.stock, stock, variation)
                )
    return changes


@transaction.atomic
def products_bulk_edit(*, products, edit: BulkEdit, actor: User) -> list[Change]:
    """Apply ``edit`` to ``products`` (re-read and locked), all or nothing. Returns the changes
    made. A stock changed since the preview is applied to what it is now (a sale in between
    is never overwritten: "set" compares with the stock just read, under the row lock)."""
    locked = list(
        Product.objects.select_for_update()
        .filter(pk__in=[p.pk for p in products])
        .prefetch_related("variations")
        .order_by("pk")
    )
    changes = bulk_edit_preview(products=locked, edit=edit)
    fields: dict[int, dict] = {}
    for change in changes:
        if change.variation is not None:
            delta = change.after - change.before
            if edit.stock_mode == STOCK_ADD:
                stock_adjust(variation=change.variation, delta=delta, reason=edit.reason,
                             actor=actor, note=edit.note)
            else:
                stock_set(variation=change.variation, stock=change.after,
                          expected_stock=change.before, reason=edit.reason, actor=actor,
                          note=edit.note)
        else:
            name = "price" if change.what == "price" else "discount_percent"
            fields.setdefault(change.product.pk, {})[name] = change.after
    by_pk = {product.pk: product for product in locked}
    for pk, product_changes in fields.items():
        product_update(product=by_pk[pk], actor=actor, **product_changes)
    return changes
