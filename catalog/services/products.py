"""Writes of products, their variations and images (approval rules: ``catalog.approval``)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from catalog.approval import (
    REAPPROVAL_FIELDS,
    ProductChannel,
    approval_needs_reapproval,
    approval_notify_staff,
    approval_status_for_new,
    approval_transition,
    manufacturer_require,
    product_owner_for_new,
    product_submit,
)
from catalog.errors import CatalogError, CatalogErrorCode
from catalog.images import image_renditions, image_validate
from catalog.models import (
    ApprovalStatus,
    Category,
    Product,
    ProductImage,
    StockMovement,
    StockReason,
    Variation,
)
from catalog.services.skus import skus_fill_blank
from catalog.services.slugs import unique_slug
from catalog.services.stock import (
    low_stock_alert,
    low_stock_alerts_batched,
    stock_adjust,
    stock_record_new,
    stock_set,
)
from catalog.services.variation_specs import (  # noqa: F401 (STOCK_OR_VARIATIONS_MESSAGE: re-exported)
    STOCK_OR_VARIATIONS_MESSAGE,
    refusal_about_spec,
    variation_spec_key,
    variation_specs_check,
    variation_specs_for,
)
from catalog.version import catalogue_changed
from users.models import User

SKU_TAKEN = "You already use this SKU on another variation."


@transaction.atomic
def product_create(
    *,
    actor: User,
    name: str,
    price: Decimal,
    category: Category,
    manufacturer: User | None = None,
    channel: ProductChannel = ProductChannel.ADMIN,
    description: str = "",
    discount_percent: Decimal = Decimal("0"),
    is_active: bool = True,
    stock: int | None = None,
    variations: list[dict] | None = None,
    images: list[UploadedFile] | tuple = (),
    submit: bool = False,
    approve: bool = False,
    stock_reason: StockReason = StockReason.MANUAL,
    handle: str = "",
    draft: bool = False,
) -> Product:
    """Create a product with its variations (or its own stock) and images.

    Its owner and starting status come from ``catalog.approval`` (per actor and ``channel``);
    ``submit`` and ``approve`` (staff only) ask for more than the channel's start; ``draft``
    keeps it a draft whoever creates it (a duplicate).
    """
    catalogue_changed()
    manufacturer = product_owner_for_new(actor=actor, manufacturer=manufacturer)
    specs = variation_specs_for(stock=stock, variations=variations)
    if approve and not actor.is_staff:
        raise CatalogError("Only staff can approve products.", code=CatalogErrorCode.STAFF_ONLY)
    product = Product(
        manufacturer=manufacturer,
        name=name.strip(),
        description=description,
        price=Decimal(price),
        discount_percent=Decimal(discount_percent or 0),
        category=category,
        is_active=is_active,
    )
    product.slug = unique_slug(Product, product.name, max_length=220)
    product.handle = unique_slug(
        Product,
        handle or product.name,
        max_length=120,
        field="handle",
        manufacturer_id=manufacturer.pk,
    )
    product.full_clean()
    product.save()
    with low_stock_alerts_batched():  # one alert for the whole product, not one per variation
        variations_create_new(product=product, actor=actor, specs=specs, stock_reason=stock_reason)
    for position, image in enumerate(images):
        product_image_add(product=product, actor=actor, file=image, position=position)
    status = ApprovalStatus.DRAFT if draft else approval_status_for_new(actor=actor, channel=channel)
    if approve or status == ApprovalStatus.APPROVED:
        approval_transition(product=product, actor=actor, to=ApprovalStatus.APPROVED)
    elif submit or status == ApprovalStatus.PENDING:
        product_submit(product=product, actor=actor)
    product.refresh_from_db()
    return product


PRODUCT_EDITABLE_FIELDS = {
    "name",
    "description",
    "price",
    "discount_percent",
    "category",
    "is_active",
}


@transaction.atomic
def product_update(*, product: Product, actor: User, **changes) -> Product:
    """Change a product's own fields (staff may also move it to another manufacturer)."""
    catalogue_changed()
    allowed = PRODUCT_EDITABLE_FIELDS | ({"manufacturer"} if actor.is_staff else set())
    unknown = set(changes) - allowed
    if unknown:
        raise CatalogError(
            f"These fields cannot be changed here: {', '.join(sorted(unknown))}.",
            code=CatalogErrorCode.STAFF_ONLY,
        )
    changed = [field for field, value in changes.items() if getattr(product, field) != value]
    if not changed:
        return product
    for field in changed:
        setattr(product, field, changes[field])
    if "manufacturer" in changed:
        manufacturer_require(product.manufacturer)
    product.full_clean(exclude=["slug"])
    product.save(update_fields=[*changed, "updated_at"])
    if "manufacturer" in changed:
        # Keep the copy on the variations (SKU uniqueness and scoping use it).
        product.variations.update(manufacturer=product.manufacturer)
        StockMovement.objects.filter(product=product).update(manufacturer=product.manufacturer)
    product_reapprove_if_needed(product=product, actor=actor, changed_fields=set(changed))
    return product


