"""The order admin's papers: "Export selected as CSV" on the list, and the packing slip and
invoice (PDF) on an order's page, each scoped like the list (``get_scoped_or_403``)."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from orders.admin.export import orders_csv_response
from orders.documents import order_document_pdf


class OrderDocumentsMixin:
    @action(description=_("Export selected as CSV"))
    def export_csv(self, request, queryset):
        # ``queryset``: the selected rows (or all the filtered ones) of the scoped list.
        return orders_csv_response(orders=queryset, user=request.user)

    # -- documents --

    def _document(self, request, object_id, kind: str) -> HttpResponse:
        """The order's packing slip or invoice as a PDF (a manufacturer's: their lines only)."""
        order = self.get_scoped_or_403(request, object_id)
        pdf = order_document_pdf(order=order, kind=kind, viewer=request.user)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{kind}-{order.number}.pdf"'
        return response

    @action(description=_("Packing slip"), icon="inventory_2", url_path="packing-slip")
    def packing_slip(self, request, object_id):
        return self._document(request, object_id, "packing-slip")

    @action(description=_("Invoice"), icon="receipt_long", url_path="invoice")
    def invoice(self, request, object_id):
        return self._document(request, object_id, "invoice")
