"""One status vocabulary for catalogue imports, wherever a run is listed: Catalogue → Imports
(list and page), Reports → Import history, the dashboard's recent imports.

``import_status(run)`` is the words and the colour; ``import_status_badge(run)`` the badge as
HTML (unfold's label, the same badge as the admin lists); the template
``admin/imports/productimport/status_badge.html`` draws it from a template (``imp`` in the
context); ``IMPORT_STATES`` filters runs by the same words. A preview with errors is never
"Ready to import" (the stored status is "previewed" either way).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from imports.models import ImportStatus, ProductImport


@dataclass(frozen=True)
class ImportStatusBadge:
    text: str
    variant: str  # unfold's label variants: info, warning, success, danger, primary, "" (grey)

    def __str__(self) -> str:
        return str(self.text)


def import_status(product_import: ProductImport) -> ImportStatusBadge:
    status = product_import.status
    if product_import.is_stalled:  # its worker died: staff or the owner may retry or cancel it
        return ImportStatusBadge(_("Stalled"), "danger")
    if status == ImportStatus.PREVIEWED:
        if product_import.error_count:
            return ImportStatusBadge(_("Errors found"), "danger")
        return ImportStatusBadge(_("Ready to import"), "warning")
    if status == ImportStatus.COMPLETED:
        if product_import.skipped_count:
            return ImportStatusBadge(_("Imported, rows skipped"), "warning")
        return ImportStatusBadge(_("Imported"), "success")
    return {
        ImportStatus.VALIDATING: ImportStatusBadge(_("Checking"), "info"),
        ImportStatus.QUEUED: ImportStatusBadge(_("Queued"), "info"),
        ImportStatus.RUNNING: ImportStatusBadge(_("Importing"), "info"),
        ImportStatus.FAILED: ImportStatusBadge(_("Failed"), "danger"),
        ImportStatus.CANCELLED: ImportStatusBadge(_("Cancelled"), ""),
    }[status]


def import_status_badge(product_import: ProductImport) -> SafeString:
    return render_to_string(
        "admin/imports/productimport/status_badge.html", {"imp": product_import}
    )


# Filter choices in the badges' words: key -> (label, condition on ProductImport).
IMPORT_STATES: dict[str, tuple[str, Q]] = {
    "errors": (_("Errors found"), Q(status=ImportStatus.PREVIEWED, error_count__gt=0)),
    "ready": (_("Ready to import"), Q(status=ImportStatus.PREVIEWED, error_count=0)),
    "working": (
        _("Checking or importing"),
        Q(status__in=[ImportStatus.VALIDATING, ImportStatus.QUEUED, ImportStatus.RUNNING]),
    ),
    "imported": (_("Imported"), Q(status=ImportStatus.COMPLETED)),
    "failed": (_("Failed"), Q(status=ImportStatus.FAILED)),
    "cancelled": (_("Cancelled"), Q(status=ImportStatus.CANCELLED)),
}
