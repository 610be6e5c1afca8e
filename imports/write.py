"""Write an import plan in one transaction, with bulk statements.

Missing categories are created in one pass (``category_paths_ensure``). New products and
variations go in with ``rows_insert`` (COPY on PostgreSQL, one prepared executemany on SQLite:
``bulk_create``'s model instances were most of an import's time), changed ones are
bulk-updated; the stock family records the opening stock of new variations
(``stock_record_new``) and sets changed stock (``stock_set_many``): ledger rows with reason
"import", inventory, and one low-stock alert pass for the whole import (one summary per
manufacturer, not one per chunk). ``WriteResult.seconds`` says where the time went. The bulk SQL asks ``catalog.approval`` the same questions a single write
does: the starting status (channel IMPORT), whether an edit needs re-approval, the audit rows
and the staff notification.
"""

import contextlib
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction

from catalog.approval import (
    ProductChannel,
    approval_needs_reapproval,
    approval_notify_staff,
    approval_record_many,
    approval_status_for_new,
)
from catalog.models import ApprovalStatus, Product, StockReason, Variation
from catalog.services.categories import category_paths_ensure
from catalog.services.slugs import slug_base, unique_slugs
from catalog.services.stock import low_stock_alert, stock_record_new, stock_set_many
from catalog.services.stock.alerts import low_stock_candidates_new
from catalog.version import catalogue_changed
from core.bulk_insert import ids_reserve, rows_insert
from core.ids import time_ordered_uuid
from imports.plan import ImportPlan, ProductPlan
from users.models import User

BATCH = 1000
VARIATION_CHUNK = 2000  # products whose new variations are written (and read back) at once
PRODUCT_COLUMNS = ["id", "manufacturer_id", "handle", "slug", "name", "description", "price",
                   "discount_percent", "category_id", "is_active", "approval_status"]
VARIATION_COLUMNS = ["id", "product_id", "manufacturer_id", "size", "color", "sku", "stock",
                     "low_stock_threshold"]
REAPPROVAL_REASON = "Edited after approval"  # as a single edit's audit row says


