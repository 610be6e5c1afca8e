"""Catalogue files for the import tests, and the steps they repeat: upload, preview,
confirm."""

from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Category, Product, ProductImage, StockMovement
from imports.lifecycle import import_confirm, import_start
from imports.models import ImportMode, ImportStatus

HEADER = "handle,name,description,price,discount_percent,category,is_active,size,color,sku,stock,low_stock_threshold,image_urls\n"

TWO_PRODUCTS = HEADER + (
    "tee,Cotton tee,Soft,120.00,10,Fashion > Men > Shirts,true,M,Black,TEE-M,10,3,\n"
    "tee,,,,,,,L,Black,TEE-L,4,3,\n"
    "shea,Shea butter,,65,,Beauty > Skincare,true,,,SHEA,48,,\n"
)

GOOD = "ok,Good,,5,,A > B,true,,,,1,,\n"

PUBLIC = "93.184.216.34"


def serve_images(fake_web):
    """cdn.example serves a PNG; broken.example resolves but refuses connections."""
    from catalog.tests.conftest import image_file

    fake_web.host("cdn.example", "93.184.216.34")
    fake_web.host("broken.example", "93.184.216.35")
    fake_web.serve("93.184.216.34", "/a.png", image_file("remote.png").read(),
                   headers={"Content-Type": "image/png"}, port=443)


def upload(text: str, name: str = "catalogue.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def run_import(user, text, *, mode=ImportMode.ALL_OR_NOTHING, manufacturer=None, **kwargs):
    product_import = import_start(actor=user, file=upload(text, **kwargs), manufacturer=manufacturer)
    assert product_import.status == ImportStatus.PREVIEWED, product_import.message
    return import_confirm(product_import=product_import, actor=user, mode=mode)


def preview(user, text):
    product_import = import_start(actor=user, file=upload(text))
    assert product_import.status == ImportStatus.PREVIEWED, product_import.message
    return product_import


def assert_nothing_written():
    assert (Product.objects.count(), Category.objects.count(), StockMovement.objects.count(),
            ProductImage.objects.count()) == (0, 0, 0, 0)


def confirm_fails(user, product_import):
    result = import_confirm(product_import=product_import, actor=user, mode=ImportMode.ALL_OR_NOTHING)
    assert result.status == ImportStatus.FAILED and "nothing was imported" in result.message
    assert_nothing_written()
