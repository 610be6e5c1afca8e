"""The runs working on a catalogue import, and what staff and the owner can do when one dies.

A run (the check, or the write, in a request, a django-q2 task or ``manage.py import_products``)
*claims* the import: a new ``run_id``, one more attempt, and a lease of
``CATALOG_IMPORT_LEASE_SECONDS`` from the claim. The lease outlives the task timeout (django-q2
kills a task at its timeout), so a lease that has run out means the worker is gone (killed, out
of memory, timed out): the import is *stalled*. It ends before the broker hands an unacknowledged
task out again (``Q_CLUSTER["retry"]``), so that re-delivery finds it stalled and takes it over.
Heartbeats (every 1,000 rows checked) record a sign of life and the rows done; only the command,
which has no timeout, extends its (hour-long) lease with them. An import waiting for a task
(checking queued, or confirmed) holds a longer wait lease, ``CATALOG_IMPORT_QUEUE_SECONDS``.

- A re-delivered task that finds its import stalled takes it over (the write is one transaction,
  so a dead run wrote nothing) unless ``CATALOG_IMPORT_MAX_ATTEMPTS`` runs have already died on
  it; then the import fails with that reason.
- The sweeper (``imports.tasks.product_imports_recover_task``, every few minutes) fails stalled
  imports with a reason, so none stays "Running" for ever.
- Staff and the owner can cancel a stalled import, or retry a stalled or failed one: the stored
  file is checked again and a fresh preview waits for confirmation.

Every save of a run is conditional on its ``run_id`` (and, when it writes, made in the same
transaction as the write), so a run that lost its lease can never overwrite its successor. Every
status move is checked against the import's table of moves (``IMPORT_MOVES``), in the same
conditional update; whether a run has stalled (its lease ran out) is a further condition.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from catalog.errors import CatalogError, CatalogErrorCode
from imports.models import IMPORT_MOVES, IN_PROGRESS_STATUSES, ImportStatus, ProductImport

STALLED_MESSAGE = (
    "The worker stopped while {doing} this file (no sign of life since {since:%Y-%m-%d %H:%M} "
    "UTC); nothing was written. Retry it, or cancel it."
)
GAVE_UP_MESSAGE = (
    "The worker stopped {attempts} times while {doing} this file (it may be too large for one "
    "run); nothing was written. Split the file, or retry it."
)


class RunSuperseded(Exception):
    """The run lost its import: cancelled, or taken over after its lease ran out."""


def _lease_end(now, seconds: int | None = None):
    return now + timedelta(seconds=seconds or settings.CATALOG_IMPORT_LEASE_SECONDS)


def _wait_end(now):
    return now + timedelta(seconds=settings.CATALOG_IMPORT_QUEUE_SECONDS)


def _doing(status: str) -> str:
    return "importing" if status == ImportStatus.RUNNING else "checking"


def _stalled(now) -> Q:
    return Q(status__in=IN_PROGRESS_STATUSES, lease_expires_at__lt=now)


def _may_move(to: ImportStatus, *conditions: Q, **filters) -> QuerySet[ProductImport]:
    """The imports whose status may move to ``to`` (``IMPORT_MOVES``) and that meet the further
    ``conditions``: what a conditional update of a move writes to."""
    return ProductImport.objects.filter(*conditions, status__in=IMPORT_MOVES.sources(to), **filters)


def import_run_claim(
    *, import_id: int, waiting: ImportStatus, working: ImportStatus, lease_seconds: int | None = None
) -> uuid.UUID | None:
    """Take the import for a run: from ``waiting`` (not yet taken by a run, or its wait
    expired) or a stalled ``working`` run. Returns the new run's id, or None when the import is
    someone else's (a live run has it, it was cancelled, or it is done). A stalled import on
    which MAX_ATTEMPTS runs have died is failed instead."""
    now = timezone.now()
    run_id = uuid.uuid4()
    waiting_q = Q(status=waiting) & (Q(run_id__isnull=True) | Q(lease_expires_at__lt=now))
    stalled_q = Q(status=working, lease_expires_at__lt=now)
    claimable = _may_move(working, waiting_q | stalled_q, pk=import_id)
    taken = claimable.filter(attempts__lt=settings.CATALOG_IMPORT_MAX_ATTEMPTS).update(
        status=working,
        run_id=run_id,
        attempts=F("attempts") + 1,
        heartbeat_at=now,
        lease_expires_at=_lease_end(now, lease_seconds),
        started_at=now,
        finished_at=None,
    )
    if taken:
        return run_id
    exhausted = claimable.values_list("attempts", flat=True).first()
    if exhausted is not None:
        claimable.filter(status__in=IMPORT_MOVES.sources(ImportStatus.FAILED)).update(
            status=ImportStatus.FAILED,
            run_id=None,
            lease_expires_at=None,
            finished_at=now,
            message=GAVE_UP_MESSAGE.format(attempts=exhausted, doing=_doing(working)),
        )
    return None


def import_run_heartbeat(
    *, import_id: int, run_id: uuid.UUID, lease_seconds: int | None = None, **fields
) -> None:
    """The run is alive: record it (and save ``fields``, e.g. the rows done); a run with its own
    ``lease_seconds`` (the command) has its lease extended. Raises RunSuperseded when the run no
    longer holds the import."""
    now = timezone.now()
    if lease_seconds:
        fields["lease_expires_at"] = _lease_end(now, lease_seconds)
    alive = ProductImport.objects.filter(
        pk=import_id, run_id=run_id, status__in=IN_PROGRESS_STATUSES
    ).update(heartbeat_at=now, **fields)
    if not alive:
        raise RunSuperseded(import_id)


def import_run_finish(
    *, import_id: int, run_id: uuid.UUID, status: ImportStatus, **fields
) -> bool:
    """Save the run's outcome (``status`` and ``fields``) and let go of the import; False when
    the run had lost it."""
    return bool(
        _may_move(status, pk=import_id, run_id=run_id).update(
            status=status, run_id=None, lease_expires_at=None, finished_at=timezone.now(),
            **fields,
        )
    )


def import_queue_lease(*, import_id: int, status: ImportStatus, **fields) -> bool:
    """Mark the import as waiting for a run of a new stage (``status``: checking, or queued for
    the write, which only a preview may be), with a lease for the wait: a task that never comes
    (lost by the broker) leaves the import stalled, not waiting for ever. False when its status
    may not move there (``IMPORT_MOVES``): nothing was written."""
    now = timezone.now()
    refused_from = IMPORT_MOVES.move(
        ProductImport,
        pk=import_id,
        to=status,
        run_id=None,
        attempts=0,
        heartbeat_at=now,
        lease_expires_at=_wait_end(now),
        **fields,
    )
    return refused_from is None


def import_cancel(*, product_import: ProductImport) -> None:
    """Cancel an import that is not being written: awaiting confirmation, checking, queued, or
    stalled. A live write cannot be cancelled (it is one transaction: wait for it)."""
    now = timezone.now()
    not_a_live_write = ~Q(status=ImportStatus.RUNNING) | _stalled(now)
    cancelled = _may_move(ImportStatus.CANCELLED, not_a_live_write, pk=product_import.pk).update(
        status=ImportStatus.CANCELLED, run_id=None, lease_expires_at=None, finished_at=now
    )
    if not cancelled:
        raise CatalogError(
            "This import cannot be cancelled: it is being written now, or it has finished.",
            code=CatalogErrorCode.INVALID_TRANSITION,
        )


def import_retry_reset(*, product_import: ProductImport) -> None:
    """Put a stalled or failed import back to "Checking", as if just uploaded (its stored
    file is checked again; nothing is written until a fresh preview is confirmed)."""
    now = timezone.now()
    retryable = Q(status=ImportStatus.FAILED, is_applied=False) | _stalled(now)
    reset = _may_move(ImportStatus.VALIDATING, retryable, pk=product_import.pk).update(
        status=ImportStatus.VALIDATING,
        run_id=None,
        attempts=0,
        heartbeat_at=now,
        lease_expires_at=_wait_end(now),
        rows_done=0,
        created_count=0,
        updated_count=0,
        unchanged_count=0,
        skipped_count=0,
        error_count=0,
        errors=[],
        changes=[],
        message="",
        started_at=None,
        finished_at=None,
    )
    if not reset:
        raise CatalogError(
            "Only a failed or stalled import can be retried.",
            code=CatalogErrorCode.INVALID_TRANSITION,
        )


def imports_fail_stalled() -> int:
    """The sweeper: fail every stalled import with the reason; returns how many."""
    now = timezone.now()
    failed = 0
    for pk, status, heartbeat in ProductImport.objects.filter(_stalled(now)).values_list(
        "pk", "status", "heartbeat_at"
    ):
        failed += _may_move(ImportStatus.FAILED, _stalled(now), pk=pk, status=status).update(
            status=ImportStatus.FAILED,
            run_id=None,
            lease_expires_at=None,
            finished_at=now,
            message=STALLED_MESSAGE.format(doing=_doing(status), since=heartbeat or now),
        )
    return failed
