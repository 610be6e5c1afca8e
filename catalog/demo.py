"""A realistic demo catalogue for the two demo manufacturers, made through the services.

Idempotent: a product that already exists (same manufacturer and name) is left alone.
"""

import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from catalog.models import Product
from catalog.services import (
    category_get_or_create_path,
    product_approve,
    product_create,
    product_reject,
    product_submit,
)
from users.models import User
from users.selectors import user_get_by_email

SIZES_CLOTHING = ["S", "M", "L", "XL"]
SIZES_SHOES = ["40", "41", "42", "43", "44"]

# (manufacturer, category path, name, price, discount %, variations or stock, status)
CATALOGUE = [
    ("volta@martaf.com", "Electronics > Phones > Android", "Volta V12 smartphone", "2450.00", 10,
     [("128GB", "Black", 14), ("128GB", "Silver", 3), ("256GB", "Black", 8)], "approved"),
    ("volta@martaf.com", "Electronics > Phones > Android", "Volta V9 Lite", "1290.00", 0,
     [("64GB", "Blue", 22), ("64GB", "Black", 19)], "approved"),
    ("volta@martaf.com", "Electronics > Phones > Accessories", "Fast charger 30W", "149.00", 0,
     40, "approved"),
    ("volta@martaf.com", "Electronics > Phones > Accessories", "Braided USB-C cable 2m", "59.00", 15,
     [("", "Black", 60), ("", "White", 2)], "approved"),
    ("volta@martaf.com", "Electronics > Audio > Bluetooth Speakers", "Harmattan boombox",
     "890.00", 0, [("", "Red", 6), ("", "Black", 11)], "approved"),
    ("volta@martaf.com", "Electronics > Audio > Bluetooth Speakers", "Pocket speaker mini",
     "230.00", 20, 4, "approved"),
    ("volta@martaf.com", "Electronics > Audio > Headphones", "Noise-cancelling headphones",
     "1150.00", 0, [("", "Black", 9), ("", "Sand", 0)], "approved"),
    ("volta@martaf.com", "Electronics > Home Appliances > Kitchen", "Blender 1.5L", "420.00", 0,
     17, "approved"),
    ("volta@martaf.com", "Electronics > Home Appliances > Kitchen", "Electric kettle", "189.00",
     5, 25, "pending"),
    ("volta@martaf.com", "Electronics > Home Appliances > Cooling", "Standing fan 16\"",
     "360.00", 0, 12, "pending"),
    ("volta@martaf.com", "Electronics > Computers > Laptops", "Volta Book 14", "5400.00", 0,
     [("8GB / 256GB", "Grey", 5), ("16GB / 512GB", "Grey", 2)], "draft"),
    ("volta@martaf.com", "Electronics > Computers > Accessories", "Wireless mouse", "85.00",
     0, 35, "rejected"),
    ("volta@martaf.com", "Electronics > Audio > Headphones", "Sport earbuds", "310.00", 0,
     [("", "Black", 13), ("", "Green", 7)], "approved"),
    ("volta@martaf.com", "Electronics > Phones > Accessories", "Power bank 20,000mAh", "275.00",
     10, 30, "approved"),
    ("kente@martaf.com", "Fashion > Men > Shirts", "Kente panel shirt", "320.00", 0,
     [(s, "Gold", n) for s, n in zip(SIZES_CLOTHING, [6, 12, 9, 2], strict=True)], "approved"),
    ("kente@martaf.com", "Fashion > Men > Shoes", "Leather sandals", "280.00", 0,
     [(s, "Brown", n) for s, n in zip(SIZES_SHOES, [3, 8, 10, 7, 1], strict=True)], "approved"),
    ("kente@martaf.com", "Fashion > Women > Dresses", "Ankara wrap dress", "410.00", 15,
     [(s, c, n) for (s, c), n in zip(
         [("S", "Indigo"), ("M", "Indigo"), ("L", "Indigo"), ("M", "Orange")],
         [5, 9, 4, 11], strict=True)], "approved"),
    ("kente@martaf.com", "Fashion > Women > Dresses", "Kaba and slit set", "650.00", 0,
     [(s, "Green", n) for s, n in zip(["S", "M", "L"], [2, 3, 6], strict=True)], "pending"),
    ("kente@martaf.com", "Fashion > Accessories > Bags", "Woven market tote", "145.00", 0,
     [("", "Natural", 24), ("", "Red", 15)], "approved"),
    ("kente@martaf.com", "Fashion > Accessories > Bags", "Kente clutch", "190.00", 10, 9,
     "approved"),
    ("kente@martaf.com", "Fashion > Accessories > Jewellery", "Krobo bead bracelet", "75.00", 0,
     [("", "Blue", 30), ("", "Yellow", 26), ("", "Mixed", 4)], "approved"),
    ("kente@martaf.com", "Home & Living > Textiles > Kente cloth", "Hand-woven kente, 6 yards",
     "1800.00", 0, 5, "approved"),
    ("kente@martaf.com", "Home & Living > Textiles > Kente cloth", "Kente stole", "240.00", 0,
     [("", "Gold", 14), ("", "Green", 10)], "approved"),
    ("kente@martaf.com", "Home & Living > Decor > Baskets", "Bolga basket, large", "230.00", 0,
     11, "approved"),
    ("kente@martaf.com", "Home & Living > Decor > Baskets", "Bolga basket, small", "120.00", 0,
     3, "approved"),
    ("kente@martaf.com", "Home & Living > Decor > Wall art", "Adinkra symbols print", "160.00",
     25, 16, "approved"),
    ("kente@martaf.com", "Home & Living > Furniture", "Carved stool", "540.00", 0, 4,
     "pending"),
    ("kente@martaf.com", "Beauty > Skincare", "Raw shea butter 500g", "65.00", 0, 48,
     "approved"),
    ("kente@martaf.com", "Beauty > Skincare", "Black soap bar", "25.00", 0, 120, "approved"),
    ("kente@martaf.com", "Groceries > Spices", "Shito, hot pepper sauce", "45.00", 0, 0,
     "draft"),
]

