"""An order's printed documents, as PDF: the packing slip (what goes in the parcel, no prices)
and the invoice (what was bought, at what price, and the totals).

Rendered from HTML templates (``templates/orders/documents/``) by WeasyPrint, offline: the page
uses the system fonts and no image or stylesheet from the network. A manufacturer's documents
hold only their own lines (an order split at checkout is theirs alone; an older order of several
sellers shows their part); staff's hold every line.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from core.money import money_format
from orders.models import Order, OrderItem
from orders.selectors import order_items_visible_to
from users.models import User, seller_public_name

KINDS = ("packing-slip", "invoice")


@dataclass(frozen=True)
class DocumentLine:
    item: OrderItem
    unit_price: str
    total: str


MARKETPLACE = "MARTAF"


def _seller(user: User) -> str:
    profile = getattr(user, "manufacturer_profile", None)
    return seller_public_name(
        profile_name=profile.display_name if profile else None,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
    )


def _context(*, order: Order, viewer: User) -> dict:
    items = list(
        order_items_visible_to(user=viewer)
        .filter(order=order)
        .select_related("manufacturer__manufacturer_profile")
        .order_by("pk")
    )
    whole = viewer.is_staff or len(items) == order.items.count()
    lines_total = sum((item.line_total for item in items), Decimal("0"))
    sellers = sorted({_seller(item.manufacturer) for item in items if item.manufacturer})
    return {
        "order": order,
        "sellers": sellers,
        "lines": [
            DocumentLine(item, money_format(item.unit_price_paid), money_format(item.line_total))
            for item in items
        ],
        "units": sum(item.quantity for item in items),
        "whole": whole,
        "lines_total": money_format(lines_total),
        "subtotal": money_format(order.subtotal),
        "discount": money_format(order.discount),
        "shipping": money_format(order.shipping_cost),
        "total": money_format(order.total),
        "printed": timezone.localtime(),
        "marketplace": MARKETPLACE,
        "currency": settings.CURRENCY,
    }


def order_document_html(*, order: Order, kind: str, viewer: User) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown document {kind!r}")
    return render_to_string(f"orders/documents/{kind}.html", _context(order=order, viewer=viewer))


def order_document_pdf(*, order: Order, kind: str, viewer: User) -> bytes:
    """The document as PDF bytes (A4)."""
    from weasyprint import HTML  # a heavy import, needed only when a document is printed

    return HTML(string=order_document_html(order=order, kind=kind, viewer=viewer)).write_pdf()
