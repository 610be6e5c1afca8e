"""Import a (very large) catalogue file from the command line, with a progress bar.

    manage.py import_products FILE [--manufacturer EMAIL] [--dry-run] [--valid-rows-only]

Goes through the import service like the admin: the import is recorded in the admin's import
history, unknown columns are noted, and the images the file names are fetched after the write.
Without --manufacturer the file's ``manufacturer`` column names each row's manufacturer and the
import runs as the first staff user. It checks and writes in one pass (no preview to confirm);
--dry-run checks only and records the import as cancelled.

The command reads files of any number of rows (the admin's upload stops at
``CATALOG_IMPORT_MAX_ROWS``) and is not under the task timeout, so its run takes a longer lease
(an hour, extended every 1,000 rows checked): the write of a very large file is one long
transaction, and the sweeper must not take the import for dead meanwhile.
"""

import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from imports.lifecycle import import_apply, import_check, import_create
from imports.models import ImportMode, ImportStatus, ProductImport
from imports.runs import import_cancel
from users.models import User
from users.selectors import user_get_by_email

SHOWN_ERRORS = 50
LEASE_SECONDS = 3600


@contextlib.contextmanager
def queries_not_logged() -> Iterator[None]:
    """Run without DEBUG's query log. ``manage.py`` defaults to DEBUG=1 on a developer's machine,
    and Django then keeps the SQL and timing of every statement: about a quarter of a 100k-row
    import's time before the writer went to bulk statements. A command is one thread, so
    switching the setting for its run touches nobody else (Django's test runner does the same).
    """
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug


class Command(BaseCommand):
    help = "Import products from a CSV/XLSX file (one row per variation)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--manufacturer", help="email of the manufacturer to import for")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--valid-rows-only", action="store_true", help="write the products without errors"
        )

    def _bar(self, done: int, total: int) -> None:
        if done >= total:  # the last row checked: what follows is the write
            self._checked_at = time.perf_counter()
        if not total:
            return
        width = 30
        filled = int(width * done / total)
        sys.stdout.write(f"\r  checking [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stdout.flush()

    def _actor(self, manufacturer: str | None) -> tuple[User, User | None]:
        if manufacturer:
            owner = user_get_by_email(email=manufacturer)
            if owner is None or not owner.is_manufacturer:
                raise CommandError(f"{manufacturer} is not a manufacturer.")
            return owner, owner
        actor = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError("Name a --manufacturer, or create a staff user first.")
        return actor, None

    def _report(self, product_import: ProductImport, started: float) -> None:
        self.stdout.write("")
        self.stdout.write(
            f"{product_import.rows_total} rows: {product_import.created_count} new, "
            f"{product_import.updated_count} updated, {product_import.unchanged_count} unchanged, "
            f"{product_import.error_count} errors (read and checked in "
            f"{(self._checked_at or time.perf_counter()) - started:.1f} s; import "
            f"#{product_import.pk} in the admin's import history)"
        )
        for error in product_import.errors[:SHOWN_ERRORS]:
            self.stderr.write(f"  row {error['row']}, {error['column']}: {error['message']}")
        if product_import.error_count > SHOWN_ERRORS:
            self.stderr.write(f"  ... and {product_import.error_count - SHOWN_ERRORS} more")

    def handle(self, *args, file, manufacturer, dry_run, valid_rows_only, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        actor, target = self._actor(manufacturer)
        self._checked_at: float | None = None
        started = time.perf_counter()
        with path.open("rb") as handle:
            product_import = import_create(
                actor=actor,
                file=File(handle, name=path.name),
                manufacturer=target,
                mode=ImportMode.VALID_ROWS_ONLY if valid_rows_only else ImportMode.ALL_OR_NOTHING,
                status=ImportStatus.VALIDATING if dry_run else ImportStatus.QUEUED,
            )
        run = import_check if dry_run else import_apply
        with queries_not_logged():
            product_import = run(
                import_id=product_import.pk, on_progress=self._bar, max_rows=None,
                lease_seconds=LEASE_SECONDS,
            )
        self._report(product_import, started)
        if dry_run and product_import.status == ImportStatus.PREVIEWED:
            import_cancel(product_import=product_import)
            self.stdout.write("Dry run: nothing written.")
            return
        if product_import.status != ImportStatus.COMPLETED:
            if product_import.error_count and not valid_rows_only:
                raise CommandError("Nothing written: fix the errors, or pass --valid-rows-only.")
            raise CommandError(product_import.message)
        finished = time.perf_counter()
        checked_at = self._checked_at or started
        rate = product_import.rows_total / max(finished - started, 1e-9)
        self.stdout.write(
            self.style.SUCCESS(
                f"Written in {finished - checked_at:.1f} s after the check; "
                f"{finished - started:.1f} s in all ({rate:,.0f} rows/s): "
                f"{product_import.message}"
            )
        )
