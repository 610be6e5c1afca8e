"""Catalogue fixtures: a small tree and a product factory that goes through the services."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.services import category_get_or_create_path, product_create


@pytest.fixture
def phones(db):
    return category_get_or_create_path(names=["Electronics", "Phones", "Android"])


@pytest.fixture
def shoes(db):
    return category_get_or_create_path(names=["Fashion", "Shoes"])


@pytest.fixture
def make_product(db):
    def make(manufacturer, *, category, name="Widget", price="100.00", stock=None, variations=None, **extra):
        if stock is None and variations is None:
            stock = 10
        return product_create(
            manufacturer=manufacturer,
            actor=manufacturer,
            name=name,
            price=Decimal(price),
            category=category,
            stock=stock,
            variations=variations,
            **extra,
        )

    return make


def image_file(name="photo.png", size=(1200, 800), image_format="PNG", color=(200, 120, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "BMP": "image/bmp"}[image_format]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
