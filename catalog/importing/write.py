"""Write an import plan in one transaction, with bulk statements.

New products and variations are bulk-created, changed ones bulk-updated; the stock family
records the opening stock of new variations (``stock_record_new``) and sets changed stock
(``stock_set_many``): ledger rows with reason "import", inventory, and one low-stock alert pass
for the whole import. The bulk SQL asks ``catalog.approval`` the same questions a single write
does: the starting status (channel IMPORT), whether an edit needs re-approval, the audit rows
and the staff notification.
"""

import uuid
from dataclasses import dataclass, field

from django.db import transaction

from catalog.approval import (
    ProductChannel,
    approval_needs_reapproval,
    approval_notify_staff,
    approval_record_many,
    approval_status_for_new,
)
from catalog.importing.plan import ImportPlan, ProductPlan
from catalog.models import ApprovalStatus, Product, StockReason, Variation
from catalog.services import category_get_or_create_path
from catalog.services.categories import slug_base
from catalog.services.stock import low_stock_alert, stock_record_new, stock_set_many
from users.models import User

BATCH = 1000
REAPPROVAL_REASON = "Edited after approval"  # as a single edit's audit row says


@dataclass
class WriteResult:
    products_created: int = 0
    products_updated: int = 0
    variations_created: int = 0
    variations_updated: int = 0
    stock_movements: int = 0
    image_product_ids: list[str] = field(default_factory=list)  # written, naming images


def _new_slugs(plans: list[ProductPlan]) -> list[str]:
    """Unique slugs for many new products: one query per 1,000 names, not one per product."""
    bases = [slug_base(p.fields["name"], max_length=220) for p in plans]
    taken: set[str] = set()
    unique_bases = sorted(set(bases))
    for start in range(0, len(unique_bases), BATCH):
        chunk = unique_bases[start : start + BATCH]
        taken.update(Product.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            if n == 2 and Product.objects.filter(slug__startswith=f"{base}-").exists():
                taken.update(
                    Product.objects.filter(slug__startswith=f"{base}-").values_list(
                        "slug", flat=True
                    )
                )
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _notify_staff(waiting: list[Product]) -> None:
    """One staff notification per manufacturer for the products this import sent to approval
    (new ones pending, approved ones edited)."""
    by_manufacturer: dict[int, list[Product]] = {}
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
    result = WriteResult()
    products = [p for p in plan.products if not p.has_error]
    categories: dict = {}

    def category_id(path: tuple[str, ...]) -> int:
        return category_get_or_create_path(names=list(path), cache=categories).pk

    # Products
    new = [p for p in products if p.action == "create"]
    status = approval_status_for_new(actor=actor, channel=ProductChannel.IMPORT)
    created = []
    for plan_item, slug in zip(new, _new_slugs(new), strict=True):
        fields = plan_item.fields
        created.append(
            Product(
                id=uuid.uuid4(),
                manufacturer_id=plan_item.manufacturer_id,
                handle=plan_item.handle,
                slug=slug,
                name=fields["name"],
                description=fields.get("description") or "",
                price=fields["price"],
                discount_percent=fields.get("discount_percent") or 0,
                category_id=category_id(fields["category"]),
                is_active=fields.get("is_active", True) if fields.get("is_active") is not None
                else True,
                approval_status=status,
            )
        )
    Product.objects.bulk_create(created, batch_size=BATCH)
    approval_record_many(product_ids=[p.id for p in created], from_status=ApprovalStatus.DRAFT,
                         to_status=status, actor=actor, reason=note)
    product_ids = {(p.manufacturer_id, p.handle): p.id for p in created}
    result.products_created = len(created)

    changed_products, changed_fields, resubmitted = [], set(), []
    for plan_item in products:
        if plan_item.action != "update" or plan_item.existing is None:
            continue
        product_ids[(plan_item.manufacturer_id, plan_item.handle)] = plan_item.existing["id"]
        if not plan_item.changed:
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
                product.category_id = category_id(value)
                changed_fields.add("category")
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
    for plan_item in products:
        if plan_item.action == "unchanged" and plan_item.existing is not None:
            product_ids[(plan_item.manufacturer_id, plan_item.handle)] = plan_item.existing["id"]

    # Variations, a chunk of products at a time (memory stays flat with the file's size).
    updated, stock, new_ids, ledger_rows = [], {}, [], 0
    for start in range(0, len(products), BATCH // 4):
        new_variations, product_names = [], {}
        for plan_item in products[start : start + BATCH // 4]:
            product_id = product_ids[(plan_item.manufacturer_id, plan_item.handle)]
            product_names[product_id] = (
                plan_item.fields.get("name") or plan_item.existing["name"]
            )
            for variation in plan_item.variations:
                if variation.existing is None:
                    row = Variation(
                        product_id=product_id,
                        manufacturer_id=plan_item.manufacturer_id,
                        size=variation.size,
                        color=variation.color,
                        sku=variation.sku,
                        stock=variation.stock or 0,
                    )
                    if variation.low_stock_threshold is not None:
                        row.low_stock_threshold = variation.low_stock_threshold
                    new_variations.append(row)
                elif variation.action == "update":
                    _plan_variation_update(variation, updated, stock)
        Variation.objects.bulk_create(new_variations, batch_size=BATCH)
        new_ids += [v.pk for v in new_variations]
        ledger_rows += stock_record_new(
            variations=new_variations,
            product_names=product_names,
            reason=StockReason.IMPORT,
            actor=actor,
            note=note,
            alert=False,  # once for the whole import, below
        )
    Variation.objects.bulk_update(
        updated, ["size", "color", "sku", "low_stock_threshold"], batch_size=BATCH
    )
    result.variations_created, result.variations_updated = len(new_ids), len(updated)
    result.stock_movements = ledger_rows + stock_set_many(
        targets=stock, reason=StockReason.IMPORT, actor=actor, note=note, alert=False
    )
    # One alert computation per import: one summary per manufacturer, not one per chunk.
    low_stock_alert(variation_ids=new_ids + list(stock))
    result.image_product_ids = [
        str(product_ids[(p.manufacturer_id, p.handle)]) for p in products if p.image_urls
    ]
    _notify_staff(
        [p for p in created if p.approval_status == ApprovalStatus.PENDING] + resubmitted
    )
    return result
