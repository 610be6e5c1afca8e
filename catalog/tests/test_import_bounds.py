"""Import hardening (issue 13): the reader's bounds are the API's (``catalog.limits``), image
addresses must be public (SSRF), and a reader failure fails the import with a reason. Every
refusal is a row/column/reason at preview, and nothing is written."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from catalog.models import Category, ImportMode, ImportStatus, Product, ProductImage, StockMovement
from catalog.services.imports import import_confirm, import_start
from catalog.tests.conftest import image_file
from catalog.tests.test_import import HEADER, upload

pytestmark = pytest.mark.django_db

GOOD = "ok,Good,,5,,A > B,true,,,,1,,\n"
PUBLIC = "93.184.216.34"


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


@pytest.mark.parametrize(
    "row, error",
    [
        # Stock of 10**20 and its threshold: 500 at confirm before (integer overflow).
        ("bad,Bad,,10,,A > B,true,,,,100000000000000000000,,",
         ("stock", "“100000000000000000000” must be at most 1,000,000.")),
        ("bad,Bad,,10,,A > B,true,,,,1,1000001,",
         ("low_stock_threshold", "“1000001” must be at most 1,000,000.")),
        # A billion-digit integer is never built.
        ("bad,Bad,,10,,A > B,true,,,,1e999999999,,",
         ("stock", "“1e999999999” must be at most 1,000,000.")),
        ("bad,Bad,,10,,A > B,true,,,,Infinity,,", ("stock", "“Infinity” is not a whole number.")),
        ("bad,Bad,,1e20,,A > B,true,,,,1,,",
         ("price", "“1e20” must be at most 9999999999.99.")),
        # Control characters in a name, a NUL in a SKU (PostgreSQL cannot store it).
        ("bad,Bad\x01name,,10,,A > B,true,,,,1,,",
         ("name", "Remove the control character (U+0001) from this text.")),
        ("bad,Bad,,10,,A > B,true,,,X\x00Y,1,,",
         ("sku", "Remove the control character (U+0000) from this text.")),
        ("bad,Bad,,10,,A > B\x1b[31m,true,,,,1,,",
         ("category", "Remove the control character (U+001B) from this text.")),
    ],
)
def test_a_cell_over_the_apis_bounds_is_a_row_error_and_nothing_is_written(
    manufacturer_a, row, error
):
    product_import = preview(manufacturer_a, HEADER + GOOD + row + "\n")

    assert product_import.errors == [{"row": 3, "column": error[0], "message": error[1]}]
    confirm_fails(manufacturer_a, product_import)


def test_a_70_level_category_is_a_row_error_not_a_500_at_confirm(manufacturer_a):
    path = " > ".join(f"L{n}" for n in range(70))

    product_import = preview(manufacturer_a, HEADER + f"deep,Deep,,5,,{path},true,,,,1,,\n")

    assert product_import.errors == [
        {"row": 2, "column": "category", "message": "The path has 70 levels; at most 32 are allowed."}
    ]
    confirm_fails(manufacturer_a, product_import)


def test_a_field_over_128_kb_is_a_row_error_and_the_import_is_not_left_checking(
    manufacturer_a, django_capture_on_commit_callbacks
):
    # The csv module's 128 KB field limit raised inside the check: a 500, the import "Checking".
    huge = "x" * (200 * 1024)
    text = (HEADER + GOOD + f"big,Big,{huge},5,,A > B,true,,,,1,,\n"
            + f"big2,{huge},,5,,A > B,true,,,,1,,\n")

    with django_capture_on_commit_callbacks(execute=True):  # a large file: checked by the worker
        product_import = import_start(actor=manufacturer_a, file=upload(text))
    product_import.refresh_from_db()

    assert product_import.errors == [
        {"row": 3, "column": "description", "message": "The description is longer than 10,000 characters."},
        {"row": 4, "column": "name", "message": "The name is longer than 200 characters."},
    ]
    confirm_fails(manufacturer_a, product_import)


def test_tabs_and_line_breaks_stay_allowed_in_a_description(manufacturer_a):
    text = HEADER + 'mug,Mug,"Glazed\tclay\nhand-made",5,,A > B,true,,,,1,,\n'

    product_import = preview(manufacturer_a, text)
    result = import_confirm(product_import=product_import, actor=manufacturer_a,
                            mode=ImportMode.ALL_OR_NOTHING)

    assert result.status == ImportStatus.COMPLETED
    assert Product.objects.get().description == "Glazed\tclay\nhand-made"


def test_one_product_may_not_have_more_variations_or_images_than_the_api_allows(manufacturer_a):
    rows = [f"many,Many,,5,,A > B,true,S{n},,,1,," for n in range(201)]
    urls = "|".join(f"http://{PUBLIC}/{n}.png" for n in range(11))
    rows.append(f"pics,Pics,,5,,A > B,true,,,,1,,{urls}")

    product_import = preview(manufacturer_a, HEADER + "\n".join(rows) + "\n")

    assert product_import.errors == [
        {"row": 202, "column": "size", "message": "A product may have at most 200 variations (rows)."},
        {"row": 203, "column": "image_urls", "message": "A product may have at most 10 images."},
    ]
    confirm_fails(manufacturer_a, product_import)


def test_more_rows_than_the_limit_fail_the_check_with_the_reason(settings, manufacturer_a):
    settings.CATALOG_IMPORT_MAX_ROWS = 2

    product_import = import_start(actor=manufacturer_a, file=upload(HEADER + GOOD * 3))

    assert product_import.status == ImportStatus.FAILED
    assert product_import.message == (
        "The file has more than 2 rows. Split it into smaller files, or import it with "
        "manage.py import_products."
    )
    assert_nothing_written()


def test_an_unexpected_reader_failure_fails_the_import_with_a_reason(monkeypatch, manufacturer_a):
    from catalog.services import imports

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(imports, "plan_import", broken)

    product_import = import_start(actor=manufacturer_a, file=upload(HEADER + GOOD))

    assert product_import.status == ImportStatus.FAILED  # not left "Checking"
    assert product_import.message == (
        "Checking stopped on an unexpected error (logged for the site's staff); nothing was written."
    )
    assert (product_import.run_id, product_import.lease_expires_at) == (None, None)
    assert_nothing_written()


def test_an_exported_formula_reads_back_as_it_was(manufacturer_a):
    text = HEADER + "f,'=HYPERLINK(\"http://x\"),,5,,A > B,true,'@SUM(1),,'=1+1,1,,\n"

    product_import = preview(manufacturer_a, text)
    import_confirm(product_import=product_import, actor=manufacturer_a, mode=ImportMode.ALL_OR_NOTHING)

    product = Product.objects.get()
    assert product.name == '=HYPERLINK("http://x")'
    assert list(product.variations.values_list("size", "sku")) == [("@SUM(1)", "=1+1")]


# -- SSRF: image addresses --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://127.0.0.1:8799/x.png",
         "127.0.0.1 is a loopback address; only public addresses are fetched."),
        ("http://localhost/x.png",
         "localhost (127.0.0.1) is a loopback address; only public addresses are fetched."),
        ("http://169.254.169.254/latest/meta-data/",
         "169.254.169.254 is a link-local address; only public addresses are fetched."),
        ("http://intranet.example/x.png",
         "intranet.example (10.0.0.7) is a private address; only public addresses are fetched."),
        ("ftp://cdn.example/x.png", "“ftp://cdn.example/x.png” is not an http(s) address."),
    ],
)
def test_a_non_public_image_address_is_a_row_error_at_preview(fake_web, manufacturer_a, url, reason):
    fake_web.host("localhost", "127.0.0.1")
    fake_web.host("intranet.example", "10.0.0.7")

    product_import = preview(manufacturer_a, HEADER + f"pic,Pic,,5,,A > B,true,,,,1,,{url}\n")

    assert product_import.errors == [{"row": 2, "column": "image_urls", "message": reason}]
    confirm_fails(manufacturer_a, product_import)
    assert fake_web.connections == []


def test_each_host_is_resolved_once_per_import(fake_web, manufacturer_a):
    fake_web.host("cdn.example", PUBLIC)
    rows = [f"p{n},P{n},,5,,A > B,true,,,,1,,https://cdn.example/{n}.png" for n in range(5)]

    product_import = preview(manufacturer_a, HEADER + "\n".join(rows) + "\n")

    assert product_import.errors == [] and fake_web.lookups == ["cdn.example"]


def test_an_address_that_turns_private_after_the_preview_is_refused_at_fetch_time(
    fake_web, manufacturer_a, django_capture_on_commit_callbacks
):
    # DNS rebinding: public when checked at preview, loopback when the worker fetches it.
    fake_web.host("cdn.example", PUBLIC)
    fake_web.serve(PUBLIC, "/a.png", image_file().read(), headers={"Content-Type": "image/png"})
    product_import = preview(manufacturer_a, HEADER + "pic,Pic,,5,,A > B,true,,,,1,,http://cdn.example/a.png\n")
    with django_capture_on_commit_callbacks() as image_task:
        result = import_confirm(product_import=product_import, actor=manufacturer_a,
                                mode=ImportMode.ALL_OR_NOTHING)
    fake_web.host("cdn.example", "127.0.0.1")

    for callback in image_task:
        callback()

    assert result.status == ImportStatus.COMPLETED
    assert Product.objects.get().images.count() == 0
    assert fake_web.connections == []


def test_image_fetches_are_capped_in_size(fake_web, settings, manufacturer_a,
                                          django_capture_on_commit_callbacks):
    settings.CATALOG_IMAGE_MAX_BYTES = 1000
    fake_web.host("cdn.example", PUBLIC)
    fake_web.serve(PUBLIC, "/big.png", b"x" * 5000, declare_length=False)
    product_import = preview(manufacturer_a, HEADER + "pic,Pic,,5,,A > B,true,,,,1,,http://cdn.example/big.png\n")

    with django_capture_on_commit_callbacks(execute=True):
        import_confirm(product_import=product_import, actor=manufacturer_a, mode=ImportMode.ALL_OR_NOTHING)

    assert Product.objects.get().images.count() == 0
    assert fake_web.connections == [(PUBLIC, 80)]


def test_the_image_task_stops_at_its_time_budget_and_queues_the_rest(
    fake_web, monkeypatch, manufacturer_a
):
    from catalog import tasks
    from catalog.services import imports

    fake_web.host("cdn.example", PUBLIC)
    png = image_file().read()
    rows = []
    for n in range(3):
        fake_web.serve(PUBLIC, f"/{n}.png", png, headers={"Content-Type": "image/png"})
        rows.append(f"p{n},P{n},,5,,A > B,true,,,,1,,http://cdn.example/{n}.png")
    product_import = preview(manufacturer_a, HEADER + "\n".join(rows) + "\n")
    import_confirm(product_import=product_import, actor=manufacturer_a, mode=ImportMode.ALL_OR_NOTHING)
    ids = [str(p.pk) for p in Product.objects.order_by("handle")]
    clock = iter([0.0, 1.0, 2.0, 99.0, 99.0])  # the budget runs out after two images
    monkeypatch.setattr(imports, "time", SimpleNamespace(monotonic=lambda: next(clock)))
    queued = []
    monkeypatch.setattr(tasks, "async_task", lambda *args, **kwargs: queued.append((args, kwargs)))
    monkeypatch.setattr(tasks.settings, "CATALOG_IMPORT_IMAGES_TASK_SECONDS", 10)

    added = tasks.product_import_images_task(product_import.pk, ids)

    assert added == 2
    assert queued == [(("catalog.tasks.product_import_images_task", product_import.pk, ids[2:]),
                       {"timeout": tasks.settings.CATALOG_IMPORT_TASK_TIMEOUT})]
    assert ProductImage.objects.count() == 2
    assert Decimal(Product.objects.get(handle="p0").price) == Decimal("5")


def xlsx_upload(rows: list[list]) -> "object":
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("catalogue.xlsx", buffer.getvalue())


def test_an_xlsx_file_is_read_row_by_row_and_stops_at_the_row_limit(settings, manufacturer_a):
    header = HEADER.strip().split(",")
    row = ["mug", "Mug", "", 12.5, 0, "Home > Kitchen", "true", "", "", "MUG", 5, "", ""]
    ok = import_start(actor=manufacturer_a, file=xlsx_upload([header, row]))
    settings.CATALOG_IMPORT_MAX_ROWS = 2
    too_many = import_start(actor=manufacturer_a, file=xlsx_upload(
        [header] + [[f"m{n}", *row[1:9], f"M{n}", *row[10:]] for n in range(3)]
    ))

    assert (ok.status, ok.rows_total, ok.error_count) == (ImportStatus.PREVIEWED, 1, 0)
    assert too_many.status == ImportStatus.FAILED and "more than 2 rows" in too_many.message
    assert_nothing_written()
