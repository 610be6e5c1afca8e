"""The product list's Import and Export buttons and its "Export selected (CSV)" action, which
this app adds to the catalogue's product admin: on the list (not on the approval queue), the
export scoped to the user's own products and, as an action, to the rows ticked; old links to
the import pages still open them."""

import pytest
from django.urls import reverse

from imports.tests.states import previewed

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_product_changelist")


def test_export_button_downloads_only_the_own_catalogue(
    client, manufacturer_a, manufacturer_b, phones, make_product
):
    make_product(manufacturer_a, category=phones, name="Mine")
    make_product(manufacturer_b, category=phones, name="Theirs")
    client.force_login(manufacturer_a)

    response = client.get(reverse("admin:catalog_product_export_catalogue"))

    body = response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="martaf-catalogue.csv"'
    assert "Mine" in body and "Theirs" not in body
    xlsx = client.get(reverse("admin:catalog_product_export_catalogue") + "?format=xlsx")
    assert xlsx.content[:2] == b"PK"  # a zip: the .xlsx container


def test_export_selected_ignores_ids_outside_the_scope(
    client, manufacturer_a, manufacturer_b, phones, make_product
):
    theirs = make_product(manufacturer_b, category=phones, name="Theirs")
    client.force_login(manufacturer_a)

    response = client.post(
        CHANGELIST, {"action": "export_selected", "_selected_action": [str(theirs.pk)]}
    )

    assert "Theirs" not in response.content.decode()


def test_export_selected_exports_only_the_ticked_rows_of_the_own_catalogue(
    client, manufacturer_a, manufacturer_b, phones, make_product
):
    ticked = make_product(manufacturer_a, category=phones, name="Ticked")
    make_product(manufacturer_a, category=phones, name="Left alone")
    theirs = make_product(manufacturer_b, category=phones, name="Theirs")
    client.force_login(manufacturer_a)

    response = client.post(CHANGELIST, {
        "action": "export_selected", "_selected_action": [str(ticked.pk), str(theirs.pk)],
    })

    body = response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="martaf-catalogue.csv"'
    assert "Ticked" in body and "Left alone" not in body and "Theirs" not in body


def test_the_buttons_are_on_the_product_list_and_not_on_the_approval_queue(
    client, staff_user, manufacturer_a
):
    buttons = [reverse("admin:catalog_product_import_products"),
               reverse("admin:catalog_product_export_catalogue")]
    client.force_login(manufacturer_a)
    products = client.get(CHANGELIST).content.decode()
    go_import = client.get(buttons[0])
    client.force_login(staff_user)
    queue = client.get(reverse("admin:catalog_pendingproduct_changelist")).content.decode()

    assert all(button in products for button in buttons)
    assert not any(button in queue for button in buttons)
    assert "export_selected" in products and "export_selected" not in queue
    assert go_import["Location"] == reverse("admin:imports_productimport_add")


def test_links_to_the_imports_old_admin_address_open_the_import(client, manufacturer_a):
    """Links made while imports were the catalogue's point to
    /admin/catalog/productimport/<id>/change/."""
    product_import = previewed(manufacturer_a)
    client.force_login(manufacturer_a)

    response = client.get(f"/admin/catalog/productimport/{product_import.pk}/change/?from=email")

    assert response.status_code == 302
    assert response["Location"] == (
        f"/admin/imports/productimport/{product_import.pk}/change/?from=email")
    assert client.get(response["Location"]).status_code == 200
