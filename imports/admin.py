"""Catalogue import in the admin: upload -> preview (per-row errors) -> confirm -> result, with
live progress for large files, the history of every import, and cancel / retry of a run whose
worker died (row actions in the history, buttons on the import's page; scoped like the rest)."""

import csv
import io

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display
from unfold.widgets import UnfoldAdminFileFieldWidget, UnfoldAdminSelectWidget

from catalog.errors import CatalogError
from core.admin import Dialog, ScopedAdminMixin, dialog_action, htmx_redirect
from imports.admin_status import IMPORT_STATES, import_status_badge
from imports.columns import COLUMNS, STAFF_COLUMNS
from imports.lifecycle import import_confirm, import_retry, import_start
from imports.models import ImportMode, ImportStatus, ProductImport
from imports.preview import MAX_STORED_CHANGES
from imports.runs import import_cancel
from imports.selectors import product_imports_visible_to
from users.models import User

RETRY_DIALOG = Dialog(
    title=_("Retry this import?"),
    description=_("The stored file is checked again and a fresh preview waits for your "
                  "confirmation; nothing is written before that."),
    submit=_("Retry"),
)
CANCEL_DIALOG = Dialog(
    title=_("Cancel this import?"),
    description=_("Nothing of it has been written; it stays in the history as cancelled."),
    submit=_("Cancel import"),
)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


TEMPLATE_ROWS = [
    ["kente-shirt", "Kente panel shirt", "Hand-woven panels", "320.00", "0",
     "Fashion > Men > Shirts", "true", "M", "Gold", "KS-M", "12", "5", ""],
    ["kente-shirt", "", "", "", "", "", "", "L", "Gold", "KS-L", "4", "5", ""],
    ["shea-butter", "Raw shea butter 500g", "", "65.00", "10", "Beauty > Skincare", "true",
     "", "", "SB-500", "48", "10", ""],
]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("UTF-8 CSV (comma or semicolon) or .xlsx, one row per variation."),
        widget=UnfoldAdminFileFieldWidget,
    )
    manufacturer = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Manufacturer"),
        help_text=_("For rows without a manufacturer column."),
        widget=UnfoldAdminSelectWidget,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "UTF-8 CSV (comma or semicolon) or .xlsx, one row per variation; up to %(size)s and "
            "%(rows)s rows."
        ) % {"size": _megabytes(settings.CATALOG_IMPORT_MAX_BYTES),
             "rows": f"{settings.CATALOG_IMPORT_MAX_ROWS:,}"}
        if user.is_staff:
            self.fields["manufacturer"].queryset = User.objects.filter(is_manufacturer=True)
        else:
            del self.fields["manufacturer"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        limit = settings.CATALOG_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s (%(rows)s rows). Split it into "
                  "smaller files, or ask staff to run manage.py import_products.")
                % {"size": _megabytes(upload.size), "limit": _megabytes(limit),
                   "rows": f"{settings.CATALOG_IMPORT_MAX_ROWS:,}"}
            )
        return upload


class ImportStatusFilter(admin.SimpleListFilter):
    """The status filter in the words of the badges (a preview with errors is not "ready")."""

    title = _("status")
    parameter_name = "state"
    CHOICES = IMPORT_STATES

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _q) in self.CHOICES.items()]

    def queryset(self, request, queryset):
        choice = self.CHOICES.get(self.value())
        return queryset.filter(choice[1]) if choice else queryset