def product_reapprove_if_needed(*, product: Product, actor: User, changed_fields: set[str]) -> None:
    """Send an edited approved product back to approval when ``catalog.approval`` says so."""
    if approval_needs_reapproval(
        actor=actor, status=product.approval_status, changed_fields=changed_fields
    ):
        approval_transition(
            product=product,
            actor=actor,
            to=ApprovalStatus.PENDING,
            reason="Edited after approval",
        )
        approval_notify_staff(products=[product], manufacturer=product.manufacturer)


@transaction.atomic
def product_delete(*, product: Product, actor: User) -> None:
    """Delete a product; its stock history stays in the ledger under the product's name."""
    catalogue_changed()
    product.delete()


def _default_variation(product: Product) -> Variation | None:
    return product.variations.filter(size="", color="").first()


@transaction.atomic
def variation_create(
    *,
    product: Product,
    actor: User,
    size: str = "",
    color: str = "",
    sku: str = "",
    stock: int | None = 0,
    price_override: Decimal | None = None,
    low_stock_threshold: int | None = None,
    stock_reason: StockReason = StockReason.MANUAL,
) -> Variation:
    """Add a variation; its initial stock is written to the ledger like any other change.

    The first sized variation of a product that only had its own stock takes over that
    stock holder (so its history continues) instead of leaving a blank variation behind.
    """
    catalogue_changed()
    size, color, sku = size.strip(), color.strip(), (sku or "").strip()
    stock = int(stock or 0)
    holder = _default_variation(product) if (size or color) else None
    if holder is not None:
        holder.size, holder.color, holder.sku = size, color, sku
        skus_fill_blank(
            manufacturer_id=product.manufacturer_id, product_name=product.name,
            variations=[holder], exclude_pk=holder.pk,
        )
        holder.price_override = price_override
        if low_stock_threshold is not None:
            holder.low_stock_threshold = low_stock_threshold
        holder.full_clean()
        holder.save()
        stock_set(
            variation=holder,
            stock=stock,
            expected_stock=holder.stock,
            reason=stock_reason,
            actor=actor,
            note="Stock set for the new variation",
        )
        return holder
    variation = Variation(
        product=product,
        manufacturer_id=product.manufacturer_id,
        size=size,
        color=color,
        sku=sku,
        stock=0,
        price_override=price_override,
    )
    if low_stock_threshold is not None:
        variation.low_stock_threshold = low_stock_threshold
    skus_fill_blank(
        manufacturer_id=product.manufacturer_id, product_name=product.name, variations=[variation]
    )
    variation.full_clean()
    variation.save()
    if stock:
        stock_adjust(
            variation=variation, delta=stock, reason=stock_reason, actor=actor, note="Initial stock"
        )
    else:
        low_stock_alert(variation_ids=[variation.pk])
    return variation


def variations_create_new(
    *, product: Product, actor: User, specs: list[dict], stock_reason: StockReason
) -> list[Variation]:
    """The variations of a product just created, in a few statements whatever their number
    (``variation_create`` one by one cost ~10 queries each: 200 variations held SQLite's write
    lock for seconds). Each row is checked like ``full_clean``; SKUs are checked against each
    other and the manufacturer's other variations in one query. The opening stock goes to the
    ledger (``stock_record_new``); a refusal carries the ``spec_index`` of its row."""
    variations = []
    for index, spec in enumerate(specs):
        variation = Variation(
            product=product,
            manufacturer_id=product.manufacturer_id,
            size=(spec.get("size") or "").strip(),
            color=(spec.get("color") or "").strip(),
            sku=(spec.get("sku") or "").strip(),
            stock=int(spec.get("stock") or 0),
            price_override=spec.get("price_override"),
        )
        if spec.get("low_stock_threshold") is not None:
            variation.low_stock_threshold = spec["low_stock_threshold"]
        with refusal_about_spec(index):
            # Its product (just saved) and manufacturer are known: no existence query per row.
            variation.full_clean(
                exclude=["product", "manufacturer"], validate_unique=False,
                validate_constraints=False,
            )
        variations.append(variation)
    # The SKUs given are checked first; the blank ones then get made-up SKUs that are free.
    skus = [v.sku for v in variations if v.sku]
    taken = set(
        Variation.objects.filter(manufacturer_id=product.manufacturer_id, sku__in=skus)
        .values_list("sku", flat=True)
    )
    seen: set[str] = set()
    for index, variation in enumerate(variations):
        if variation.sku and (variation.sku in taken or variation.sku in seen):
            with refusal_about_spec(index):
                raise ValidationError({"sku": [SKU_TAKEN]})
        seen.add(variation.sku)
    skus_fill_blank(
        manufacturer_id=product.manufacturer_id, product_name=product.name, variations=variations
    )
    created = Variation.objects.bulk_create(variations)
    stock_record_new(
        variations=created,
        product_names={product.pk: product.name},
        reason=stock_reason,
        actor=actor,
        note="Initial stock",
    )
    return created


