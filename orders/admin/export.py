"""Sales → Orders, "Export selected as CSV": one row per order, in the user's scope.

Staff's rows hold the whole order (buyer, amounts); a manufacturer's hold their own lines'
figures only (the orders list's "Your total"), never the buyer's email or the basket's other
sellers. Every cell goes through ``core.spreadsheet`` (formulae escaped); money is a plain
number with the currency in its column's header, so a spreadsheet can add it up.
"""

import csv

from django.http import HttpResponse
from django.utils import timezone

from core.money import money_header, quantize_money
from core.spreadsheet import spreadsheet_cell
from orders.models import Order
from users.models import User

SHIP_TO = ["shipping_name", "shipping_phone", "shipping_address", "shipping_city",
           "shipping_state", "shipping_country", "shipping_postal_code"]


def _columns(user: User) -> list[tuple[str, object]]:
    """(header, value of an order annotated by ``orders_with_line_figures``)."""
    def placed(order: Order) -> str:
        return timezone.localtime(order.created_at).strftime("%Y-%m-%d %H:%M")

    common = [
        ("number", lambda o: o.number),
        ("placed", placed),
        ("status", lambda o: o.get_status_display()),
        ("payment", lambda o: o.get_payment_method_display()),
        ("payment status", lambda o: o.checkout.get_payment_status_display() if o.checkout_id else ""),
        ("lines", lambda o: o.line_count),
        ("lines shipped", lambda o: o.line_count - o.unshipped_count),
    ]
    ship_to = [(name.removeprefix("shipping_").replace("_", " "), lambda o, n=name: getattr(o, n))
               for name in SHIP_TO]
    tracking = [("tracking number", lambda o: o.tracking_number)]
    if not user.is_staff:
        return [*common, (money_header("your total"), lambda o: quantize_money(o.lines_total)), *ship_to, *tracking]
    return [
        *common,
        ("buyer email", lambda o: o.buyer.email if o.buyer_id else ""),
        (money_header("subtotal"), lambda o: o.subtotal),
        (money_header("discount"), lambda o: o.discount),
        (money_header("shipping"), lambda o: o.shipping_cost),
        (money_header("total"), lambda o: o.total),
        (money_header("refund due"), lambda o: o.refund_due),
        *ship_to,
        *tracking,
    ]


def orders_csv_response(*, orders, user: User) -> HttpResponse:
    """``orders`` (already scoped and annotated by the admin's queryset) as a CSV download."""
    columns = _columns(user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="orders-{stamp}.csv"'
    response.write("\ufeff")  # a BOM: Excel then reads the file as UTF-8 (₦, accents)
    writer = csv.writer(response)
    writer.writerow([header for header, _value in columns])
    for order in orders.order_by("-created_at", "-id").iterator(chunk_size=500):
        writer.writerow([spreadsheet_cell(value(order)) for _header, value in columns])
    return response