PALETTE = [(217, 119, 6), (21, 128, 61), (29, 78, 216), (190, 18, 60), (88, 28, 135),
           (15, 118, 110), (180, 83, 9), (71, 85, 105)]


def demo_image(name: str, seed: int) -> SimpleUploadedFile:
    """A 800x800 product picture: a two-tone background with the product's initials."""
    rng = random.Random(seed)
    base = PALETTE[seed % len(PALETTE)]
    image = Image.new("RGB", (800, 800), base)
    draw = ImageDraw.Draw(image)
    for i in range(6):
        shade = tuple(min(255, c + 18 * (i + 1)) for c in base)
        x, y, r = rng.randint(0, 800), rng.randint(0, 800), rng.randint(120, 320)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    font = ImageFont.load_default(size=220)
    box = draw.textbbox((0, 0), initials, font=font)
    position = ((800 - (box[2] - box[0])) / 2, (800 - (box[3] - box[1])) / 2 - box[1])
    draw.text(position, initials, fill=(255, 251, 235), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")
    return SimpleUploadedFile(f"{slug}.jpg", buffer.getvalue(), content_type="image/jpeg")


def demo_sku(email: str, name: str, size: str, color: str) -> str:
    """A SKU as sellers write them: ``VOL-VV12-128GB-BLA`` (seller, product, size, colour)."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in name).split() if w]
    product = "".join(w[0] for w in words[:4]).upper() + str(len(name))
    parts = [email[:3].upper(), product, size.replace(" ", "").replace("/", "")[:6].upper(),
             color[:3].upper()]
    return "-".join(part for part in parts if part)


def seed(stdout=None) -> list[Product]:
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    categories: dict = {}
    created = []
    for index, (email, path, name, price, discount, stock, status) in enumerate(CATALOGUE):
        manufacturer = user_get_by_email(email=email)
        if manufacturer is None or Product.objects.filter(
            manufacturer=manufacturer, name=name
        ).exists():
            continue
        category = category_get_or_create_path(names=path.split(" > "), cache=categories)
        # Every variation carries a SKU, as a seller's catalogue would.
        rows = stock if isinstance(stock, list) else [("", "", stock)]
        # Shelves stocked for three months of demo sales; the few meant to run low stay low.
        variations = [
            {"size": s, "color": c, "stock": n * 4 if n > 3 else n,
             "sku": demo_sku(email, name, s, c)}
            for s, c, n in rows
        ]
        stock = None
        product = product_create(
            manufacturer=manufacturer,
            actor=manufacturer,
            name=name,
            price=Decimal(price),
            discount_percent=Decimal(discount),
            category=category,
            description=f"{name}: a demo product from {manufacturer.manufacturer_profile}.",
            stock=stock,
            variations=variations,
            images=[demo_image(name, index)],
        )
        if status != "draft":
            product_submit(product=product, actor=manufacturer)
        if status == "approved" and staff:
            product_approve(product=product, actor=staff)
        elif status == "rejected" and staff:
            product_reject(
                product=product, actor=staff, reason="Please add photos of the product itself."
            )
        created.append(product)
    if stdout:
        stdout.write(f"  created {len(created)} products")
    return created
