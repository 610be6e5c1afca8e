"""Export -> import keeps a catalogue's images: the export gives absolute addresses of this
marketplace's own images (this site's MEDIA_URL, or the bucket), and an import recognises them
and keeps the images instead of fetching them (the outbound guard refuses this site's own
loopback address, rightly). Nothing is fetched over the network: ``fake_web`` records every
connection attempt."""

import csv
import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import ProductImage
from catalog.services import product_image_add
from catalog.tests.conftest import image_file
from imports.export import catalogue_export
from imports.lifecycle import import_confirm, import_start
from imports.models import ImportMode, ImportStatus
from imports.tests.uploads import HEADER, preview, upload

pytestmark = pytest.mark.django_db


def _make_catalogue(manufacturer, make_product, category):
    """Two products, one with two images, one with none."""
    boot = make_product(manufacturer, category=category, name="Boot", handle="boot")
    make_product(manufacturer, category=category, name="Lace", handle="lace")
    for upload_file in (image_file("side.png"), image_file("top.jpg", image_format="JPEG")):
        product_image_add(product=boot, actor=manufacturer, file=upload_file)
    return boot


@pytest.fixture
def catalogue(manufacturer_a, make_product, phones):
    """Manufacturer A's catalogue, images on this site's disk."""
    return _make_catalogue(manufacturer_a, make_product, phones)


@pytest.fixture
def catalogue_in_bucket(s3_media, manufacturer_a, make_product, phones):
    """The same, images in a bucket on the S3 server."""
    return _make_catalogue(manufacturer_a, make_product, phones)


def _images() -> list[tuple]:
    return list(
        ProductImage.objects.order_by("product__handle", "position").values_list(
            "id", "product_id", "position", "original", "medium", "thumbnail", "source_url"
        )
    )


def _csv_image_urls(text: str) -> dict[str, str]:
    return {row["handle"]: row["image_urls"] for row in csv.DictReader(io.StringIO(text))}


def _import_back(user, file) -> object:
    product_import = import_start(actor=user, file=file)
    assert (product_import.status, product_import.errors) == (ImportStatus.PREVIEWED, [])
    return import_confirm(product_import=product_import, actor=user, mode=ImportMode.ALL_OR_NOTHING)


def _assert_unchanged(result, before, fake_web):
    assert (result.status, result.created_count, result.updated_count, result.unchanged_count) == (
        ImportStatus.COMPLETED, 0, 0, 2,
    )
    assert _images() == before
    assert (fake_web.connections, fake_web.lookups) == ([], [])  # nothing resolved or fetched


def test_the_exported_image_addresses_are_absolute_on_the_public_base_url(
    catalogue, manufacturer_a, settings
):
    settings.BACKOFFICE_URL = "https://backoffice.martaf.test"

    urls = _csv_image_urls(catalogue_export(user=manufacturer_a))  # no request: as in the worker

    names = [image.original.name for image in catalogue.images.order_by("position")]
    assert urls == {
        "boot": "|".join(f"https://backoffice.martaf.test/media/{name}" for name in names),
        "lace": "",
    }


def test_a_csv_export_imports_back_with_its_images_unchanged(
    catalogue, manufacturer_a, fake_web, django_capture_on_commit_callbacks, settings
):
    settings.BACKOFFICE_URL = "https://backoffice.martaf.test"  # not in ALLOWED_HOSTS
    before = _images()
    exported = catalogue_export(user=manufacturer_a)

    with django_capture_on_commit_callbacks(execute=True):
        result = _import_back(manufacturer_a, upload(exported))

    _assert_unchanged(result, before, fake_web)


def test_an_xlsx_export_from_the_admin_imports_back_with_its_images_unchanged(
    catalogue, manufacturer_a, client, fake_web, django_capture_on_commit_callbacks
):
    client.force_login(manufacturer_a)
    response = client.get(reverse("admin:catalog_product_export_catalogue") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    exported_urls = [row[header.index("image_urls")] for row in sheet.iter_rows(2, values_only=True)]
    before = _images()

    with django_capture_on_commit_callbacks(execute=True):
        result = _import_back(manufacturer_a, SimpleUploadedFile("catalogue.xlsx", response.content))

    # Built from the request: this site as the browser reached it.
    assert exported_urls[0].startswith("http://testserver/media/products/original/")
    _assert_unchanged(result, before, fake_web)


def test_an_export_from_the_bucket_imports_back_with_its_images_unchanged(
    s3_media, catalogue_in_bucket, manufacturer_a, fake_web, django_capture_on_commit_callbacks
):
    before = _images()
    exported = catalogue_export(user=manufacturer_a)
    bucket_url = f"{s3_media.server.endpoint_url}/{s3_media.name}/products/original/"

    with django_capture_on_commit_callbacks(execute=True):
        result = _import_back(manufacturer_a, upload(exported))

    assert _csv_image_urls(exported)["boot"].startswith(bucket_url)
    _assert_unchanged(result, before, fake_web)


def test_another_of_our_product_images_is_copied_through_the_storage_not_fetched(
    catalogue, manufacturer_a, fake_web, django_capture_on_commit_callbacks
):
    source = catalogue.images.order_by("position").first()
    url = f"http://127.0.0.1:8000/media/{source.original.name}"
    text = HEADER + f"lace,Lace,,100,,Electronics > Phones > Android,true,,,,10,,{url}\n"

    with django_capture_on_commit_callbacks(execute=True):
        result = _import_back(manufacturer_a, upload(text))

    assert result.status == ImportStatus.COMPLETED
    copy = ProductImage.objects.get(product__handle="lace")
    assert copy.original.name != source.original.name and copy.source_url == url
    with default_storage.open(copy.original.name) as new, default_storage.open(source.original.name) as old:
        assert new.read() == old.read()
    assert fake_web.connections == []


def test_an_address_of_a_private_stored_file_is_not_taken_as_an_image(catalogue, manufacturer_a):
    # An import file is stored but private: naming it must not turn it into a public image.
    stored = default_storage.save("imports/2026/12/secret.csv", io.BytesIO(b"a,b\n"))
    url = f"http://127.0.0.1:8000/media/{stored}"

    product_import = preview(manufacturer_a, HEADER + f"lace,Lace,,100,,Electronics > Phones > Android,true,,,,10,,{url}\n")

    assert product_import.errors == [{
        "row": 2, "column": "image_urls",
        "message": "127.0.0.1 is a loopback address; only public addresses are fetched.",
    }]


def test_our_address_of_an_image_no_longer_stored_is_fetched_like_any_other_and_skipped(
    catalogue, manufacturer_a, fake_web, django_capture_on_commit_callbacks, caplog
):
    url = "http://127.0.0.1:8000/media/products/original/deleted-long-ago.png"
    text = HEADER + f"lace,Lace,,100,,Electronics > Phones > Android,true,,,,10,,{url}\n"

    with django_capture_on_commit_callbacks(execute=True):
        result = _import_back(manufacturer_a, upload(text))  # the preview takes it by its form

    assert result.status == ImportStatus.COMPLETED
    assert not ProductImage.objects.filter(product__handle="lace").exists()
    assert f"image {url} skipped" in caplog.text  # the loopback fetch refused, as always
    assert fake_web.connections == []
