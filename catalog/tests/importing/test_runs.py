"""The runs working on an import: a run holds a lease; a run whose worker died is taken over
on re-delivery or failed with a reason; confirm, cancel and retry move an import only from the
statuses they always could; staff and the owner cancel or retry it in the admin (a manufacturer
only their own); large files go to the worker, whose tasks get the import timeout; each run
reads the stored file once at most."""

import sys
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.errors import CatalogError
from catalog.importing import (
    import_apply,
    import_cancel,
    import_confirm,
    import_retry,
    import_start,
    imports_fail_stalled,
    lifecycle,
)
from catalog.models import ImportMode, ImportStatus, Product, ProductImport, StockMovement
from catalog.tests.importing.uploads import TWO_PRODUCTS, serve_images, upload

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(hours=1)


def previewed(user) -> ProductImport:
    product_import = import_start(actor=user, file=upload(TWO_PRODUCTS))
    assert product_import.status == ImportStatus.PREVIEWED
    return product_import


def died_while_running(user, *, attempts: int = 1) -> ProductImport:
    """An import a worker claimed for the write and then died on: RUNNING, lease run out."""
    product_import = previewed(user)
    ProductImport.objects.filter(pk=product_import.pk).update(
        status=ImportStatus.RUNNING, run_id=uuid.uuid4(), attempts=attempts,
        heartbeat_at=timezone.now() - LONG_AGO, lease_expires_at=timezone.now() - LONG_AGO / 2,
    )
    product_import.refresh_from_db()
    return product_import


def running_alive(user) -> ProductImport:
    product_import = died_while_running(user)
    ProductImport.objects.filter(pk=product_import.pk).update(
        heartbeat_at=timezone.now(), lease_expires_at=timezone.now() + LONG_AGO
    )
    product_import.refresh_from_db()
    return product_import


def snapshot(product_import):
    product_import.refresh_from_db()
    return (product_import.status, product_import.run_id, product_import.attempts,
            product_import.message, Product.objects.count(), StockMovement.objects.count())


# -- the lease -------------------------------------------------------------------------------


def test_a_run_holds_a_lease_while_it_works_and_lets_go_when_done(manufacturer_a, monkeypatch):
    seen = []
    real_plan = lifecycle.plan_import

    def watching(**kwargs):
        seen.append(ProductImport.objects.values("status", "run_id", "lease_expires_at").get())
        return real_plan(**kwargs)

    monkeypatch.setattr(lifecycle, "plan_import", watching)
    product_import = previewed(manufacturer_a)
    result = import_confirm(product_import=product_import, actor=manufacturer_a,
                            mode=ImportMode.ALL_OR_NOTHING)

    check, write = seen
    assert check["status"] == ImportStatus.VALIDATING and write["status"] == ImportStatus.RUNNING
    assert check["run_id"] and write["run_id"] and check["run_id"] != write["run_id"]
    assert write["lease_expires_at"] > timezone.now() + timedelta(seconds=60)
    assert (result.status, result.run_id, result.lease_expires_at, result.attempts) == (
        ImportStatus.COMPLETED, None, None, 1,
    )


def test_redelivery_of_a_running_import_whose_lease_ran_out_takes_it_over(manufacturer_a):
    product_import = died_while_running(manufacturer_a)

    result = import_apply(import_id=product_import.pk)  # the task, handed out again

    assert (result.status, result.attempts, result.run_id) == (ImportStatus.COMPLETED, 2, None)
    assert Product.objects.count() == 2


def test_redelivery_while_the_run_is_alive_changes_nothing(manufacturer_a):
    product_import = running_alive(manufacturer_a)
    before = snapshot(product_import)

    result = import_apply(import_id=product_import.pk)

    assert result.status == ImportStatus.RUNNING
    assert snapshot(product_import) == before


def test_after_max_attempts_a_stalled_import_fails_with_the_reason(settings, manufacturer_a):
    product_import = died_while_running(manufacturer_a, attempts=settings.CATALOG_IMPORT_MAX_ATTEMPTS)

    result = import_apply(import_id=product_import.pk)

    assert result.status == ImportStatus.FAILED
    assert result.message == (
        "The worker stopped 3 times while importing this file (it may be too large for one run); "
        "nothing was written. Split the file, or retry it."
    )
    assert (Product.objects.count(), result.run_id) == (0, None)


def test_the_sweeper_fails_stalled_imports_and_leaves_live_ones(manufacturer_a, manufacturer_b):
    dead = died_while_running(manufacturer_a)
    alive = running_alive(manufacturer_b)
    alive_before = snapshot(alive)

    assert imports_fail_stalled() == 1

    dead.refresh_from_db()
    assert dead.status == ImportStatus.FAILED
    assert dead.message.startswith("The worker stopped while importing this file (no sign of life "
                                   "since ")
    assert dead.message.endswith("UTC); nothing was written. Retry it, or cancel it.")
    assert snapshot(alive) == alive_before


