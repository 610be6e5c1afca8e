"""Writes of products, their variations and images, and the approval workflow."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from catalog.errors import CatalogError, CatalogErrorCode
from catalog.images import image_renditions, image_validate
from catalog.models import (
    ApprovalStatus,
    Category,
    Product,
    ProductImage,
    ProductStatusChange,
    StockMovement,
    StockReason,
    Variation,
)
from catalog.services.categories import unique_slug
from catalog.services.stock import low_stock_check, stock_adjust, stock_set
from notifications.services import notify
from users.models import User


def _require_manufacturer(user: User) -> None:
    if not user.is_manufacturer:
        raise CatalogError(
            f"{user.email} is not a manufacturer.",
            code=CatalogErrorCode.NOT_A_MANUFACTURER,
            field="manufacturer",
        )


@transaction.atomic
def product_create(
    *,
    manufacturer: User,
    actor: User,
    name: str,
    price: Decimal,
    category: Category,
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
) -> Product:
    """Create a product with its variations (or its own stock) and images.

    A manufacturer's product starts as a draft, or pending approval with ``submit``; staff may
    ``approve`` it at once.
    """
    _require_manufacturer(manufacturer)
    if stock is None and not variations:
        raise CatalogError(
            "You must provide either a stock value or at least one variation.",
            code=CatalogErrorCode.STOCK_OR_VARIATIONS_REQUIRED,
            field=NON_FIELD_ERRORS,
        )
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
    for spec in variations or [{"size": "", "color": "", "stock": stock}]:
        variation_create(product=product, actor=actor, stock_reason=stock_reason, **spec)
    for position, image in enumerate(images):
        product_image_add(product=product, actor=actor, file=image, position=position)
    if approve:
        _transition(product=product, actor=actor, to=ApprovalStatus.APPROVED)
    elif submit:
        product_submit(product=product, actor=actor)
    product.refresh_from_db()
    return product


REAPPROVAL_FIELDS = {"name", "description", "price", "discount_percent"}
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
        _require_manufacturer(product.manufacturer)
    product.full_clean(exclude=["slug"])
    product.save(update_fields=[*changed, "updated_at"])
    if "manufacturer" in changed:
        # Keep the copy on the variations (SKU uniqueness and scoping use it).
        product.variations.update(manufacturer=product.manufacturer)
        StockMovement.objects.filter(product=product).update(manufacturer=product.manufacturer)
    if REAPPROVAL_FIELDS & set(changed):
        _maybe_send_back_to_approval(product=product, actor=actor)
    return product


def _maybe_send_back_to_approval(*, product: Product, actor: User) -> None:
    if (
        settings.CATALOG_REAPPROVE_ON_EDIT
        and not actor.is_staff
        and product.approval_status == ApprovalStatus.APPROVED
    ):
        _transition(
            product=product,
            actor=actor,
            to=ApprovalStatus.PENDING,
            reason="Edited after approval",
        )
        _notify_staff_of_submission(product=product)


@transaction.atomic
def product_delete(*, product: Product, actor: User) -> None:
    """Delete a product; its stock history stays in the ledger under the product's name."""
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
    size, color, sku = size.strip(), color.strip(), (sku or "").strip()
    stock = int(stock or 0)
    holder = _default_variation(product) if (size or color) else None
    if holder is not None:
        holder.size, holder.color, holder.sku = size, color, sku
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
    variation.full_clean()
    variation.save()
    if stock:
        stock_adjust(
            variation=variation, delta=stock, reason=stock_reason, actor=actor, note="Initial stock"
        )
    else:
        low_stock_check(variation=variation, stock=0)
    return variation


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
    variation.size, variation.color, variation.sku = size.strip(), color.strip(), sku.strip()
    variation.price_override = price_override
    threshold_changed = variation.low_stock_threshold != low_stock_threshold
    variation.low_stock_threshold = low_stock_threshold
    variation.full_clean()
    variation.save(
        update_fields=["size", "color", "sku", "price_override", "low_stock_threshold"]
    )
    if threshold_changed:
        low_stock_check(variation=variation, stock=variation.stock)
    return variation


@transaction.atomic
def variation_delete(*, variation: Variation, actor: User) -> None:
    """Remove a variation; its stock leaves through the ledger first. The last one stays."""
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
    _maybe_send_back_to_approval(product=product, actor=actor)
    return image


