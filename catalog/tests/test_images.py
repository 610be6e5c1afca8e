import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import ProductImage
from catalog.services import product_image_add, product_image_delete
from catalog.tests.conftest import image_file

pytestmark = pytest.mark.django_db


def test_an_upload_gets_thumbnail_and_medium_renditions(manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, name="Pixel 9")

    image = product_image_add(product=product, actor=manufacturer_a, file=image_file())

    with Image.open(image.thumbnail.path) as thumb, Image.open(image.medium.path) as medium:
        assert thumb.size == (240, 160)
        assert medium.size == (900, 600)
    with Image.open(image.original.path) as original:
        assert original.size == (1200, 800)
    assert (image.alt_text, image.position) == ("Pixel 9", 0)
    second = product_image_add(product=product, actor=manufacturer_a, file=image_file("b.png"))
    assert second.position == 1


def test_a_text_file_renamed_jpg_is_refused_and_nothing_is_stored(
    manufacturer_a, phones, make_product, settings
):
    product = make_product(manufacturer_a, category=phones)
    fake = SimpleUploadedFile("photo.jpg", b"this is not an image", content_type="image/jpeg")

    with pytest.raises(ValidationError) as excinfo:
        product_image_add(product=product, actor=manufacturer_a, file=fake)

    assert excinfo.value.message_dict == {
        "original": ["This file is not an image we can read. Upload a JPEG, PNG, WEBP, GIF file."]
    }
    assert ProductImage.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "products").exists()


def test_an_image_over_the_size_limit_is_refused(manufacturer_a, phones, make_product, settings):
    settings.CATALOG_IMAGE_MAX_BYTES = 1024
    product = make_product(manufacturer_a, category=phones)

    with pytest.raises(ValidationError, match="too large"):
        product_image_add(
            product=product, actor=manufacturer_a, file=image_file(size=(800, 800))
        )
    assert ProductImage.objects.count() == 0


def test_a_format_outside_the_list_is_refused(manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones)

    with pytest.raises(ValidationError, match="BMP images are not accepted"):
        product_image_add(
            product=product, actor=manufacturer_a, file=image_file("a.bmp", image_format="BMP")
        )


def test_deleting_an_image_removes_its_files_after_commit(
    manufacturer_a, phones, make_product, django_capture_on_commit_callbacks
):
    product = make_product(manufacturer_a, category=phones)
    image = product_image_add(product=product, actor=manufacturer_a, file=image_file())
    paths = [image.original.path, image.medium.path, image.thumbnail.path]

    with django_capture_on_commit_callbacks(execute=True):
        product_image_delete(image=image, actor=manufacturer_a)

    import os

    assert [os.path.exists(p) for p in paths] == [False, False, False]