def test_a_run_that_lost_its_lease_cannot_commit_its_write(manufacturer_a, monkeypatch):
    product_import = previewed(manufacturer_a)
    ProductImport.objects.filter(pk=product_import.pk).update(status=ImportStatus.QUEUED)
    real_plan = lifecycle.plan_import
    successor = uuid.uuid4()

    def slow_plan(**kwargs):
        plan = real_plan(**kwargs)
        # Meanwhile the lease ran out and a re-delivered task took the import over.
        ProductImport.objects.filter(pk=product_import.pk).update(run_id=successor)
        return plan

    monkeypatch.setattr(lifecycle, "plan_import", slow_plan)

    result = import_apply(import_id=product_import.pk)

    assert (result.status, result.run_id) == (ImportStatus.RUNNING, successor)
    assert (Product.objects.count(), StockMovement.objects.count()) == (0, 0)  # rolled back


def test_a_stuck_queued_import_whose_task_never_came_is_stalled(manufacturer_a):
    product_import = previewed(manufacturer_a)
    ProductImport.objects.filter(pk=product_import.pk).update(
        status=ImportStatus.QUEUED, lease_expires_at=timezone.now() - LONG_AGO
    )
    product_import.refresh_from_db()

    assert product_import.is_stalled
    assert imports_fail_stalled() == 1


# -- cancel and retry (services) --------------------------------------------------------------


def test_a_stalled_run_can_be_cancelled_and_a_live_write_cannot(manufacturer_a, manufacturer_b):
    dead = died_while_running(manufacturer_a)
    alive = running_alive(manufacturer_b)
    alive_before = snapshot(alive)

    import_cancel(product_import=dead)
    with pytest.raises(CatalogError, match="being written now"):
        import_cancel(product_import=alive)

    dead.refresh_from_db()
    assert (dead.status, dead.run_id) == (ImportStatus.CANCELLED, None)
    assert snapshot(alive) == alive_before


def test_a_cancelled_queued_import_is_not_written_when_its_task_comes(manufacturer_a, settings,
                                                                        django_capture_on_commit_callbacks):
    product_import = previewed(manufacturer_a)
    settings.CATALOG_IMPORT_BACKGROUND_ROWS = 1
    with django_capture_on_commit_callbacks() as queued:
        import_confirm(product_import=product_import, actor=manufacturer_a,
                       mode=ImportMode.ALL_OR_NOTHING)
    import_cancel(product_import=product_import)

    for task in queued:
        task()

    product_import.refresh_from_db()
    assert (product_import.status, Product.objects.count()) == (ImportStatus.CANCELLED, 0)



def in_status(user, status, *, stalled=False, applied=False) -> ProductImport:
    """A previewed import put in ``status``; in progress, its run alive or stalled."""
    product_import = previewed(user)
    working = status in (ImportStatus.VALIDATING, ImportStatus.QUEUED, ImportStatus.RUNNING)
    ProductImport.objects.filter(pk=product_import.pk).update(
        status=status, is_applied=applied, run_id=uuid.uuid4() if working else None,
        lease_expires_at=(timezone.now() + (-LONG_AGO if stalled else LONG_AGO)) if working
        else None,
    )
    product_import.refresh_from_db()
    return product_import


def moved(user, product_import, action: str) -> str | None:
    """The status ``action`` moved the import to, or None when it was refused (and then
    nothing changed)."""
    before = snapshot(product_import)
    try:
        if action == "confirm":
            import_confirm(product_import=product_import, actor=user,
                           mode=ImportMode.ALL_OR_NOTHING)
        elif action == "cancel":
            import_cancel(product_import=product_import)
        else:
            import_retry(product_import=product_import)
    except CatalogError:
        assert snapshot(product_import) == before
        return None
    product_import.refresh_from_db()
    return product_import.status


S = ImportStatus


@pytest.mark.parametrize(
    "status, stalled, applied, confirm, cancel, retry",
    [
        (S.VALIDATING, False, False, None, S.CANCELLED, None),
        (S.VALIDATING, True, False, None, S.CANCELLED, S.PREVIEWED),
        (S.PREVIEWED, False, False, S.COMPLETED, S.CANCELLED, None),
        (S.QUEUED, False, False, None, S.CANCELLED, None),
        (S.QUEUED, True, False, None, S.CANCELLED, S.PREVIEWED),
        (S.RUNNING, False, False, None, None, None),
        (S.RUNNING, True, False, None, S.CANCELLED, S.PREVIEWED),
        (S.COMPLETED, False, True, None, None, None),
        (S.FAILED, False, False, None, None, S.PREVIEWED),
        (S.FAILED, False, True, None, None, None),
        (S.CANCELLED, False, False, None, None, None),
    ],
)
def test_confirm_cancel_and_retry_move_an_import_only_from_where_they_always_could(
    manufacturer_a, status, stalled, applied, confirm, cancel, retry
):
    outcomes = {
        action: moved(manufacturer_a, in_status(manufacturer_a, status, stalled=stalled,
                                                 applied=applied), action)
        for action in ("confirm", "cancel", "retry")
    }

    assert outcomes == {"confirm": confirm, "cancel": cancel, "retry": retry}


# -- the admin: row actions, page buttons, scoping ---------------------------------------------


def row_action(name: str, pk: int) -> str:
    return reverse(f"admin:catalog_productimport_{name}", args=[pk])


