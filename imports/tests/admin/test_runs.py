"""Cancel and retry in the admin: staff and the owner, from the history's rows and the
import's page; a manufacturer only their own; a refused retry changes nothing."""

import pytest
from django.urls import reverse

from catalog.models import Product
from imports.lifecycle import import_confirm
from imports.models import ImportMode, ImportStatus
from imports.runs import imports_fail_stalled
from imports.tests.states import died_while_running, previewed, snapshot

pytestmark = pytest.mark.django_db


def row_action(name: str, pk: int) -> str:
    return reverse(f"admin:imports_productimport_{name}", args=[pk])


DIALOG = {"_form_submitted": "1"}  # what the row action's confirmation dialog posts


def test_the_owner_retries_a_stalled_import_from_the_history_then_confirms(client, manufacturer_a):
    product_import = died_while_running(manufacturer_a)
    client.force_login(manufacturer_a)
    history = client.get(reverse("admin:imports_productimport_changelist")).content.decode()
    assert "Stalled" in history and row_action("retry_row", product_import.pk) in history

    response = client.post(row_action("retry_row", product_import.pk), DIALOG)

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("admin:imports_productimport_change",
                                              args=[product_import.pk])
    product_import.refresh_from_db()
    assert (product_import.status, product_import.attempts, product_import.rows_total) == (
        ImportStatus.PREVIEWED, 1, 3,
    )
    assert Product.objects.count() == 0  # nothing written until the fresh preview is confirmed
    client.post(reverse("admin:imports_productimport_confirm", args=[product_import.pk]),
                {"mode": "all_or_nothing"})
    assert Product.objects.count() == 2


def test_the_owner_cancels_a_stalled_import_from_its_page(client, manufacturer_a):
    product_import = died_while_running(manufacturer_a)
    client.force_login(manufacturer_a)
    page = client.get(reverse("admin:imports_productimport_change", args=[product_import.pk]))
    assert "Stalled: the worker stopped" in page.content.decode()

    client.post(reverse("admin:imports_productimport_cancel", args=[product_import.pk]))

    product_import.refresh_from_db()
    assert product_import.status == ImportStatus.CANCELLED


def test_a_failed_import_is_retried_from_its_page(client, manufacturer_a):
    product_import = died_while_running(manufacturer_a)
    imports_fail_stalled()
    client.force_login(manufacturer_a)

    client.post(reverse("admin:imports_productimport_retry", args=[product_import.pk]))

    product_import.refresh_from_db()
    assert (product_import.status, product_import.message) == (ImportStatus.PREVIEWED, "")


@pytest.mark.parametrize(
    "url",
    [
        lambda pk: row_action("retry_row", pk),
        lambda pk: row_action("cancel_row", pk),
        lambda pk: reverse("admin:imports_productimport_retry", args=[pk]),
        lambda pk: reverse("admin:imports_productimport_cancel", args=[pk]),
    ],
)
def test_another_manufacturer_cannot_cancel_or_retry_it(client, manufacturer_a, manufacturer_b, url):
    product_import = died_while_running(manufacturer_a)
    before = snapshot(product_import)
    client.force_login(manufacturer_b)

    response = client.post(url(product_import.pk), DIALOG)

    assert response.status_code in (403, 404)
    assert snapshot(product_import) == before


def test_staff_cancel_a_manufacturers_stalled_import(client, staff_user, manufacturer_a):
    product_import = died_while_running(manufacturer_a)
    client.force_login(staff_user)

    client.post(row_action("cancel_row", product_import.pk), DIALOG)

    product_import.refresh_from_db()
    assert product_import.status == ImportStatus.CANCELLED


def test_retrying_a_completed_import_is_refused_and_changes_nothing(client, manufacturer_a):
    product_import = previewed(manufacturer_a)
    import_confirm(product_import=product_import, actor=manufacturer_a, mode=ImportMode.ALL_OR_NOTHING)
    before = snapshot(product_import)
    client.force_login(manufacturer_a)

    response = client.post(reverse("admin:imports_productimport_retry", args=[product_import.pk]),
                           follow=True)

    assert "Only a failed or stalled import can be retried." in response.content.decode()
    assert snapshot(product_import) == before
