"""Catalogue imports: who, when, which file, what it did, and the lease of the run working on it.

The model lived in the catalogue: it keeps its table (``catalog_productimport``) and the names
of its indexes (``imports/migrations/0001_initial.py``).

A run (checking or writing, in a request, a task or the command) claims the import with a new
``run_id`` and a lease (``lease_expires_at``) that its heartbeats extend; a run whose lease has
run out is presumed dead (worker killed, task timed out) and its import is *stalled*: it can be
cancelled or retried, and a re-delivered task takes it over. Every save of a run is conditional
on its ``run_id``, so a run that was taken over can never overwrite its successor.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.transitions import StatusMoves


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Checking")
    PREVIEWED = "previewed", _("Ready to import")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses in which a run holds (or is about to take) the import's lease.
IN_PROGRESS_STATUSES = (ImportStatus.VALIDATING, ImportStatus.QUEUED, ImportStatus.RUNNING)

# The moves of an import's status (``imports.runs`` makes them). A run claims its
# import (checking stays "Checking"; the write takes "Queued", or a stalled "Running", to
# "Running") and ends it; a confirm queues a preview; cancel and retry come from the statuses
# below, and "Running" only once its run has stalled (a live write cannot be stopped); the
# sweeper fails stalled runs. Completed and cancelled imports are final.
IMPORT_MOVES = StatusMoves("status", {
    ImportStatus.VALIDATING: {
        ImportStatus.VALIDATING, ImportStatus.PREVIEWED, ImportStatus.FAILED,
        ImportStatus.CANCELLED,
    },
    ImportStatus.PREVIEWED: {ImportStatus.QUEUED, ImportStatus.CANCELLED},
    ImportStatus.QUEUED: {
        ImportStatus.RUNNING, ImportStatus.FAILED, ImportStatus.CANCELLED, ImportStatus.VALIDATING,
    },
    ImportStatus.RUNNING: {
        ImportStatus.RUNNING, ImportStatus.COMPLETED, ImportStatus.FAILED,
        ImportStatus.CANCELLED, ImportStatus.VALIDATING,
    },
    ImportStatus.FAILED: {ImportStatus.VALIDATING},  # retry (only when nothing was written)
})


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    VALID_ROWS_ONLY = "valid_rows_only", _("Import valid rows only")


class ProductImportManager(models.Manager):
    """Reads imports without ``image_urls``: only the image step needs the addresses (a large
    import's can be megabytes), so the history, the reports and the runs never load them."""

    def get_queryset(self):
        return super().get_queryset().defer("image_urls")


class ProductImport(models.Model):
    """One catalogue import: who, when, which file, what it did, and every error found."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The manufacturer whose catalogue this is; null for a staff import naming manufacturers
    # per row.
    manufacturer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="product_imports",
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    mode = models.CharField(
        _("mode"), max_length=16, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row", "column", "message"}]
    # A sample of what the import changes, shown on the preview: [{"row", "action", ...}].
    changes = models.JSONField(default=list, blank=True)
    is_applied = models.BooleanField(default=False)
    # The image addresses the written plan named, by product id ({"<uuid>": ["https://..."]}):
    # what the image step fetches, so that it never reads the file again.
    image_urls = models.JSONField(default=dict, blank=True, editable=False)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The run working on it (checking, queued or writing): see the module docstring.
    run_id = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("Runs started since the upload or the last retry.")
    )
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    objects = ProductImportManager()

    class Meta:
        db_table = "catalog_productimport"
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["manufacturer", "-created_at"], name="catalog_import_mfr"),
            # The stalled-run sweeper's query.
            models.Index(fields=["status", "lease_expires_at"], name="catalog_import_lease"),
        ]

    def __str__(self) -> str:
        # The file's name only: the status has its own words (imports.admin_status),
        # and the stored choice's label would call a preview with errors "Ready to import".
        return self.original_name

    @property
    def is_stalled(self) -> bool:
        """Being worked on, but the run's lease ran out: its worker is gone."""
        return (
            self.status in IN_PROGRESS_STATUSES
            and self.lease_expires_at is not None
            and self.lease_expires_at < timezone.now()
        )

    @property
    def progress_percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
