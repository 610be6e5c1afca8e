import pytest
from django.urls import reverse

from backoffice.tests.admin_forms import admin_form_data
from catalog.models import Category
from catalog.selectors import category_labels

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_category_changelist")


def test_tree_lists_in_path_order_with_product_counts(
    client, staff_user, manufacturer_a, phones, make_product
):
    make_product(manufacturer_a, category=phones, name="P1")
    make_product(manufacturer_a, category=Category.objects.get(name="Phones"), name="P2")
    client.force_login(staff_user)

    response = client.get(CHANGELIST)

    rows = [(c.name, c.direct_count, c.subtree_count) for c in response.context["cl"].result_list]
    assert rows == [("Electronics", 0, 2), ("Phones", 1, 2), ("Android", 1, 1)]
    assert "Add child" in response.content.decode()


def test_add_child_in_place(client, staff_user, phones):
    client.force_login(staff_user)
    parent = Category.objects.get(name="Phones")
    add_url = reverse("admin:catalog_category_add") + f"?parent={parent.pk}"
    data = admin_form_data(client.get(add_url))
    data.update(name="iOS", description="Apple phones")

    response = client.post(add_url, data)

    assert response.status_code == 302
    ios = Category.objects.get(name="iOS")
    assert (category_labels()[ios.pk], ios.slug) == ("Electronics > Phones > iOS", "ios")


def test_duplicate_sibling_name_is_a_form_error(client, staff_user, phones):
    client.force_login(staff_user)
    parent = Category.objects.get(name="Phones")
    add_url = reverse("admin:catalog_category_add") + f"?parent={parent.pk}"
    data = admin_form_data(client.get(add_url))
    data.update(name="ANDROID")

    response = client.post(add_url, data)

    assert response.status_code == 200
    assert "A category named “ANDROID” already exists in “Phones”." in response.content.decode()
    assert Category.objects.count() == 3


def test_move_from_the_change_page(client, staff_user, phones, shoes):
    client.force_login(staff_user)
    android = Category.objects.get(name="Android")
    url = reverse("admin:catalog_category_change", args=[android.pk])
    data = admin_form_data(client.get(url))
    data.update(move_target=str(Category.objects.get(name="Fashion").pk), move_position="last-child")

    response = client.post(url, data)

    assert response.status_code == 302
    assert category_labels()[android.pk] == "Fashion > Android"


def test_delete_with_products_is_refused_with_the_reason(
    client, staff_user, manufacturer_a, phones, make_product
):
    make_product(manufacturer_a, category=phones)
    electronics = Category.objects.get(name="Electronics")
    client.force_login(staff_user)

    response = client.post(
        reverse("admin:catalog_category_delete", args=[electronics.pk]), {"post": "yes"}, follow=True
    )

    assert "cannot be deleted: 1 product is in it or its sub-categories" in response.content.decode()
    assert Category.objects.count() == 3


def test_delete_of_an_empty_subtree_works(client, staff_user, phones, shoes):
    client.force_login(staff_user)
    fashion = Category.objects.get(name="Fashion")

    response = client.post(reverse("admin:catalog_category_delete", args=[fashion.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert sorted(Category.objects.values_list("name", flat=True)) == ["Android", "Electronics", "Phones"]
