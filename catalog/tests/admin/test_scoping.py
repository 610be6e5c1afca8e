"""Anonymous / customer / manufacturer A / manufacturer B / staff over every catalogue admin URL.

Manufacturer B reaching manufacturer A's objects by direct URL gets no page and changes nothing.
"""

import pytest
from django.urls import reverse

from catalog.models import ApprovalStatus, Product, StockMovement, Variation
from catalog.services import product_image_add
from catalog.tests.conftest import image_file

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


@pytest.fixture
def catalogue(manufacturer_a, manufacturer_b, phones, make_product):
    a = make_product(manufacturer_a, category=phones, name="A phone", stock=7, submit=True)
    b = make_product(manufacturer_b, category=phones, name="B phone", stock=3)
    for product in (a, b):
        product_image_add(product=product, actor=product.manufacturer, file=image_file())
    return a, b


def _who(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _object_urls(product_a):
    variation = product_a.variations.get()
    movement = StockMovement.objects.filter(product=product_a).first()
    return {
        "product change": reverse("admin:catalog_product_change", args=[product_a.pk]),
        "product delete": reverse("admin:catalog_product_delete", args=[product_a.pk]),
        "product history": reverse("admin:catalog_product_history", args=[product_a.pk]),
        "variation change": reverse("admin:catalog_variation_change", args=[variation.pk]),
        "movement change": reverse("admin:catalog_stockmovement_change", args=[movement.pk]),
    }


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_outsiders_are_sent_to_the_login_page_everywhere(client, request, catalogue, who):
    client = _client(client, _who(request, who))
    urls = [
        reverse("admin:catalog_product_changelist"),
        reverse("admin:catalog_product_add"),
        *_object_urls(catalogue[0]).values(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url


@pytest.mark.parametrize("who, expected", [("manufacturer_a", 200), ("staff_user", 200)])
def test_owner_and_staff_open_every_page_of_the_object(client, request, catalogue, who, expected):
    client = _client(client, _who(request, who))
    for name, url in _object_urls(catalogue[0]).items():
        assert client.get(url).status_code == expected, name


def test_other_manufacturer_cannot_open_any_page_of_the_object(client, manufacturer_b, catalogue):
    client.force_login(manufacturer_b)
    for name, url in _object_urls(catalogue[0]).items():
        response = client.get(url)
        # Django's "object does not exist" answer: back to the dashboard, nothing shown.
        assert response.status_code == 302, name
        assert response["Location"] == reverse("admin:index"), name


@pytest.mark.parametrize(
    "who, visible",
    [
        ("manufacturer_a", ["A phone"]),
        ("manufacturer_b", ["B phone"]),
        ("staff_user", ["A phone", "B phone"]),
    ],
)
def test_changelists_show_only_what_is_in_scope(client, request, catalogue, who, visible):
    client = _client(client, _who(request, who))
    names = {
        "catalog_product": lambda r: [p.name for p in r],
        "catalog_variation": lambda r: [v.product.name for v in r],
        "catalog_stockmovement": lambda r: [m.label for m in r],
    }
    for prefix, extract in names.items():
        response = client.get(reverse(f"admin:{prefix}_changelist"))
        assert response.status_code == 200, prefix
        assert sorted(extract(response.context["cl"].result_list)) == visible, prefix


def test_other_manufacturer_cannot_delete_by_post(client, manufacturer_b, catalogue):
    product_a = catalogue[0]
    client.force_login(manufacturer_b)

    response = client.post(
        reverse("admin:catalog_product_delete", args=[product_a.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert Product.objects.filter(pk=product_a.pk).exists()


def test_other_manufacturer_cannot_change_by_post(client, manufacturer_b, catalogue):
    product_a = catalogue[0]
    client.force_login(manufacturer_b)

    client.post(
        reverse("admin:catalog_product_change", args=[product_a.pk]),
        {"name": "Hijacked", "price": "1.00", "category": product_a.category_id},
    )

    assert Product.objects.get(pk=product_a.pk).name == "A phone"


def test_other_manufacturer_cannot_bulk_delete_through_the_action(client, manufacturer_b, catalogue):
    product_a = catalogue[0]
    client.force_login(manufacturer_b)

    client.post(
        reverse("admin:catalog_product_changelist"),
        {"action": "delete_selected", "_selected_action": [str(product_a.pk)], "post": "yes"},
    )

    assert Product.objects.filter(pk=product_a.pk).exists()


def test_other_manufacturer_cannot_adjust_stock_by_direct_url(client, manufacturer_b, catalogue):
    product_a = catalogue[0]
    variation = product_a.variations.get()
    client.force_login(manufacturer_b)

    response = client.post(
        reverse("admin:catalog_product_adjust_stock", args=[product_a.pk]),
        {"variation": variation.pk, "change": "-5", "reason": "manual", "_form_submitted": "on"},
    )

    assert response.status_code == 403
    assert Variation.objects.get(pk=variation.pk).stock == 7
    assert StockMovement.objects.filter(product=product_a).count() == 1


def test_manufacturer_cannot_approve_even_their_own(client, manufacturer_a, catalogue):
    product_a = catalogue[0]
    client.force_login(manufacturer_a)

    response = client.get(reverse("admin:catalog_product_approve_detail", args=[product_a.pk]))

    assert response.status_code == 403
    assert Product.objects.get(pk=product_a.pk).approval_status == ApprovalStatus.PENDING


@pytest.mark.parametrize(
    "url_name",
    ["admin:catalog_category_changelist", "admin:catalog_pendingproduct_changelist"],
)
def test_staff_only_catalogue_pages_are_forbidden_to_manufacturers(
    client, manufacturer_a, catalogue, url_name
):
    client.force_login(manufacturer_a)
    assert client.get(reverse(url_name)).status_code == 403
