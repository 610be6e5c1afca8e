"""The product page's save: its forms become plain specs for the product services, and a
service's refusal becomes a ``ProductWriteRefused`` naming the form, row and field it is about.

The services decide every rule (owner and starting status, stock or variations, unique sizes,
colours and SKUs, stock changed meanwhile); the page only says what the user asked for.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from catalog.admin.products.forms import ProductWriteRefused
from catalog.errors import CatalogErrorCode
from catalog.models import Product, ProductImage, Variation
from catalog.services import (
    ProductChannel,
    product_create,
    product_image_add,
    product_image_delete,
    product_update,
    variations_apply,
)

PRODUCT_FIELDS = ["name", "description", "category", "price", "discount_percent", "is_active"]
VARIATION_FIELDS = ["size", "color", "sku", "price_override", "low_stock_threshold"]
PAGE_NOTE = "Edited on the product page"


def refusal_of(exc: ValidationError, *, formset=None, rows=None) -> ProductWriteRefused:
    """Where a service's refusal goes on the page: the row of its spec, its field."""
    index = getattr(exc, "spec_index", None)
    row = rows[index] if rows is not None and index is not None else None
    if hasattr(exc, "error_dict"):
        field, messages = next(iter(exc.message_dict.items()))
    else:
        field, messages = getattr(exc, "field", None), exc.messages
    if field == NON_FIELD_ERRORS or field == "variations":
        field = None
    if formset is not None and getattr(exc, "code", None) == CatalogErrorCode.STOCK_CHANGED:
        variation = formset.forms[row].instance if row is not None else None
        now = Variation.objects.filter(pk=getattr(variation, "pk", None)).values_list(
            "stock", flat=True
        )
        if now:
            messages = [
                _("The stock changed to %(now)s since you opened this page. Reload.")
                % {"now": now[0]}
            ]
    prefix = formset.prefix if formset is not None else None
    if prefix and row is None and field in ("manufacturer", "name", "price", "category"):
        prefix = None
    return ProductWriteRefused(formset=prefix, row=row, field=field, messages=list(messages))


def _variation_specs(formset, *, adding: bool) -> tuple[list[dict], list[int]]:
    """The variations the page asks for (deleted rows left out) and the row of each spec."""
    specs, rows = [], []
    for row, form in enumerate(formset.forms if formset else []):
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        variation = form.instance
        if not variation.pk and not form.has_changed():
            continue  # an empty extra row
        spec = {name: data.get(name) for name in VARIATION_FIELDS}
        spec["size"], spec["color"], spec["sku"] = (
            spec["size"] or "",
            spec["color"] or "",
            spec["sku"] or "",
        )
        if variation.pk:
            spec["id"] = variation.pk
            if not form.has_changed():
                spec = {"id": variation.pk, "size": variation.size, "color": variation.color}
                spec["keep"] = True
            elif form.stock_edited():
                spec["stock"], spec["expected_stock"] = data["stock"], data["stock_seen"]
        else:
            spec["stock"] = data.get("stock") or 0
        specs.append(spec)
        rows.append(row)
    if not adding:
        # The blank stock holder of a product without variations gives way to new sized
        # ones (the first takes it over, so its history continues).
        sized = [s for s in specs if s.get("size") or s.get("color")]
        blank_kept = [s for s in specs if s.get("keep") and not (s["size"] or s["color"])]
        if sized and blank_kept:
            index = specs.index(blank_kept[0])
            del specs[index], rows[index]
    return specs, rows


def product_page_save(*, request, form, formsets, change: bool) -> Product:
    """Write what the product page asks for through the services; raise ProductWriteRefused."""
    by_model = {formset.model: formset for formset in formsets}
    variations = by_model.get(Variation)
    data = form.cleaned_data
    specs, rows = _variation_specs(variations, adding=not change)
    try:
        if change:
            fields = [*PRODUCT_FIELDS, *(["manufacturer"] if request.user.is_staff else [])]
            product = product_update(
                product=Product.objects.get(pk=form.instance.pk),
                actor=request.user,
                **{name: data[name] for name in fields if name in data},
            )
        else:
            product = product_create(
                actor=request.user,
                manufacturer=data.get("manufacturer"),
                channel=ProductChannel.ADMIN,
                name=data["name"],
                description=data.get("description", ""),
                price=data["price"],
                discount_percent=data.get("discount_percent") or 0,
                category=data["category"],
                is_active=data.get("is_active", True),
                stock=None if specs else (data.get("stock") or 0),
                variations=specs or None,
            )
    except ValidationError as exc:
        raise refusal_of(exc, formset=variations if specs else None, rows=rows) from exc
    if change and variations is not None:
        try:
            variations_apply(product=product, actor=request.user, specs=specs, note=PAGE_NOTE)
        except ValidationError as exc:
            raise refusal_of(exc, formset=variations, rows=rows) from exc
    _save_images(request, product, by_model.get(ProductImage))
    return product


def _save_images(request, product: Product, formset) -> None:
    for row, image_form in enumerate(formset.forms if formset else []):
        image, data = image_form.instance, getattr(image_form, "cleaned_data", None)
        if not data:
            continue
        try:
            if data.get("DELETE") and image.pk:
                product_image_delete(image=image, actor=request.user)
            elif (
                image.pk and image_form.has_changed() and "original" not in image_form.changed_data
            ):
                ProductImage.objects.filter(pk=image.pk).update(
                    alt_text=data.get("alt_text", ""), position=data.get("position") or 0
                )
            elif data.get("original") and (not image.pk or image_form.has_changed()):
                if image.pk:
                    product_image_delete(image=image, actor=request.user)
                product_image_add(
                    product=product,
                    actor=request.user,
                    file=data["original"],
                    alt_text=data.get("alt_text", ""),
                    position=data.get("position"),
                )
        except ValidationError as exc:
            refusal = refusal_of(exc)
            raise ProductWriteRefused(
                formset=formset.prefix, row=row, field=refusal.field, messages=refusal.messages
            ) from exc
