"""Whole-product writes of the manufacturer product API (docs/api.md#manufacturer-product-api).

The seed's add-product / update-product / put-product take a product with its category path,
its stock or variations and its images in one request; "on update, existing images/variations
are cleared and replaced if new ones are given". These functions do that with the catalogue's
own services, in one transaction: the category path through ``category_get_or_create_path``,
every stock change through the ledger (reason "manual"), so ``inventory`` and the low-stock
alerts stay right, and images through the validated image services.

Replacing variations keeps the rows whose size and colour are asked for again (their stock is
*set*, their history continues), adds the new ones and removes the others (their stock leaves
through the ledger first). A product sent with ``stock`` only becomes a product without
variations: one blank variation carries the stock.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from catalog.approval import ProductChannel, product_submit
from catalog.errors import CatalogError, CatalogErrorCode
from catalog.models import ApprovalStatus, Category, Product, StockReason, Variation
from catalog.services.categories import category_get_or_create_path
from catalog.services.products import (
    product_create,
    product_image_add,
    product_image_delete,
    product_update,
    refusal_about_spec,
    variation_create,
    variation_delete,
    variation_spec_key,
    variation_specs_check,
    variation_specs_for,
    variation_update,
)
from catalog.services.stock import low_stock_alerts_batched, stock_set
from users.models import User

API_NOTE = "Set through the product API"


@dataclass(frozen=True)
class CategoryRef:
    """A category as the API names it: an existing id, or a path of names (root first)."""

    id: int | None = None
    names: tuple[str, ...] = field(default_factory=tuple)


def category_resolve(*, ref: CategoryRef) -> Category:
    """The category ``ref`` names; a path's missing levels are created (the seed's rule)."""
    if ref.id is not None:
        category = Category.objects.filter(pk=ref.id).first()
        if category is None:
            raise CatalogError(
                f"There is no category with id {ref.id}.",
                code=CatalogErrorCode.CATEGORY_UNKNOWN,
                field="category",
            )
        return category
    return category_get_or_create_path(names=list(ref.names))


@transaction.atomic
def variations_apply(
    *, product: Product, actor: User, specs: list[dict], note: str = API_NOTE
) -> None:
    """Make the product's variations exactly ``specs``; the others are removed (their stock
    leaves through the ledger first).

    Each spec: size, color and optionally sku, price_override, low_stock_threshold, stock. A
    spec with an ``id`` changes that variation of the product (the admin's rows); one without
    is matched by size and colour (case-insensitive), else created. ``stock`` is set through
    the ledger; with ``expected_stock`` (the stock the writer saw) a sale meanwhile refuses the
    write; a spec without ``stock`` leaves it alone, one with ``keep`` is left as it is. A
    refusal carries ``spec_index``, the position of the spec it is about. The low-stock rule
    runs once for the whole set (one alert, however many variations cross).
    """
    variation_specs_check(specs)
    with low_stock_alerts_batched():
        _variations_apply(product=product, actor=actor, specs=specs, note=note)


def _variations_apply(*, product: Product, actor: User, specs: list[dict], note: str) -> None:
    rows = list(Variation.objects.select_for_update().filter(product=product).order_by("pk"))
    by_id = {v.pk: v for v in rows}
    by_key = {variation_spec_key({"size": v.size, "color": v.color}): v for v in rows}
    kept, new_specs = set(), []
    for index, spec in enumerate(specs):
        spec = {k: v for k, v in spec.items() if k not in ("id", "expected_stock")} | {
            "_index": index,
            "_id": spec.get("id"),
            "_expected": spec.get("expected_stock"),
        }
        variation = by_id.get(spec["_id"]) if spec["_id"] else by_key.get(variation_spec_key(spec))
        if variation is None:
            spec.pop("keep", None)
            new_specs.append(spec)
            continue
        kept.add(variation.pk)
        with refusal_about_spec(index):
            _variation_apply(variation=variation, actor=actor, spec=spec, note=note)
    # New ones first: a product always keeps at least one variation, and the first sized one
    # takes over the blank stock holder of a product that had none (its history continues).
    for spec in new_specs:
        fields = {k: v for k, v in spec.items() if not k.startswith("_")}
        with refusal_about_spec(spec["_index"]):
            created = variation_create(
                product=product, actor=actor, stock_reason=StockReason.MANUAL, **fields
            )
        kept.add(created.pk)
    for variation in Variation.objects.filter(product=product).exclude(pk__in=kept).order_by("pk"):
        variation_delete(variation=variation, actor=actor)


def _variation_apply(*, variation: Variation, actor: User, spec: dict, note: str) -> None:
    if spec.get("keep"):
        return  # the admin's untouched row: stays as it is
    variation_update(
        variation=variation,
        actor=actor,
        size=spec.get("size") or "",
        color=spec.get("color") or "",
        sku=spec["sku"] if spec.get("sku") is not None else variation.sku,
        price_override=spec.get("price_override", variation.price_override),
        low_stock_threshold=(
            variation.low_stock_threshold
            if spec.get("low_stock_threshold") is None
            else spec["low_stock_threshold"]
        ),
    )
    if "stock" in spec:
        stock_set(
            variation=variation,
            stock=int(spec.get("stock") or 0),
            expected_stock=variation.stock if spec["_expected"] is None else spec["_expected"],
            reason=StockReason.MANUAL,
            actor=actor,
            note=note,
        )


def variations_replace(*, product: Product, actor: User, specs: list[dict]) -> None:
    """The API's replacement: the variations become ``specs``, matched by size and colour."""
    variations_apply(product=product, actor=actor, specs=specs)


@transaction.atomic
def product_images_replace(*, product: Product, actor: User, files: list[UploadedFile]) -> None:
    """Replace the product's images by ``files`` (the new ones are validated and stored first;
    the old files are deleted after commit)."""
    old = list(product.images.all())
    for position, file in enumerate(files):
        product_image_add(product=product, actor=actor, file=file, position=position)
    for image in old:
        product_image_delete(image=image, actor=actor)


@transaction.atomic
def product_add(
    *,
    manufacturer: User | None,
    actor: User,
    category: CategoryRef,
    name: str,
    price: Decimal,
    stock: int | None = None,
    variations: list[dict] | None = None,
    images: list[UploadedFile] | tuple = (),
    **fields,
) -> Product:
    """The seed's add-product: the owner and starting status follow ``catalog.approval``
    (a manufacturer's product waits for approval, staff's is approved)."""
    return product_create(
        manufacturer=manufacturer,
        actor=actor,
        name=name,
        price=price,
        category=category_resolve(ref=category),
        stock=stock,
        variations=variations or None,
        images=images,
        channel=ProductChannel.API,
        **fields,
    )


@transaction.atomic
def product_edit(
    *,
    product: Product,
    actor: User,
    changes: dict,
    category: CategoryRef | None = None,
    stock: int | None = None,
    variations: list[dict] | None = None,
    images: list[UploadedFile] | None = None,
    require_stock: bool = False,
) -> Product:
    """The seed's update-product (PATCH) and put-product (PUT, ``require_stock``): change the
    fields given, move the product to ``category`` (created when missing), and replace its
    variations (or its stock) and images when new ones are given.

    A draft or rejected product edited by its manufacturer goes (back) to approval.
    """
    specs = variation_specs_for(stock=stock, variations=variations, required=require_stock)
    if category is not None:
        changes = {**changes, "category": category_resolve(ref=category)}
    product = product_update(product=product, actor=actor, **changes)
    if specs is not None:
        variations_replace(product=product, actor=actor, specs=specs)
    if images:
        product_images_replace(product=product, actor=actor, files=images)
    product.refresh_from_db()
    if not actor.is_staff and product.approval_status in (
        ApprovalStatus.DRAFT,
        ApprovalStatus.REJECTED,
    ):
        product_submit(product=product, actor=actor)
    return product
