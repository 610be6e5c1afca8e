"""Shipping addresses (docs/api.md#shipping-addresses): a bare array; the form's placeholder fields
accepted; one default per user."""

import pytest

from shopping.models import ShippingAddress
from shopping.tests.helpers import assert_json

pytestmark = pytest.mark.django_db

FORM = {
    # What the storefront's address form posts, placeholders included.
    "id": 0,
    "name": "",
    "street": "",
    "phone_number": "",
    "full_name": "Ada Obi",
    "phone": "+2348012345678",
    "address": "12 Marina Road",
    "city": "Lagos",
    "state": "Lagos",
    "postal_code": "101001",
    "country": "NG",
    "is_default": False,
}

ADDRESS_FIELDS = {
    "id", "user", "full_name", "phone", "address", "city", "state", "country", "postal_code",
    "is_default", "name", "street", "phone_number", "created_at",
}


def test_list_is_a_bare_array(buyer, customer):
    assert assert_json(buyer.get("/shipping/shipping-addresses/"), 200) == []


def test_create_with_the_forms_placeholders(buyer, customer):
    created = assert_json(buyer.post("/shipping/shipping-addresses/", FORM, format="json"), 201)
    assert set(created) == ADDRESS_FIELDS
    assert isinstance(created["id"], int) and created["id"] != 0
    assert created["user"] == customer.pk
    assert (created["full_name"], created["name"]) == ("Ada Obi", "Ada Obi")
    assert (created["address"], created["street"]) == ("12 Marina Road", "12 Marina Road")
    assert (created["phone"], created["phone_number"]) == ("+2348012345678", "+2348012345678")
    assert created["country"] == "NG"
    # The first address is the default, whatever the form said.
    assert created["is_default"] is True

    listed = assert_json(buyer.get("/shipping/shipping-addresses"), 200)
    assert listed == [created]


def test_one_default_per_user(buyer, customer):
    first = assert_json(buyer.post("/shipping/shipping-addresses/", FORM, format="json"), 201)
    second = assert_json(
        buyer.post(
            "/shipping/shipping-addresses/", {**FORM, "city": "Abuja"}, format="json"
        ),
        201,
    )
    assert second["is_default"] is False
    third = assert_json(
        buyer.post(
            "/shipping/shipping-addresses/",
            {**FORM, "city": "Ibadan", "is_default": True},
            format="json",
        ),
        201,
    )
    assert third["is_default"] is True
    listed = assert_json(buyer.get("/shipping/shipping-addresses/"), 200)
    assert [a["id"] for a in listed if a["is_default"]] == [third["id"]]
    assert listed[0]["id"] == third["id"]  # the default first
    assert {a["id"] for a in listed} == {first["id"], second["id"], third["id"]}


def test_placeholders_stand_in_for_blank_main_fields(buyer, customer):
    body = {**FORM, "full_name": "", "name": "Bola", "address": "", "street": "3 Allen Ave"}
    created = assert_json(buyer.post("/shipping/shipping-addresses/", body, format="json"), 201)
    assert (created["full_name"], created["address"]) == ("Bola", "3 Allen Ave")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"full_name": ""}, "full_name"),
        ({"phone": ""}, "phone"),
        ({"city": ""}, "city"),
        ({"country": "Nigeria"}, "country"),
    ],
)
def test_bad_input_is_400_with_detail_and_nothing_saved(buyer, customer, change, field):
    error = assert_json(
        buyer.post("/shipping/shipping-addresses/", {**FORM, **change}, format="json"), 400
    )
    assert error["detail"].startswith(f"{field}:")
    assert field in error
    assert not ShippingAddress.objects.exists()


def test_addresses_are_private(buyer, jwt_client, other_customer):
    assert_json(
        jwt_client(other_customer).post("/shipping/shipping-addresses/", FORM, format="json"), 201
    )
    assert assert_json(buyer.get("/shipping/shipping-addresses/"), 200) == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_401_json(api_client, method):
    response = getattr(api_client, method)("/shipping/shipping-addresses/", FORM, format="json")
    assert assert_json(response, 401)["detail"]
    assert not ShippingAddress.objects.exists()
