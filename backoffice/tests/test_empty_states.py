"""Empty lists say what to do; "Reset filters" only when a filter or a search is in force."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

GENERIC = "This page yielded into no results"

# changelist -> (title, a phrase of the text, the add button's label or None)
EMPTY_STATES = {
    "catalog_product": ("No products yet", "Import (above)", "Add a product"),
    "catalog_pendingproduct": ("Nothing waits for approval", "oldest first", None),
    "reviews_review": ("No reviews yet", "waiting for moderation", None),
    "imports_productimport": ("No imports yet", "before anything is written", "Upload a CSV"),
    "catalog_variation": ("No variations yet", "are added on each product", None),
    "catalog_stockmovement": ("No stock movements yet", "with its reason", None),
    "orders_order": ("No orders yet", "placed on the storefront", None),
    "orders_orderitem": ("No order lines yet", "is a line here", None),
    "notifications_outboundmessage": ("The outbox is empty", "every email and SMS", None),
    "notifications_notification": ("No notifications", "all caught up", None),
    "notifications_message": ("No messages yet", "send each other", None),
}


@pytest.mark.parametrize("name", EMPTY_STATES)
def test_an_empty_list_says_what_to_do(client, staff_user, name):
    title, text, action = EMPTY_STATES[name]
    client.force_login(staff_user)

    html = client.get(reverse(f"admin:{name}_changelist")).content.decode()

    assert 'data-empty-state="empty"' in html
    assert title in html and text.lower() in html.lower()
    assert GENERIC not in html and "Reset filters" not in html
    if action:
        assert action in html


def test_a_manufacturers_empty_catalogue_points_to_add_and_import(client, manufacturer_a):
    client.force_login(manufacturer_a)

    html = client.get(reverse("admin:catalog_product_changelist")).content.decode()

    assert "No products yet" in html and "Add a product" in html
    assert "Reset filters" not in html


def test_a_filter_that_matches_nothing_offers_to_reset_it(client, staff_user):
    client.force_login(staff_user)

    filtered = client.get(reverse("admin:orders_order_changelist") + "?status__exact=shipped")
    searched = client.get(reverse("admin:catalog_product_changelist") + "?q=zzz")

    filtered_html, searched_html = filtered.content.decode(), searched.content.decode()
    assert 'data-empty-state="filtered"' in filtered_html
    assert "No orders match" in filtered_html and "Reset filters" in filtered_html
    assert "Nothing matches “zzz”. Clear the search" in searched_html
    assert "Clear search" in searched_html and "Add a product" not in searched_html