DIALOG = {"_form_submitted": "1"}  # what the row action's confirmation dialog posts


def test_the_owner_retries_a_stalled_import_from_the_history_then_confirms(client, manufacturer_a):
    product_import = died_while_running(manufacturer_a)
    client.force_login(manufacturer_a)
    history = client.get(reverse("admin:catalog_productimport_changelist")).content.decode()
    assert "Stalled" in history and row_action("retry_row", product_import.pk) in history

    response = client.post(row_action("retry_row", product_import.pk), DIALOG)

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("admin:catalog_productimport_change",
                                              args=[product_import.pk])
    product_import.refresh_from_db()
    assert (product_import.status, product_import.attempts, product_import.rows_total) == (
        ImportStatus.PREVIEWED, 1, 3,
    )
    assert Product.objects.count() == 0  # nothing written until the fresh preview is confirmed
    client.post(reverse("admin:catalog_productimport_confirm", args=[product_import.pk]),
                {"mode": "all_or_nothing"})
    assert Product.objects.count() == 2


def test_the_owner_cancels_a_stalled_import_from_its_page(client, manufacturer_a):
    product_import = died_while_running(manufacturer_a)
    client.force_login(manufacturer_a)
    page = client.get(reverse("admin:catalog_productimport_change", args=[product_import.pk]))
    assert "Stalled: the worker stopped" in page.content.decode()

    client.post(reverse("admin:catalog_productimport_cancel", args=[product_import.pk]))

    product_import.refresh_from_db()
    assert product_import.status == ImportStatus.CANCELLED


def test_a_failed_import_is_retried_from_its_page(client, manufacturer_a):
    product_import = died_while_running(manufacturer_a)
    imports_fail_stalled()
    client.force_login(manufacturer_a)

    client.post(reverse("admin:catalog_productimport_retry", args=[product_import.pk]))

    product_import.refresh_from_db()
    assert (product_import.status, product_import.message) == (ImportStatus.PREVIEWED, "")


@pytest.mark.parametrize(
    "url",
    [
        lambda pk: row_action("retry_row", pk),
        lambda pk: row_action("cancel_row", pk),
        lambda pk: reverse("admin:catalog_productimport_retry", args=[pk]),
        lambda pk: reverse("admin:catalog_productimport_cancel", args=[pk]),
    ],
)
def test_another_manufacturer_cannot_cancel_or_retry_it(client, manufacturer_a, manufacturer_b, url):
    product_import = died_while_running(manufacturer_a)
    before = snapshot(product_import)
    client.force_login(manufacturer_b)

    response = client.post(url(product_import.pk), DIALOG)

    assert response.status_code in (403, 404)
    assert snapshot(product_import) == before


def test_staff_cancel_a_manufacturers_stalled_import(client, staff_user, manufacturer_a):
    product_import = died_while_running(manufacturer_a)
    client.force_login(staff_user)

    client.post(row_action("cancel_row", product_import.pk), DIALOG)

    product_import.refresh_from_db()
    assert product_import.status == ImportStatus.CANCELLED


def test_retrying_a_completed_import_is_refused_and_changes_nothing(client, manufacturer_a):
    product_import = previewed(manufacturer_a)
    import_confirm(product_import=product_import, actor=manufacturer_a, mode=ImportMode.ALL_OR_NOTHING)
    before = snapshot(product_import)
    client.force_login(manufacturer_a)

    response = client.post(reverse("admin:catalog_productimport_retry", args=[product_import.pk]),
                           follow=True)

    assert "Only a failed or stalled import can be retried." in response.content.decode()
    assert snapshot(product_import) == before


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

    assert queued == [(("catalog.tasks.product_import_check_task", product_import.pk),
                       {"timeout": settings.CATALOG_IMPORT_TASK_TIMEOUT})]
    # A live task is dead by the end of its lease; a re-delivered one comes after it.
    assert settings.CATALOG_IMPORT_TASK_TIMEOUT + 3 < settings.CATALOG_IMPORT_LEASE_SECONDS
    assert settings.CATALOG_IMPORT_LEASE_SECONDS < settings.Q_CLUSTER["retry"]
    product_import.refresh_from_db()
    assert product_import.status == ImportStatus.VALIDATING and product_import.lease_expires_at


def test_the_sweeper_is_scheduled_every_five_minutes():
    from django_q.models import Schedule

    from catalog.tasks import product_imports_recover_task

    schedule = Schedule.objects.get(func="catalog.tasks.product_imports_recover_task")
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 5, -1)
    assert product_imports_recover_task() == 0


# -- one read of the stored file per run -------------------------------------------------------


@pytest.fixture
def file_reads(monkeypatch) -> list[str]:
    """The reads of an import file: the real reader, wrapped in every catalog module that holds
    it, counting each call (the file's name)."""
    from catalog.importing import reader

    real = reader.read_import_file
    reads = []

    def counted(raw, **kwargs):
        reads.append(kwargs["filename"])
        return real(raw, **kwargs)

    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if name.startswith("catalog.") and getattr(module, "read_import_file", None) is real:
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
