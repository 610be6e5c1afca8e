"""Product images in an S3-compatible bucket (a real S3 API server, ``core/tests/s3_server.py``):
the manufacturer API's upload lands in the bucket with its renditions, and the storefront hands
out absolute URLs that serve the same bytes."""

from urllib.request import urlopen

import pytest

from catalog.models import Product, ProductImage
from catalog.services import product_approve
from catalog.tests.conftest import image_file
from core.media import MEDIA_CACHE_CONTROL

pytestmark = pytest.mark.django_db


def _fetch(url: str) -> bytes:
    """GET over HTTP from the S3 server, as a browser would (no credentials)."""
    with urlopen(url, timeout=10) as reply:
        return reply.read()


def test_an_uploaded_image_and_its_renditions_land_in_the_bucket_and_serve_from_it(
    s3_media, jwt_client, manufacturer_a, staff_user, settings
):
    upload = image_file("front.jpg", image_format="JPEG")
    sent = upload.read()
    upload.seek(0)

    response = jwt_client(manufacturer_a).post(
        "/products/add-product/",
        {"name": "Boot", "price": "50", "stock": "3", "category": "Shoes", "images": [upload]},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    product = Product.objects.get(pk=response.json()["id"])
    image = ProductImage.objects.get(product=product)
    assert s3_media.keys() == sorted([image.original.name, image.medium.name, image.thumbnail.name])
    assert [name.split("/")[1] for name in s3_media.keys()] == ["medium", "original", "thumbnail"]
    assert s3_media.body(image.original.name) == sent
    assert s3_media.head(image.thumbnail.name)["ContentType"] == "image/jpeg"
    # Nothing written to the local media folder.
    assert not (settings.MEDIA_ROOT / "products").exists()

    product_approve(product=product, actor=staff_user)
    detail = jwt_client(staff_user).get(f"/products/slug/{product.slug}/")
    assert detail.status_code == 200
    urls = detail.json()["images_data"][0]["image_urls"]
    bucket_url = f"{s3_media.server.endpoint_url}/{s3_media.name}/"
    assert urls == {
        "original": bucket_url + image.original.name,
        "medium": bucket_url + image.medium.name,
        "thumbnail": bucket_url + image.thumbnail.name,
    }
    assert _fetch(urls["original"]) == sent
    assert _fetch(urls["thumbnail"]) == s3_media.body(image.thumbnail.name)
    # Stored with the cache header a browser and a CDN keep it by.
    assert s3_media.head(image.original.name)["CacheControl"] == MEDIA_CACHE_CONTROL


def test_a_second_upload_of_the_same_name_never_overwrites_the_first(s3_media, manufacturer_a, make_product, shoes):
    from catalog.services import product_image_add

    product = make_product(manufacturer_a, category=shoes)
    first = product_image_add(product=product, actor=manufacturer_a, file=image_file("a.png"))
    second = product_image_add(
        product=product, actor=manufacturer_a, file=image_file("a.png", color=(0, 0, 255))
    )

    assert first.original.name != second.original.name
    assert len(s3_media.keys("products/original/")) == 2


def test_image_urls_point_at_the_custom_domain_when_one_is_set(
    s3_media, settings, api_client, manufacturer_a, staff_user, make_product, shoes
):
    from catalog.services import product_image_add

    settings.STORAGES["default"]["OPTIONS"]["custom_domain"] = "cdn.martaf.test"
    settings.STORAGES = {**settings.STORAGES}  # reloads the default storage
    product = make_product(manufacturer_a, category=shoes)
    image = product_image_add(product=product, actor=manufacturer_a, file=image_file("a.png"))
    product_approve(product=product, actor=staff_user)

    listed = api_client.get("/products/list/").json()["results"][0]["images_data"][0]
    detail = api_client.get(f"/products/{product.pk}/").json()["images_data"][0]

    expected = f"https://cdn.martaf.test/{image.medium.name}"
    assert listed["image_urls"]["medium"] == detail["image_urls"]["medium"] == expected


def test_the_admin_shows_thumbnails_from_the_bucket(
    s3_media, client, staff_user, manufacturer_a, make_product, shoes
):
    from django.urls import reverse

    from catalog.services import product_image_add

    product = make_product(manufacturer_a, category=shoes)
    image = product_image_add(product=product, actor=manufacturer_a, file=image_file("a.png"))
    client.force_login(staff_user)

    listed = client.get(reverse("admin:catalog_product_changelist")).content.decode()
    page = client.get(reverse("admin:catalog_product_change", args=[product.pk])).content.decode()

    thumbnail = f"{s3_media.server.endpoint_url}/{s3_media.name}/{image.thumbnail.name}"
    assert thumbnail in listed
    assert f'src="{thumbnail}"' in page
    assert "/media/" not in listed + page