@transaction.atomic
def variation_update(
    *,
    variation: Variation,
    actor: User,
    size: str,
    color: str,
    sku: str,
    price_override: Decimal | None,
    low_stock_threshold: int,
) -> Variation:
    """Change a variation's description; stock changes go through stock_set/stock_adjust."""
    catalogue_changed()
    variation.size, variation.color, variation.sku = size.strip(), color.strip(), sku.strip()
    skus_fill_blank(
        manufacturer_id=variation.manufacturer_id, product_name=variation.product.name,
        variations=[variation], exclude_pk=variation.pk,
    )
    variation.price_override = price_override
    threshold_changed = variation.low_stock_threshold != low_stock_threshold
    variation.low_stock_threshold = low_stock_threshold
    variation.full_clean()
    variation.save(update_fields=["size", "color", "sku", "price_override", "low_stock_threshold"])
    if threshold_changed:
        low_stock_alert(variation_ids=[variation.pk])
    return variation


@transaction.atomic
def variation_delete(*, variation: Variation, actor: User) -> None:
    """Remove a variation; its stock leaves through the ledger first. The last one stays."""
    catalogue_changed()
    if Variation.objects.filter(product_id=variation.product_id).count() <= 1:
        raise CatalogError(
            "A product needs at least one variation (or its own stock). Set its stock to 0 "
            "instead, or delete the product.",
            code=CatalogErrorCode.LAST_VARIATION,
        )
    current = Variation.objects.values_list("stock", flat=True).get(pk=variation.pk)
    if current:
        # Its stock leaves through the ledger, but a variation being removed is not "low on
        # stock": mark it alerted first so emptying it sends no low-stock email.
        Variation.objects.filter(pk=variation.pk).update(low_stock_notified=True)
        variation.low_stock_notified = True
        stock_set(
            variation=variation,
            stock=0,
            expected_stock=current,
            reason=StockReason.MANUAL,
            actor=actor,
            note="Variation removed",
        )
    variation.delete()


@transaction.atomic
def product_image_add(
    *,
    product: Product,
    actor: User,
    file: UploadedFile,
    alt_text: str = "",
    position: int | None = None,
) -> ProductImage:
    """Validate an upload (a real image, allowed format and size) and store its renditions."""
    catalogue_changed()
    try:
        image_validate(file)
    except ValidationError as exc:
        raise ValidationError({"original": exc.messages}) from None
    if position is None:
        last = product.images.aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
    renditions = image_renditions(file)
    image = ProductImage(product=product, alt_text=alt_text or product.name, position=position)
    image.original.save(file.name, file, save=False)
    image.medium.save(renditions["medium"].name, renditions["medium"], save=False)
    image.thumbnail.save(renditions["thumbnail"].name, renditions["thumbnail"], save=False)
    image.save()
    product_reapprove_if_needed(product=product, actor=actor, changed_fields={"images"})
    return image


@transaction.atomic
def product_image_delete(*, image: ProductImage, actor: User) -> None:
    catalogue_changed()
    product = image.product
    for field in (image.original, image.medium, image.thumbnail):
        if field:
            # Files go after commit: a rolled-back delete must not lose them.
            name, storage = field.name, field.storage
            transaction.on_commit(lambda n=name, s=storage: s.delete(n))
    image.delete()
    product_reapprove_if_needed(product=product, actor=actor, changed_fields={"images"})


__all__ = [
    "PRODUCT_EDITABLE_FIELDS",
    "REAPPROVAL_FIELDS",
    "STOCK_OR_VARIATIONS_MESSAGE",
    "product_create",
    "product_delete",
    "product_image_add",
    "product_image_delete",
    "product_reapprove_if_needed",
    "product_update",
    "refusal_about_spec",
    "variation_create",
    "variation_delete",
    "variation_spec_key",
    "variation_specs_check",
    "variation_specs_for",
    "variation_update",
    "variations_create_new",
]
