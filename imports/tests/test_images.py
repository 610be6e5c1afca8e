"""The images an import names: checked at preview (public http(s) addresses only, each host
resolved once), fetched after the write (checked again, capped in size and time), the
failures skipped, written as the importer (approval answers as for the rest of the import)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from catalog.models import ApprovalStatus, Product, ProductImage
from catalog.services import product_approve
from catalog.tests.conftest import image_file
from imports.lifecycle import import_confirm
from imports.models import ImportMode, ImportStatus
from imports.tests.uploads import (
    HEADER,
    PUBLIC,
    confirm_fails,
    preview,
    run_import,
    serve_images,
)
from notifications.models import Notification, NotificationEvent

pytestmark = pytest.mark.django_db


def test_image_urls_are_fetched_after_commit_and_failures_are_skipped(
    fake_web, manufacturer_a, django_capture_on_commit_callbacks
):
    serve_images(fake_web)
    text = HEADER + "pic,Pic,,5,,A > B,true,,,,1,,https://cdn.example/a.png|https://broken.example/b.png\n"

    with django_capture_on_commit_callbacks(execute=True):
        result = run_import(manufacturer_a, text)

    product = Product.objects.get(handle="pic")
    assert result.status == ImportStatus.COMPLETED
    assert list(product.images.values_list("source_url", flat=True)) == ["https://cdn.example/a.png"]


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
    from imports import images, tasks

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
    monkeypatch.setattr(images, "time", SimpleNamespace(monotonic=lambda: next(clock)))
    queued = []
    monkeypatch.setattr(tasks, "async_task", lambda *args, **kwargs: queued.append((args, kwargs)))
    monkeypatch.setattr(tasks.settings, "CATALOG_IMPORT_IMAGES_TASK_SECONDS", 10)

    added = tasks.product_import_images_task(product_import.pk, ids)

    assert added == 2
    assert queued == [(("imports.tasks.product_import_images_task", product_import.pk, ids[2:]),
                       {"timeout": tasks.settings.CATALOG_IMPORT_TASK_TIMEOUT})]
    assert ProductImage.objects.count() == 2
    assert Decimal(Product.objects.get(handle="p0").price) == Decimal("5")


# -- approval: the image step writes as the importer ------------------------------------------


def test_a_staff_import_stays_approved_when_its_images_arrive(
    fake_web, settings, staff_user, manufacturer_a, django_capture_on_commit_callbacks
):
    settings.CATALOG_REAPPROVE_ON_EDIT = True
    serve_images(fake_web)
    text = HEADER + "pic,Pic,,5,,A > B,true,,,,1,,https://cdn.example/a.png\n"

    with django_capture_on_commit_callbacks(execute=True):
        result = run_import(staff_user, text, manufacturer=manufacturer_a)

    product = Product.objects.get()
    assert (result.status, product.images.count(), product.approval_status) == (
        ImportStatus.COMPLETED, 1, ApprovalStatus.APPROVED,
    )
    # The import's own record, by the importer; nothing announced as the manufacturer's.
    assert list(product.status_changes.values_list("from_status", "to_status", "actor")) == [
        (ApprovalStatus.DRAFT, ApprovalStatus.APPROVED, staff_user.pk),
    ]
    assert not Notification.objects.filter(event=NotificationEvent.PRODUCT_SUBMITTED).exists()


def test_a_manufacturers_new_image_goes_to_approval_like_the_rest_of_their_import(
    fake_web, settings, staff_user, manufacturer_a, django_capture_on_commit_callbacks
):
    settings.CATALOG_REAPPROVE_ON_EDIT = True
    serve_images(fake_web)
    run_import(manufacturer_a, HEADER + "pic,Pic,,5,,A > B,true,,,,1,,\n")
    product_approve(product=Product.objects.get(), actor=staff_user)
    text = HEADER + "pic,Pic,,5,,A > B,true,,,,1,,https://cdn.example/a.png\n"

    with django_capture_on_commit_callbacks(execute=True):
        run_import(manufacturer_a, text)

    product = Product.objects.get()
    assert (product.images.count(), product.approval_status) == (1, ApprovalStatus.PENDING)
    last = product.status_changes.order_by("-id").first()
    assert (last.from_status, last.to_status, last.actor, last.reason) == (
        ApprovalStatus.APPROVED, ApprovalStatus.PENDING, manufacturer_a, "Edited after approval",
    )