@dataclass
class WriteResult:
    products_created: int = 0
    products_updated: int = 0
    variations_created: int = 0
    variations_updated: int = 0
    stock_movements: int = 0
    # The image addresses of the products written, by product id (the image step's list).
    image_urls: dict[str, list[str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per phase


class NewProduct(NamedTuple):
    """A product this import created, as the staff notification names it."""

    pk: uuid.UUID
    manufacturer_id: int
    handle: str
    name: str
    approval_status: str


class NewVariation(NamedTuple):
    """A variation this import creates: its row (``VARIATION_COLUMNS``) and what the stock
    family records of it (no model instance: 100k of them cost seconds)."""

    pk: int | None
    product_id: uuid.UUID
    manufacturer_id: int
    size: str
    color: str
    sku: str
    stock: int
    low_stock_threshold: int

    @property
    def label(self) -> str:
        return " / ".join(part for part in (self.size, self.color) if part)


@contextlib.contextmanager
def _phase(result: WriteResult, name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        result.seconds[name] = result.seconds.get(name, 0.0) + time.perf_counter() - started


def _new_slugs(plans: list[ProductPlan]) -> list[str]:
    """Unique slugs for many new products (``-2``, ``-3`` ... when taken, as for one product),
    found by exact look-ups: the cost does not grow with the catalogue or with the names
    other manufacturers already use (``catalog.services.slugs``)."""
    return unique_slugs(Product, [slug_base(p.fields["name"], max_length=220) for p in plans])


def _notify_staff(waiting: list) -> None:
    """One staff notification per manufacturer for the products this import sent to approval
    (new ones pending, approved ones edited)."""
    by_manufacturer: dict[int, list] = {}
    for product in waiting:
        by_manufacturer.setdefault(product.manufacturer_id, []).append(product)
    manufacturers = User.objects.in_bulk(list(by_manufacturer))
    for manufacturer_id, products in by_manufacturer.items():
        approval_notify_staff(products=products, manufacturer=manufacturers[manufacturer_id])


def _plan_variation_update(variation, updated: list, stock: dict) -> None:
    existing = variation.existing
    if {"size/color", "sku", "low_stock_threshold"} & set(variation.changed):
        updated.append(
            Variation(
                id=existing["id"],
                size=variation.size,
                color=variation.color,
                sku=variation.sku or existing["sku"],
                low_stock_threshold=(
                    variation.low_stock_threshold
                    if variation.low_stock_threshold is not None
                    else existing["low_stock_threshold"]
                ),
            )
        )
    if "stock" in variation.changed:
        stock[existing["id"]] = variation.stock


@transaction.atomic
def write_plan(plan: ImportPlan, *, actor: User, note: str) -> WriteResult:
    """Write every error-free product of ``plan`` (callers decide whether errors block)."""
    catalogue_changed()
    result = WriteResult()
    products = [p for p in plan.products if not p.has_error]
    with _phase(result, "categories"):
        category_ids = category_paths_ensure(paths=[
            p.fields["category"] for p in products
            if p.fields.get("category") and (p.action == "create" or "category" in p.changed)
        ])
    with _phase(result, "products"):
        created, product_ids = _create_products(products, category_ids, actor=actor, note=note)
        resubmitted = _update_products(products, category_ids, actor=actor, result=result)
    result.products_created = len(created)
    with _phase(result, "variations"):
        alert_ids, stocked_ids = _write_variations(products, product_ids, actor=actor,
                                                 note=note, result=result)
    with _phase(result, "alerts"):
        # One alert computation per import: one summary per manufacturer, not one per chunk.
        low_stock_alert(variation_ids=alert_ids + stocked_ids)
        result.image_urls = {
            str(product_ids[(p.manufacturer_id, p.handle)]): p.image_urls
            for p in products if p.image_urls
        }
        _notify_staff(
            [p for p in created if p.approval_status == ApprovalStatus.PENDING] + resubmitted
        )
    return result


def _create_products(products: list[ProductPlan], category_ids: dict, *, actor: User,
                     note: str) -> tuple[list[NewProduct], dict]:
    """Insert the new products; returns them (for the staff notification) and
    (manufacturer, handle) -> id of every product the import writes to."""
    new = [p for p in products if p.action == "create"]
    status = approval_status_for_new(actor=actor, channel=ProductChannel.IMPORT)
    rows, created = [], []
    for plan_item, slug in zip(new, _new_slugs(new), strict=True):
        fields = plan_item.fields
        is_active = fields.get("is_active")
        product_id = time_ordered_uuid()
        rows.append((
            product_id, plan_item.manufacturer_id, plan_item.handle, slug, fields["name"],
            fields.get("description") or "", fields["price"],
            fields.get("discount_percent") or Decimal(0),
            category_ids[tuple(n.lower() for n in fields["category"])],
            True if is_active is None else is_active, status,
        ))
        created.append(NewProduct(product_id, plan_item.manufacturer_id, plan_item.handle,
                                  fields["name"], status))
    rows_insert(Product, columns=PRODUCT_COLUMNS, rows=rows)
    del rows
    approval_record_many(product_ids=[p.pk for p in created], from_status=ApprovalStatus.DRAFT,
                         to_status=status, actor=actor, reason=note)
    product_ids = {(p.manufacturer_id, p.handle): p.pk for p in created}
    for plan_item in products:
        if plan_item.existing is not None:
            product_ids[(plan_item.manufacturer_id, plan_item.handle)] = plan_item.existing["id"]
    return created, product_ids


def _update_products(products: list[ProductPlan], category_ids: dict, *, actor: User,
                     result: WriteResult) -> list[Product]:
    """Write the changed product columns; returns the products sent back to approval."""
    changed_products, changed_fields, resubmitted = [], set(), []
    for plan_item in products:
        if plan_item.action != "update" or plan_item.existing is None or not plan_item.changed:
            continue
        existing = plan_item.existing
        # Every field from its current value: bulk_update writes the union of the changed
        # fields to every row, so a field this product does not change must keep its value.
        product = Product(
            id=existing["id"],
            manufacturer_id=plan_item.manufacturer_id,
            name=existing["name"],
            description=existing["description"],
            price=existing["price"],
            discount_percent=existing["discount_percent"],
            category_id=existing["category_id"],
            is_active=existing["is_active"],
            approval_status=existing["approval_status"],
        )
        for name in plan_item.changed:
            value = plan_item.fields[name]
            if name == "category":
                product.category_id = category_ids[tuple(n.lower() for n in value)]
            else:
                setattr(product, name, value if value is not None else "")
            changed_fields.add(name)
        if approval_needs_reapproval(
            actor=actor, status=existing["approval_status"], changed_fields=plan_item.changed
        ):
            product.approval_status = ApprovalStatus.PENDING
            changed_fields.add("approval_status")
            resubmitted.append(product)
        changed_products.append(product)
    if changed_products:
        Product.objects.bulk_update(changed_products, sorted(changed_fields), batch_size=BATCH)
        approval_record_many(
            product_ids=[p.id for p in resubmitted], from_status=ApprovalStatus.APPROVED,
            to_status=ApprovalStatus.PENDING, actor=actor, reason=REAPPROVAL_REASON,
        )
    result.products_updated = len(changed_products)
    return resubmitted


def _write_variations(products: list[ProductPlan], product_ids: dict, *, actor: User,
                      note: str, result: WriteResult) -> tuple[list[int], list[int]]:
    """Insert the new variations (a chunk of products at a time, so memory stays flat), record
    their opening stock, then write the changed ones; returns the ids of the new variations
    that can alert and of those whose stock was set."""
    default_threshold = Variation._meta.get_field("low_stock_threshold").get_default()
    updated, stock, alert_ids, created = [], {}, [], 0
    for start in range(0, len(products), VARIATION_CHUNK):
        new, names = [], {}
        for plan_item in products[start : start + VARIATION_CHUNK]:
            product_id = product_ids[(plan_item.manufacturer_id, plan_item.handle)]
            for variation in plan_item.variations:
                if variation.existing is None:
                    threshold = variation.low_stock_threshold
                    new.append(NewVariation(
                        None, product_id, plan_item.manufacturer_id, variation.size,
                        variation.color, variation.sku, variation.stock or 0,
                        default_threshold if threshold is None else threshold,
                    ))
                    names[product_id] = (
                        plan_item.fields.get("name") or plan_item.existing["name"]
                    )
                elif variation.action == "update":
                    _plan_variation_update(variation, updated, stock)
        if not new:
            continue
        with _phase(result, "variation inserts"):
            # Ids taken first: the ledger rows name them, and nothing is read back.
            new = [v._replace(pk=pk) for v, pk in zip(
                new, ids_reserve(Variation, len(new)), strict=True)]
            rows_insert(Variation, columns=VARIATION_COLUMNS, rows=new)
        alert_ids += low_stock_candidates_new(new)
        created += len(new)
        with _phase(result, "ledger"):
            result.stock_movements += stock_record_new(
                variations=new, product_names=names, reason=StockReason.IMPORT, actor=actor,
                note=note, alert=False,  # once for the whole import, in write_plan
            )
    Variation.objects.bulk_update(
        updated, ["size", "color", "sku", "low_stock_threshold"], batch_size=BATCH
    )
    result.variations_created, result.variations_updated = created, len(updated)
    result.stock_movements += stock_set_many(
        targets=stock, reason=StockReason.IMPORT, actor=actor, note=note, alert=False
    )
    return alert_ids, list(stock)