@transaction.atomic
def product_image_delete(*, image: ProductImage, actor: User) -> None:
    product = image.product
    for field in (image.original, image.medium, image.thumbnail):
        if field:
            # Files go after commit: a rolled-back delete must not lose them.
            name, storage = field.name, field.storage
            transaction.on_commit(lambda n=name, s=storage: s.delete(n))
    image.delete()
    _maybe_send_back_to_approval(product=product, actor=actor)


_ALLOWED_FROM = {
    ApprovalStatus.PENDING: {ApprovalStatus.DRAFT, ApprovalStatus.REJECTED, ApprovalStatus.APPROVED},
    ApprovalStatus.APPROVED: {ApprovalStatus.PENDING, ApprovalStatus.DRAFT, ApprovalStatus.REJECTED},
    ApprovalStatus.REJECTED: {ApprovalStatus.PENDING, ApprovalStatus.APPROVED},
}


def _transition(
    *, product: Product, actor: User, to: ApprovalStatus, reason: str = ""
) -> Product:
    """Move ``product`` to status ``to`` if its current status allows it (a conditional update,
    so two moderators acting at once cannot both succeed) and record who did it."""
    allowed_from = _ALLOWED_FROM[to]
    current = product.approval_status
    updated = Product.objects.filter(pk=product.pk, approval_status__in=allowed_from).update(
        approval_status=to, rejection_reason=reason if to == ApprovalStatus.REJECTED else ""
    )
    if updated != 1:
        current = Product.objects.values_list("approval_status", flat=True).get(pk=product.pk)
        raise CatalogError(
            f"“{product.name}” is {ApprovalStatus(current).label.lower()} and cannot become "
            f"{ApprovalStatus(to).label.lower()}.",
            code=CatalogErrorCode.INVALID_TRANSITION,
        )
    ProductStatusChange.objects.create(
        product=product, from_status=current, to_status=to, actor=actor, reason=reason
    )
    product.approval_status = to
    product.rejection_reason = reason if to == ApprovalStatus.REJECTED else ""
    return product


def _manufacturer_name(user: User) -> str:
    profile = getattr(user, "manufacturer_profile", None)
    return profile.display_name if profile else user.email


def _notify_staff_of_submission(*, product: Product) -> None:
    staff = User.objects.filter(is_staff=True, is_active=True)
    notify(
        event="product_submitted",
        recipients=list(staff),
        context={
            "product_name": product.name,
            "manufacturer_name": _manufacturer_name(product.manufacturer),
        },
        link=f"/admin/catalog/pendingproduct/{product.pk}/change/",
    )


@transaction.atomic
def product_submit(*, product: Product, actor: User) -> Product:
    """A manufacturer asks for approval; staff are told."""
    _transition(product=product, actor=actor, to=ApprovalStatus.PENDING)
    _notify_staff_of_submission(product=product)
    return product


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise CatalogError(
            "Only staff can approve or reject products.", code=CatalogErrorCode.STAFF_ONLY
        )


@transaction.atomic
def product_approve(*, product: Product, actor: User) -> Product:
    _require_staff(actor)
    _transition(product=product, actor=actor, to=ApprovalStatus.APPROVED)
    notify(
        event="product_approved",
        recipients=[product.manufacturer],
        context={"product_name": product.name},
        link=f"/admin/catalog/product/{product.pk}/change/",
    )
    return product


@transaction.atomic
def product_reject(*, product: Product, actor: User, reason: str) -> Product:
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise CatalogError(
            "Say why the product is rejected: the manufacturer sees the reason.",
            code=CatalogErrorCode.REASON_REQUIRED,
            field="reason",
        )
    _transition(product=product, actor=actor, to=ApprovalStatus.REJECTED, reason=reason)
    notify(
        event="product_rejected",
        recipients=[product.manufacturer],
        context={"product_name": product.name, "reason": reason},
        link=f"/admin/catalog/product/{product.pk}/change/",
    )
    return product


def products_moderate(
    *, products, actor: User, approve: bool, reason: str = ""
) -> tuple[list[Product], list[tuple[Product, str]]]:
    """Approve or reject many products, each in its own transaction.

    Returns (done, skipped with the reason each was skipped).
    """
    done, skipped = [], []
    for product in products:
        try:
            if approve:
                product_approve(product=product, actor=actor)
            else:
                product_reject(product=product, actor=actor, reason=reason)
        except CatalogError as exc:
            skipped.append((product, exc.messages[0]))
        else:
            done.append(product)
    return done, skipped
