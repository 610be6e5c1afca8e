"""The product list's Import and Export buttons and its "Export selected (CSV)" action.

They show on the catalogue's product list (``admin:catalog_product_<name>``, the URLs they
always had), which takes them from ``catalog.admin.products.extensions``: this app registers
them in ``ImportsConfig.ready()``. The export is the import's own format (``export``); a
manufacturer exports only their own products, and "Export selected" only the rows ticked.
"""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from imports.export import catalogue_export

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _export_response(request, products=None, file_format="csv") -> HttpResponse:
    data = catalogue_export(
        user=request.user,
        products=products,
        file_format=file_format,
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(data, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="martaf-catalogue.{file_format}"'
    return response


@action(description=_("Export selected (CSV)"), permissions=["view"])
def export_selected(model_admin, request, queryset):
    # ``queryset`` is already scoped by the admin's get_queryset; the export scopes again by
    # selector.
    return _export_response(request, products=queryset)


@action(
    description=_("Export catalogue"), icon="download", url_path="export", permissions=["view"]
)
def export_catalogue(model_admin, request):
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return _export_response(request, file_format=file_format)


def has_import_permission(model_admin, request, obj=None) -> bool:
    return request.user.has_perm("imports.add_productimport")


@action(
    description=_("Import"), icon="upload", url_path="import-products", permissions=["import"]
)
def import_products(model_admin, request):
    return redirect(reverse("admin:imports_productimport_add"))
