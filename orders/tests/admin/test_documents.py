"""An order's packing slip and invoice: real PDFs (WeasyPrint), a manufacturer's holding only
their own lines, and nobody printing an order they cannot see."""

import pytest
from django.urls import reverse

from orders.documents import order_document_html
from orders.tests.helpers import line, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_order(customer, phone, shirt, shirt_m):
    """One order with a line of manufacturer A (phone) and one of manufacturer B (shirt M)."""
    return place(customer, line(phone, 2), line(shirt, 1, shirt_m))


def document_url(order, kind: str) -> str:
    return reverse(f"admin:orders_order_{kind.replace('-', '_')}", args=[order.pk])


@pytest.mark.parametrize("kind", ["packing-slip", "invoice"])
def test_a_manufacturer_prints_their_order_as_a_pdf(client, manufacturer_a, mixed_order, kind):
    client.force_login(manufacturer_a)

    response = client.get(document_url(mixed_order, kind))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{kind}-{mixed_order.number}.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")


def test_the_packing_slip_lists_items_and_address_without_prices(manufacturer_a, mixed_order):
    html = order_document_html(order=mixed_order, kind="packing-slip", viewer=manufacturer_a)

    assert "Phone" in html and mixed_order.shipping_name in html
    assert "Shirt" not in html  # manufacturer B's line is not in A's parcel
    assert "₦" not in html


def test_a_manufacturers_invoice_holds_their_lines_and_their_total(manufacturer_a, mixed_order):
    html = order_document_html(order=mixed_order, kind="invoice", viewer=manufacturer_a)

    assert "Phone" in html and "₦200.00" in html  # 2 x 100.00
    assert "Shirt" not in html
    assert "Your lines" in html and "Subtotal" not in html  # not the whole basket's amounts


def test_staffs_invoice_holds_every_line_and_the_totals(staff_user, mixed_order):
    html = order_document_html(order=mixed_order, kind="invoice", viewer=staff_user)

    assert "Phone" in html and "Shirt" in html
    assert "Subtotal" in html and f"₦{mixed_order.total:,.2f}" in html


@pytest.mark.parametrize("kind", ["packing-slip", "invoice"])
def test_nobody_prints_an_order_they_cannot_see(client, manufacturer_a, manufacturer_b, customer,
                                                 phone, kind):
    theirs = place(customer, line(phone))  # manufacturer A's order only
    client.force_login(manufacturer_b)

    response = client.get(document_url(theirs, kind))

    assert response.status_code == 403
    assert not response.content.startswith(b"%PDF")


def test_an_id_that_is_not_a_number_is_not_an_error_page(client, staff_user):
    client.force_login(staff_user)

    for object_id in ("abc", "1/change", "99999999999999999999"):
        response = client.get(reverse("admin:orders_order_invoice", args=[object_id]))

        assert response.status_code == 404  # no order can have that id


def test_the_order_page_offers_both_documents(client, manufacturer_a, mixed_order):
    client.force_login(manufacturer_a)

    html = client.get(reverse("admin:orders_order_change", args=[mixed_order.pk])).content.decode()

    assert document_url(mixed_order, "packing-slip") in html
    assert document_url(mixed_order, "invoice") in html
