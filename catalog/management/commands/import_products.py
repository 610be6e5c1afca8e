"""Import a (very large) catalogue file from the command line, with a progress bar.

    manage.py import_products FILE [--manufacturer EMAIL] [--dry-run] [--valid-rows-only]

Runs the same planner and writer as the admin import; without --manufacturer the file's
``manufacturer`` column names each row's manufacturer and the import runs as the first staff
user.
"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.importing.plan import plan_import
from catalog.importing.reader import FileError, read_import_file
from catalog.importing.write import write_plan
from users.models import User
from users.selectors import user_get_by_email


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
        if not total:
            return
        width = 30
        filled = int(width * done / total)
        sys.stdout.write(f"\r  checking [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stdout.flush()

    def handle(self, *args, file, manufacturer, dry_run, valid_rows_only, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if manufacturer:
            owner = user_get_by_email(email=manufacturer)
            if owner is None or not owner.is_manufacturer:
                raise CommandError(f"{manufacturer} is not a manufacturer.")
            actor, target = owner, owner
        else:
            actor = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
            if actor is None:
                raise CommandError("Name a --manufacturer, or create a staff user first.")
            target = None
        started = time.perf_counter()
        try:
            parsed = read_import_file(path.read_bytes(), filename=path.name)
        except FileError as exc:
            raise CommandError(str(exc)) from None
        total = len(parsed.rows)
        plan = plan_import(
            rows=parsed.rows, actor=actor, manufacturer=target,
            on_progress=lambda done: self._bar(done, total),
        )
        self.stdout.write("")
        counts = plan.counts()
        self.stdout.write(
            f"{total} rows: {counts['create']} new, {counts['update']} updated, "
            f"{counts['unchanged']} unchanged, {len(plan.errors)} errors "
            f"(checked in {time.perf_counter() - started:.1f} s)"
        )
        for error in plan.errors[:50]:
            self.stderr.write(f"  row {error.row}, {error.column}: {error.message}")
        if len(plan.errors) > 50:
            self.stderr.write(f"  ... and {len(plan.errors) - 50} more")
        if dry_run:
            self.stdout.write("Dry run: nothing written.")
            return
        if plan.errors and not valid_rows_only:
            raise CommandError("Nothing written: fix the errors, or pass --valid-rows-only.")
        result = write_plan(plan, actor=actor, note=f"Command import: {path.name}"[:255])
        self.stdout.write(
            self.style.SUCCESS(
                f"Written in {time.perf_counter() - started:.1f} s: {result.products_created} "
                f"products created, {result.products_updated} updated, "
                f"{result.variations_created} variations created, {result.stock_movements} "
                "stock changes."
            )
        )
