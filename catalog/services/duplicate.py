"""Duplicating a product: a new draft with the same details, variations and images, for a
manufacturer who sells something close to what they already sell.

The copy is the owner's (staff duplicating a manufacturer's product make it that
manufacturer's), a draft whatever the original's status (it is reviewed like any new product),
named "<name> (copy)", and holds no stock: stock counts what is on the shelf, which a copy does
not double. Its variations keep size, colour, price and threshold and get SKUs of their own
(the original's belong to it); its images are copied through the storage, renditions and all.
"""

from django.core.files.base import ContentFile
from django.db import transaction

from catalog import limits
from catalog.models import Product
from catalog.services.products import product_create, product_image_add
from users.models import User


@transaction.atomic
def product_duplicate(*, product: Product, actor: User) -> Product:
    suffix = " (copy)"
    name = product.name[: limits.PRODUCT_NAME_MAX - len(suffix)] + suffix
    variations = [
        {
            "size": variation.size,
            "color": variation.color,
            "price_override": variation.price_override,
            "low_stock_threshold": variation.low_stock_threshold,
            "stock": 0,
        }
        for variation in product.variations.order_by("pk")
    ]
    blank = len(variations) == 1 and not (variations[0]["size"] or variations[0]["color"])
    copy = product_create(
        actor=actor,
        manufacturer=product.manufacturer,
        name=name,
        price=product.price,
        category=product.category,
        description=product.description,
        discount_percent=product.discount_percent,
        is_active=product.is_active,
        stock=0 if blank or not variations else None,
        variations=None if blank or not variations else variations,
        draft=True,
    )
    for image in product.images.order_by("position", "pk"):
        with image.original.open("rb") as original:
            data = original.read()
        file = ContentFile(data, name=image.original.name.rsplit("/", 1)[-1])
        product_image_add(
            product=copy, actor=actor, file=file, alt_text=image.alt_text, position=image.position
        )
    return copy
