"""Working in the product admin: create with variations and images, edit stock, moderate."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backoffice.tests.admin_forms import admin_form_data
from catalog.models import ApprovalStatus, Product, ProductImage, StockMovement
from catalog.services import product_image_add
from catalog.tests.conftest import image_file

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_product_changelist")


def _add_form(client, **overrides):
    data = admin_form_data(client.get(reverse("admin:catalog_product_add")))
    data.update(overrides)
    return data


def test_manufacturer_creates_a_product_with_two_variations(client, manufacturer_a, shoes):
    client.force_login(manufacturer_a)
    data = _add_form(
        client,
        name="Trail Runner",
        description="Grippy",
        price="450.00",
        discount_percent="10",
        category=str(shoes.pk),
        **{
            "variations-0-size": "42",
            "variations-0-color": "Red",
            "variations-0-sku": "TR-42-R",
            "variations-0-stock": "8",
            "variations-0-low_stock_threshold": "5",
            "variations-1-size": "43",
            "variations-1-color": "Red",
            "variations-1-stock": "4",
            "variations-1-low_stock_threshold": "5",
        },
    )

    response = client.post(reverse("admin:catalog_product_add"), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    product = Product.objects.get(name="Trail Runner")
    assert (product.manufacturer, product.inventory, product.discount_price) == (
        manufacturer_a,
        12,
        Decimal("405.00"),
    )
    assert product.approval_status == ApprovalStatus.DRAFT
    assert sorted(product.variations.values_list("size", "sku", "stock")) == [
        ("42", "TR-42-R", 8),
        ("43", "TRAIL-RUNNER-43-RED", 4),  # left blank: made up from the name, size and colour
    ]
    assert sorted(StockMovement.objects.values_list("delta", "reason")) == [
        (4, "manual"),
        (8, "manual"),
    ]


def test_manufacturer_creates_a_stock_only_product_with_an_image(client, manufacturer_a, phones):
    client.force_login(manufacturer_a)
    data = _add_form(
        client,
        name="Pixel 9",
        price="999.00",
        category=str(phones.pk),
        stock="15",
        **{"images-TOTAL_FORMS": "1", "images-0-alt_text": "Front", "images-0-position": "0"},
    )
    data["images-0-original"] = image_file("pixel.png")

    response = client.post(reverse("admin:catalog_product_add"), data)

    assert response.status_code == 302
    product = Product.objects.get(name="Pixel 9")
    assert product.inventory == 15
    image = product.images.get()
    assert (image.alt_text, bool(image.thumbnail), bool(image.medium)) == ("Front", True, True)


def test_a_text_file_renamed_jpg_is_a_form_error_and_nothing_is_created(
    client, manufacturer_a, phones
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manufacturer_a)
    data = _add_form(
        client,
        name="Fake photo",
        price="10",
        category=str(phones.pk),
        stock="1",
        **{"images-TOTAL_FORMS": "1", "images-0-position": "0"},
    )
    data["images-0-original"] = SimpleUploadedFile("a.jpg", b"not an image", "image/jpeg")

    response = client.post(reverse("admin:catalog_product_add"), data)

    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode() or (
        "not an image we can read" in response.content.decode()
    )
    assert Product.objects.count() == 0
    assert ProductImage.objects.count() == 0


def test_editing_stock_on_the_product_page_writes_the_ledger(
    client, manufacturer_a, phones, make_product
):
    product = make_product(manufacturer_a, category=phones, stock=10)
    client.force_login(manufacturer_a)
    url = reverse("admin:catalog_product_change", args=[product.pk])
    data = admin_form_data(client.get(url))
    data["variations-0-stock"] = "6"

    response = client.post(url, data)

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.inventory == 6
    movement = StockMovement.objects.latest("id")
    assert (movement.delta, movement.stock_after, movement.reason, movement.actor) == (
        -4,
        6,
        "manual",
        manufacturer_a,
    )


def test_a_stock_edit_from_a_stale_page_is_refused(client, manufacturer_a, phones, make_product):
    from catalog.models import StockReason
    from catalog.services import stock_adjust

    product = make_product(manufacturer_a, category=phones, stock=10)
    client.force_login(manufacturer_a)
    url = reverse("admin:catalog_product_change", args=[product.pk])
    data = admin_form_data(client.get(url))
    stock_adjust(variation=product.variations.get(), delta=-2, reason=StockReason.ORDER, actor=None)
    data["variations-0-stock"] = "20"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "The stock changed to 8 since you opened this page." in response.content.decode()
    assert product.variations.get().stock == 8


def test_duplicate_sku_in_the_form_is_a_form_error(client, manufacturer_a, shoes):
    client.force_login(manufacturer_a)
    data = _add_form(
        client,
        name="Twin",
        price="5",
        category=str(shoes.pk),
        **{
            "variations-0-size": "S",
            "variations-0-sku": "DUP",
            "variations-0-stock": "1",
            "variations-0-low_stock_threshold": "5",
            "variations-1-size": "M",
            "variations-1-sku": "DUP",
            "variations-1-stock": "1",
            "variations-1-low_stock_threshold": "5",
        },
    )

    response = client.post(reverse("admin:catalog_product_add"), data)

    assert response.status_code == 200
    assert "This SKU appears twice on this product." in response.content.decode()
    assert Product.objects.count() == 0


def test_adjust_stock_dialog_records_the_reason(client, manufacturer_a, phones, make_product):
    product = make_product(manufacturer_a, category=phones, stock=3)
    variation = product.variations.get()
    client.force_login(manufacturer_a)
    url = reverse("admin:catalog_product_adjust_stock", args=[product.pk])

    dialog = client.get(url)
    response = client.post(
        url,
        {"variation": variation.pk, "change": "12", "reason": "restock", "note": "Delivery 14",
         "_form_submitted": "on"},
    )

    assert dialog.status_code == 200
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("admin:catalog_product_change", args=[product.pk])
    movement = StockMovement.objects.latest("id")
    assert (movement.delta, movement.stock_after, movement.reason, movement.note) == (
        12,
        15,
        "restock",
        "Delivery 14",
    )


def test_adjust_stock_dialog_refuses_zero_and_changes_nothing(
    client, manufacturer_a, phones, make_product
):
    product = make_product(manufacturer_a, category=phones, stock=3)
    client.force_login(manufacturer_a)

    response = client.post(
        reverse("admin:catalog_product_adjust_stock", args=[product.pk]),
        {"variation": product.variations.get().pk, "change": "0", "reason": "manual",
         "_form_submitted": "on"},
    )

    assert "Enter a change other than 0." in response.content.decode()
    assert StockMovement.objects.count() == 1


def test_staff_bulk_reject_asks_for_a_reason_then_rejects(
    client, staff_user, manufacturer_a, phones, make_product
):
    products = [
        make_product(manufacturer_a, category=phones, name=f"P{i}", submit=True) for i in range(2)
    ]
    client.force_login(staff_user)
    selection = {"action": "reject_selected", "_selected_action": [str(p.pk) for p in products]}

    confirm = client.post(CHANGELIST, selection)
    assert confirm.status_code == 200
    assert "These 2 products will be rejected" in confirm.content.decode()
    assert Product.objects.filter(approval_status="rejected").count() == 0

    done = client.post(CHANGELIST, {**selection, "reason": "Missing photos"})

    assert done.status_code == 302
    assert list(
        Product.objects.order_by().values_list("approval_status", "rejection_reason").distinct()
    ) == [
        ("rejected", "Missing photos")
    ]


def test_pending_queue_lists_only_pending_products(
    client, staff_user, manufacturer_a, phones, make_product
):
    make_product(manufacturer_a, category=phones, name="Waiting", submit=True)
    make_product(manufacturer_a, category=phones, name="Draft")
    client.force_login(staff_user)

    response = client.get(reverse("admin:catalog_pendingproduct_changelist"))

    assert [p.name for p in response.context["cl"].result_list] == ["Waiting"]


def test_search_by_exact_sku(client, manufacturer_a, shoes, make_product):
    make_product(manufacturer_a, category=shoes, name="Boot", variations=[{"size": "S", "sku": "BT-1"}])
    make_product(manufacturer_a, category=shoes, name="Sandal", variations=[{"size": "S", "sku": "SD-1"}])
    client.force_login(manufacturer_a)

    response = client.get(CHANGELIST, {"q": "bt-1"})

    assert [p.name for p in response.context["cl"].result_list] == ["Boot"]


def test_category_filter_includes_the_subtree(client, staff_user, manufacturer_a, phones, make_product):
    from catalog.models import Category

    make_product(manufacturer_a, category=phones, name="In Android")
    make_product(manufacturer_a, category=Category.objects.get(name="Electronics"), name="In root")
    client.force_login(staff_user)

    response = client.get(CHANGELIST, {"category": Category.objects.get(name="Phones").pk})

    assert [p.name for p in response.context["cl"].result_list] == ["In Android"]


@pytest.mark.parametrize("who", ["manufacturer_a", "staff_user"])
def test_changelist_query_count_does_not_grow_with_the_page(
    client, request, who, manufacturer_a, phones, make_product
):
    user = request.getfixturevalue(who)
    client.force_login(user)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CHANGELIST).status_code == 200
        return len(queries)

    for i in range(3):
        product = make_product(manufacturer_a, category=phones, name=f"Few {i}")
        product_image_add(product=product, actor=manufacturer_a, file=image_file())
    few = count_queries()
    for i in range(30):
        make_product(manufacturer_a, category=phones, name=f"Many {i}", variations=[
            {"size": "S", "stock": 1}, {"size": "M", "stock": 9}])
    many = count_queries()

    assert few == many
    assert many <= 14


def test_an_untouched_stock_field_never_undoes_a_sale_made_meanwhile(
    client, manufacturer_a, phones, make_product
):
    from catalog.models import StockReason
    from catalog.services import stock_adjust

    product = make_product(manufacturer_a, category=phones, stock=10)
    client.force_login(manufacturer_a)
    url = reverse("admin:catalog_product_change", args=[product.pk])
    data = admin_form_data(client.get(url))
    stock_adjust(variation=product.variations.get(), delta=-3, reason=StockReason.ORDER, actor=None)
    data["variations-0-sku"] = "NEW-SKU"  # the page still shows stock 10

    response = client.post(url, data)

    assert response.status_code == 302
    variation = product.variations.get()
    assert (variation.sku, variation.stock) == ("NEW-SKU", 7)
    assert StockMovement.objects.count() == 2


def test_manufacturer_sees_the_stock_and_approval_history_tabs(
    client, manufacturer_a, staff_user, phones, make_product
):
    from catalog.services import product_approve

    product = make_product(manufacturer_a, category=phones, stock=4, submit=True)
    product_approve(product=product, actor=staff_user)
    client.force_login(manufacturer_a)

    response = client.get(reverse("admin:catalog_product_change", args=[product.pk]))

    inlines = {
        type(f.opts).__name__: len(f.formset.forms) for f in response.context["inline_admin_formsets"]
    }
    assert inlines["StockMovementInline"] == 1
    assert inlines["StatusChangeInline"] == 2
    html = response.content.decode()
    assert f"/admin/users/user/{staff_user.pk}/" not in html  # "by" is a name, not a link
    # Approved: no "Submit for approval" button for the manufacturer.
    assert reverse("admin:catalog_product_submit_detail", args=[product.pk]) not in html


def test_approve_opens_a_dialog_on_get_and_acts_only_on_post(
    client, staff_user, manufacturer_a, phones, make_product
):
    product = make_product(manufacturer_a, category=phones, submit=True)
    client.force_login(staff_user)
    url = reverse("admin:catalog_product_approve_detail", args=[product.pk])

    dialog = client.get(url)
    assert dialog.status_code == 200
    assert Product.objects.get(pk=product.pk).approval_status == ApprovalStatus.PENDING

    response = client.post(url, {"_form_submitted": "on"})

    assert response["HX-Redirect"] == reverse("admin:catalog_product_change", args=[product.pk])
    assert Product.objects.get(pk=product.pk).approval_status == ApprovalStatus.APPROVED
