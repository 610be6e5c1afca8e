"""The life cycle's runs: large files go to the worker, whose tasks get the import timeout;
each run reads the stored file once at most (the image step not at all)."""

import sys

import pytest

from catalog.models import Product
from imports import lifecycle
from imports.lifecycle import import_confirm, import_start
from imports.models import ImportMode, ImportStatus, ProductImport
from imports.tests.uploads import TWO_PRODUCTS, serve_images, upload

pytestmark = pytest.mark.django_db


# -- the worker: large files, task timeout, the sweeper's schedule ----------------------------


def test_large_files_go_to_the_worker_with_progress(
    settings, manufacturer_a, django_capture_on_commit_callbacks
):
    settings.CATALOG_IMPORT_BACKGROUND_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        product_import = import_start(actor=manufacturer_a, file=upload(TWO_PRODUCTS))
    product_import.refresh_from_db()
    assert (product_import.status, product_import.rows_done, product_import.rows_total) == (
        ImportStatus.PREVIEWED, 3, 3,
    )

    with django_capture_on_commit_callbacks(execute=True):
        queued = import_confirm(product_import=product_import, actor=manufacturer_a, mode=ImportMode.ALL_OR_NOTHING)
    assert queued.status == ImportStatus.QUEUED
    product_import.refresh_from_db()
    assert product_import.status == ImportStatus.COMPLETED
    assert Product.objects.count() == 2


def test_import_tasks_are_queued_with_the_import_timeout(
    settings, monkeypatch, manufacturer_a, django_capture_on_commit_callbacks
):
    settings.CATALOG_IMPORT_BACKGROUND_ROWS = 1
    queued = []
    monkeypatch.setattr(lifecycle, "async_task", lambda *a, **k: queued.append((a, k)))

    with django_capture_on_commit_callbacks(execute=True):
        product_import = import_start(actor=manufacturer_a, file=upload(TWO_PRODUCTS))

    assert queued == [(("imports.tasks.product_import_check_task", product_import.pk),
                       {"timeout": settings.CATALOG_IMPORT_TASK_TIMEOUT})]
    # A live task is dead by the end of its lease; a re-delivered one comes after it.
    assert settings.CATALOG_IMPORT_TASK_TIMEOUT + 3 < settings.CATALOG_IMPORT_LEASE_SECONDS
    assert settings.CATALOG_IMPORT_LEASE_SECONDS < settings.Q_CLUSTER["retry"]
    product_import.refresh_from_db()
    assert product_import.status == ImportStatus.VALIDATING and product_import.lease_expires_at


# -- one read of the stored file per run -------------------------------------------------------


@pytest.fixture
def file_reads(monkeypatch) -> list[str]:
    """The reads of an import file: the real reader, wrapped in every imports module that holds
    it, counting each call (the file's name)."""
    from imports import reader

    real = reader.read_import_file
    reads = []

    def counted(raw, **kwargs):
        reads.append(kwargs["filename"])
        return real(raw, **kwargs)

    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if name.startswith("imports.") and getattr(module, "read_import_file", None) is real:
            monkeypatch.setattr(module, "read_import_file", counted)
    return reads


def test_the_check_reads_the_file_once(file_reads, manufacturer_a):
    product_import = import_start(actor=manufacturer_a, file=upload(TWO_PRODUCTS))

    assert (product_import.status, file_reads) == (ImportStatus.PREVIEWED, ["catalogue.csv"])


def test_the_write_reads_the_file_once_and_the_image_step_not_at_all(
    fake_web, file_reads, manufacturer_a, django_capture_on_commit_callbacks
):
    serve_images(fake_web)
    text = TWO_PRODUCTS.replace("SHEA,48,,", "SHEA,48,,https://cdn.example/a.png")
    product_import = import_start(actor=manufacturer_a, file=upload(text))
    assert file_reads == ["catalogue.csv"]  # the check

    with django_capture_on_commit_callbacks(execute=True):  # the write, then the image task
        result = import_confirm(product_import=product_import, actor=manufacturer_a,
                                mode=ImportMode.ALL_OR_NOTHING)

    shea = Product.objects.get(handle="shea")
    assert (result.status, shea.images.count()) == (ImportStatus.COMPLETED, 1)
    assert file_reads == ["catalogue.csv", "catalogue.csv"]  # the check, the write: no more
    # The addresses the write's plan found, kept on the import for the image step.
    assert ProductImport.objects.values_list("image_urls", flat=True).get() == {
        str(shea.pk): ["https://cdn.example/a.png"]
    }


@pytest.mark.parametrize("who", ["author", "manufacturer"])
def test_a_queued_import_of_a_seller_suspended_since_writes_nothing(
    manufacturer_a, staff_user, who
):
    """Confirmed (queued for the worker), then the seller is suspended: the run checks the
    seller's status before it writes, and fails with the reason."""
    from users.onboarding import manufacturer_decide

    author = manufacturer_a if who == "author" else staff_user
    queued = lifecycle.import_create(
        actor=author, file=upload(TWO_PRODUCTS), manufacturer=manufacturer_a,
        status=ImportStatus.QUEUED,
    )
    manufacturer_decide(user=manufacturer_a, actor=staff_user, decision="suspend",
                        reason="Counterfeit goods")

    done = lifecycle.import_apply(import_id=queued.pk)

    assert done.status == ImportStatus.FAILED
    assert done.message == (
        f"Nothing was imported: {manufacturer_a.email} may no longer change the catalogue "
        "(suspended or deactivated since the import was confirmed)."
    )
    assert not done.is_applied
    assert Product.objects.count() == 0