@admin.register(ProductImport)
class ProductImportAdmin(ScopedAdminMixin, ModelAdmin):
    empty_icon = "upload_file"
    empty_title = _("No imports yet")
    empty_text = _(
        "Upload a CSV or Excel file of your catalogue: you see what each row will change "
        "before anything is written."
    )
    empty_action = _("Upload a CSV")
    scope_selector = staticmethod(product_imports_visible_to)
    list_display = ["original_name", "created_at", "status_badge", "progress", "created_count",
                    "updated_count", "unchanged_count", "error_count", "created_by"]
    list_select_related = ["created_by", "manufacturer"]
    list_filter = [ImportStatusFilter]
    search_fields = ["original_name"]
    list_per_page = 50
    show_full_result_count = False
    actions_row = ["retry_row", "cancel_row"]

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path("template.csv", self.admin_site.admin_view(self.template_view),
                 name="%s_%s_template" % info),
            path("<int:pk>/confirm/", self.admin_site.admin_view(self.confirm_view),
                 name="%s_%s_confirm" % info),
            path("<int:pk>/cancel/", self.admin_site.admin_view(self.cancel_view),
                 name="%s_%s_cancel" % info),
            path("<int:pk>/retry/", self.admin_site.admin_view(self.retry_view),
                 name="%s_%s_retry" % info),
        ] + super().get_urls()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_run_permission(self, request, obj=None) -> bool:
        """Cancel and retry: whoever may import (staff, manufacturers); the object itself is
        checked against the scope in each action."""
        return request.user.has_perm("imports.add_productimport")

    @display(description=_("Status"), ordering="status")
    def status_badge(self, obj: ProductImport) -> str:
        return import_status_badge(obj)

    @display(description=_("Progress"))
    def progress(self, obj: ProductImport) -> str:
        return f"{obj.rows_done:,} / {obj.rows_total:,}" if obj.rows_total else "-"

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        too_large = _body_too_large(request)
        if too_large:
            # Refused before the body is parsed (or written to a temporary file).
            form = UploadForm(user=request.user)
            form.errors["file"] = form.error_class([too_large])
        else:
            form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and not too_large and form.is_valid():
            product_import = import_start(
                actor=request.user,
                file=form.cleaned_data["file"],
                manufacturer=form.cleaned_data.get("manufacturer"),
            )
            return HttpResponseRedirect(
                reverse("admin:imports_productimport_change", args=[product_import.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import products"),
            "opts": self.model._meta,
            "form": form,
            "columns": STAFF_COLUMNS if request.user.is_staff else COLUMNS,
        }
        return TemplateResponse(request, "admin/imports/productimport/upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        product_import = self.get_queryset(request).filter(pk=object_id).first()
        if product_import is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        in_progress = product_import.status in (
            ImportStatus.VALIDATING, ImportStatus.QUEUED, ImportStatus.RUNNING
        )
        context = {
            **self.admin_site.each_context(request),
            "title": product_import.original_name,
            "opts": self.model._meta,
            "original": product_import,
            "imp": product_import,
            "in_progress": in_progress,
            "can_confirm": product_import.status == ImportStatus.PREVIEWED,
            "stalled": product_import.is_stalled,
            "status_label": (
                _("Stalled") if product_import.is_stalled else product_import.get_status_display()
            ),
            "can_retry": product_import.is_stalled or (
                product_import.status == ImportStatus.FAILED and not product_import.is_applied
            ),
            "can_cancel": product_import.is_stalled or product_import.status in (
                ImportStatus.VALIDATING, ImportStatus.QUEUED
            ),
            "has_errors": product_import.error_count > 0,
            "errors_shown": product_import.errors,
            "errors_hidden": max(0, product_import.error_count - len(product_import.errors)),
            "modes": ImportMode,
            "rows_to_write": product_import.created_count + product_import.updated_count,
            "changes_cut": len(product_import.changes) >= MAX_STORED_CHANGES,
        }
        return TemplateResponse(request, "admin/imports/productimport/detail.html", context)

    def _own_import(self, request, pk) -> ProductImport:
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def confirm_view(self, request, pk):
        product_import = self._own_import(request, pk)
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:imports_productimport_change", args=[product_import.pk])
            )
        mode = request.POST.get("mode", ImportMode.ALL_OR_NOTHING)
        if mode not in ImportMode.values:
            mode = ImportMode.ALL_OR_NOTHING
        try:
            result = import_confirm(
                product_import=product_import, actor=request.user, mode=ImportMode(mode)
            )
        except CatalogError as exc:
            messages.error(request, exc.messages[0])
        else:
            # A short word; the page below carries the figures (the same as its cards).
            if result.status == ImportStatus.COMPLETED:
                messages.success(request, _("Import finished: see what changed below."))
            elif result.status == ImportStatus.FAILED:
                messages.error(request, _("Import stopped: nothing was written. See why below."))
        return HttpResponseRedirect(
            reverse("admin:imports_productimport_change", args=[product_import.pk])
        )

    def _run_action(self, request, product_import: ProductImport, verb: str) -> bool:
        """Cancel or retry ``product_import`` (already scoped), telling the user how it went."""
        try:
            if verb == "cancel":
                import_cancel(product_import=product_import)
                messages.info(request, _("Import cancelled; nothing was written."))
            else:
                import_retry(product_import=product_import)
                messages.info(request, _("The file is being checked again."))
        except CatalogError as exc:
            messages.error(request, exc.messages[0])
            return False
        return True

    def cancel_view(self, request, pk):
        product_import = self._own_import(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._run_action(request, product_import, "cancel")
        return HttpResponseRedirect(reverse("admin:imports_productimport_changelist"))

    def retry_view(self, request, pk):
        product_import = self._own_import(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._run_action(request, product_import, "retry")
        return HttpResponseRedirect(
            reverse("admin:imports_productimport_change", args=[product_import.pk])
        )

    @dialog_action(_("Retry"), "replay", "retry-run", "run", RETRY_DIALOG)
    def retry_row(self, request, form, object_id):
        self._run_action(request, self.get_scoped_or_403(request, object_id), "retry")
        return htmx_redirect(reverse("admin:imports_productimport_change", args=[object_id]))

    @dialog_action(_("Cancel"), "cancel", "cancel-run", "run", CANCEL_DIALOG)
    def cancel_row(self, request, form, object_id):
        self._run_action(request, self.get_scoped_or_403(request, object_id), "cancel")
        return htmx_redirect(reverse("admin:imports_productimport_changelist"))

    def template_view(self, request):
        columns = STAFF_COLUMNS if request.user.is_staff else COLUMNS
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in TEMPLATE_ROWS:
            writer.writerow(row + ([""] if request.user.is_staff else []))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="martaf-products-template.csv"'
        return response


def _body_too_large(request) -> str:
    """The form error for an upload whose declared size is over the limit, or ""."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return ""
    limit = settings.CATALOG_IMPORT_MAX_BYTES
    if request.method != "POST" or declared <= limit + 64 * 1024:  # the form's own fields
        return ""
    return _("The file is about %(size)s; the limit is %(limit)s (%(rows)s rows). Split it "
             "into smaller files.") % {"size": _megabytes(declared), "limit": _megabytes(limit),
                                        "rows": f"{settings.CATALOG_IMPORT_MAX_ROWS:,}"}
