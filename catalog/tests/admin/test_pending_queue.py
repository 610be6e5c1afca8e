"""Deciding from a product's page in the pending queue moves on through the queue, never to
the "doesn't exist" dashboard."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from catalog.models import ApprovalStatus, Product
from catalog.services import product_approve

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:catalog_pendingproduct_changelist")


def queue_page(product) -> str:
    return reverse("admin:catalog_pendingproduct_change", args=[product.pk])


def status_of(product) -> str:
    return Product.objects.get(pk=product.pk).approval_status


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def queue(manufacturer_a, phones, make_product):
    """Two products waiting, the first submitted first."""
    first = make_product(manufacturer_a, category=phones, name="First", submit=True)
    second = make_product(manufacturer_a, category=phones, name="Second", submit=True)
    Product.objects.filter(pk=second.pk).update(updated_at=first.updated_at.replace(year=2099))
    return first, second


def test_approve_from_the_queue_page_goes_on_to_the_next_product(client, staff_user, queue):
    first, second = queue
    client.force_login(staff_user)
    assert client.get(queue_page(first)).status_code == 200

    response = client.post(
        reverse("admin:catalog_pendingproduct_approve_detail", args=[first.pk]),
        {"_form_submitted": "on"},
    )

    assert status_of(first) == ApprovalStatus.APPROVED
    assert response["HX-Redirect"] == queue_page(second)
    assert messages_of(response) == [
        "“First” approved.",
        "Next in the queue (1 product waiting).",
    ]
    assert client.get(response["HX-Redirect"]).status_code == 200


def test_reject_of_the_last_product_goes_back_to_the_queue(client, staff_user, queue):
    first, second = queue
    product_approve(product=first, actor=staff_user)
    client.force_login(staff_user)

    response = client.post(
        reverse("admin:catalog_pendingproduct_reject_detail", args=[second.pk]),
        {"reason": "Blurry photos", "_form_submitted": "on"},
    )

    assert status_of(second) == ApprovalStatus.REJECTED
    assert response["HX-Redirect"] == QUEUE
    assert messages_of(response) == ["“Second” rejected."]
    queue_list = client.get(QUEUE)
    assert queue_list.status_code == 200
    assert list(queue_list.context["cl"].result_list) == []


def test_a_refused_decision_stays_on_the_product(client, staff_user, queue):
    first, _second = queue
    client.force_login(staff_user)

    # A reject without a reason is a form error in the dialog: nothing changes.
    response = client.post(
        reverse("admin:catalog_pendingproduct_reject_detail", args=[first.pk]),
        {"reason": "", "_form_submitted": "on"},
    )

    assert "HX-Redirect" not in response
    assert status_of(first) == ApprovalStatus.PENDING


def test_the_product_page_outside_the_queue_stays_on_the_product(client, staff_user, queue):
    first, _second = queue
    client.force_login(staff_user)

    response = client.post(
        reverse("admin:catalog_product_approve_detail", args=[first.pk]),
        {"_form_submitted": "on"},
    )

    assert response["HX-Redirect"] == reverse("admin:catalog_product_change", args=[first.pk])
    assert status_of(first) == ApprovalStatus.APPROVED


def test_a_manufacturer_cannot_decide_from_the_queue(client, manufacturer_a, queue):
    first, _second = queue
    client.force_login(manufacturer_a)

    response = client.post(
        reverse("admin:catalog_pendingproduct_approve_detail", args=[first.pk]),
        {"_form_submitted": "on"},
    )

    assert response.status_code == 403
    assert status_of(first) == ApprovalStatus.PENDING
