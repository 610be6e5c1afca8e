"""The runs working on an import: a run holds a lease; a run whose worker died is taken over
on re-delivery or failed with a reason; confirm, cancel and retry move an import only from the
statuses they always could."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.errors import CatalogError
from catalog.models import Product, StockMovement
from imports import lifecycle
from imports.lifecycle import import_apply, import_confirm, import_retry
from imports.models import ImportMode, ImportStatus, ProductImport
from imports.runs import import_cancel, imports_fail_stalled
from imports.tests.states import LONG_AGO, died_while_running, previewed, running_alive, snapshot

pytestmark = pytest.mark.django_db


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
