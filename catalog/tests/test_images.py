import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import ProductImage
from catalog.services import product_image_add, product_image_delete
from catalog.tests.conftest import image_file

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["disk", "bucket"])
def media(request):
    """Each storage the files may live on: this site's disk, a bucket on a real S3 server."""
    if request.param == "bucket":
        request.getfixturevalue("s3_media")
    return request.param


def _size(field) -> tuple[int, int]:
    """A stored image's dimensions, read through the storage."""
    with field.open("rb"), Image.open(field) as picture:
        return picture.size


def test_an_upload_gets_thumbnail_and_medium_renditions(media, manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, name="Pixel 9")

    image = product_image_add(product=product, actor=manufacturer_a, file=image_file())

    assert (_size(image.thumbnail), _size(image.medium)) == ((240, 160), (900, 600))
    assert _size(image.original) == (1200, 800)
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
    media, manufacturer_a, phones, make_product, django_capture_on_commit_callbacks
):
    product = make_product(manufacturer_a, category=phones)
    image = product_image_add(product=product, actor=manufacturer_a, file=image_file())
    names = [image.original.name, image.medium.name, image.thumbnail.name]
    assert [default_storage.exists(name) for name in names] == [True, True, True]

    with django_capture_on_commit_callbacks(execute=True):
        product_image_delete(image=image, actor=manufacturer_a)

    assert [default_storage.exists(name) for name in names] == [False, False, False]


def test_an_image_over_the_pixel_cap_is_refused_from_its_header_before_decoding(
    manufacturer_a, phones, make_product, monkeypatch, settings
):
    product = make_product(manufacturer_a, category=phones)
    big = image_file("big.png", size=(6300, 6300))
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self.size))

    with pytest.raises(ValidationError) as excinfo:
        product_image_add(product=product, actor=manufacturer_a, file=big)

    assert excinfo.value.message_dict == {
        "original": ["The image is 6300x6300 pixels; the limit is 24 megapixels. Upload a "
                     "smaller image."]
    }
    assert decoded == []
    assert ProductImage.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "products").exists()


def test_renditions_never_copy_the_full_size_image(
    manufacturer_a, phones, make_product, monkeypatch
):
    product = make_product(manufacturer_a, category=phones)
    copied = []
    real_copy = Image.Image.copy

    def copy(self):
        copied.append(self.size)
        return real_copy(self)

    monkeypatch.setattr(Image.Image, "copy", copy)

    image = product_image_add(product=product, actor=manufacturer_a,
                              file=image_file(size=(3000, 2000)))

    assert copied and max(max(size) for size in copied) <= 900
    assert (_size(image.medium), _size(image.thumbnail)) == ((900, 600), (240, 160))


def test_the_api_refuses_an_image_over_the_pixel_cap_with_a_clear_400(
    jwt_client, manufacturer_a
):
    from catalog.models import Product

    response = jwt_client(manufacturer_a).post(
        "/products/add-product/",
        {"name": "Poster", "price": "5", "category": "Art", "stock": "1",
         "images": [image_file("huge.png", size=(6300, 6300))]},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "images: huge.png: The image is 6300x6300 pixels; the limit is 24 megapixels. Upload a "
        "smaller image."
    )
    assert Product.objects.count() == 0


def test_an_upload_over_the_request_cap_is_a_clear_400(jwt_client, manufacturer_a, settings):
    from catalog.models import Product

    settings.UPLOAD_MAX_BYTES = 50_000

    response = jwt_client(manufacturer_a).post(
        "/products/add-product/",
        {"name": "Poster", "price": "5", "category": "Art", "stock": "1",
         "images": [SimpleUploadedFile("a.png", b"x" * 60_000, content_type="image/png")]},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "request_too_large"
    assert response.json()["detail"].startswith("The upload is too large (0.1 MB): the limit is")
    assert Product.objects.count() == 0
