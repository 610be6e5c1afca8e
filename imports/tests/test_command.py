"""``manage.py import_products``: the same import as the admin's (recorded in the history,
unknown columns noted, images fetched), checked and written in one pass, or checked only."""

import re

import pytest
from django.urls import reverse

from catalog.models import Product
from imports.models import ImportStatus, ProductImport
from imports.tests.uploads import HEADER, TWO_PRODUCTS, run_import, serve_images

pytestmark = pytest.mark.django_db


def test_management_command_dry_run_then_import(tmp_path, manufacturer_a, capsys):
    from django.core.management import call_command

    path = tmp_path / "catalogue.csv"
    path.write_text(TWO_PRODUCTS, encoding="utf-8")

    call_command("import_products", str(path), manufacturer=manufacturer_a.email, dry_run=True)
    assert Product.objects.count() == 0
    call_command("import_products", str(path), manufacturer=manufacturer_a.email)

    out = capsys.readouterr().out
    assert "3 rows: 3 new, 0 updated, 0 unchanged, 0 errors" in out
    assert "2 products created" in out
    assert Product.objects.count() == 2
    # The phases timed apart, and the rate of the whole command (what the user waits for).
    assert re.search(r"read and checked in \d+\.\d s", out), out
    assert re.search(r"Written in \d+\.\d s after the check; \d+\.\d s in all \([\d,]+ rows/s\)",
                     out), out


def test_command_import_is_in_the_history_and_fetches_images_like_an_admin_one(
    tmp_path, fake_web, client, manufacturer_a, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    serve_images(fake_web)
    text = HEADER + "pic,Pic,,5,,A > B,true,,,,1,,https://cdn.example/a.png|https://broken.example/b.png\n"
    path = tmp_path / "pictures.csv"
    path.write_text(text, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        admin_import = run_import(manufacturer_a, text.replace("pic,", "pik,").replace("Pic", "Pik"))

    call_command("import_products", str(path), manufacturer=manufacturer_a.email, dry_run=True)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_products", str(path), manufacturer=manufacturer_a.email)

    imports = ProductImport.objects.order_by("pk")
    assert [(i.original_name, i.status, i.created_by, i.manufacturer, i.created_count) for i in imports] == [
        ("catalogue.csv", ImportStatus.COMPLETED, manufacturer_a, manufacturer_a, 1),
        ("pictures.csv", ImportStatus.CANCELLED, manufacturer_a, manufacturer_a, 1),
        ("pictures.csv", ImportStatus.COMPLETED, manufacturer_a, manufacturer_a, 1),
    ]
    assert imports[0].pk == admin_import.pk
    for handle in ("pik", "pic"):  # the same image fetch: the good one, the broken one skipped
        product = Product.objects.get(handle=handle)
        assert list(product.images.values_list("source_url", flat=True)) == ["https://cdn.example/a.png"]
    client.force_login(manufacturer_a)
    history = client.get(reverse("admin:imports_productimport_changelist")).content.decode()
    assert history.count("pictures.csv") == 2 and "catalogue.csv" in history


def test_command_notes_unknown_columns_as_the_admin_does(tmp_path, manufacturer_a):
    from django.core.management import call_command

    path = tmp_path / "extra.csv"
    path.write_text(TWO_PRODUCTS.replace("image_urls\n", "image_urls,colour_code\n", 1), encoding="utf-8")

    call_command("import_products", str(path), manufacturer=manufacturer_a.email)

    assert "Ignored column: colour_code." in ProductImport.objects.get().message
