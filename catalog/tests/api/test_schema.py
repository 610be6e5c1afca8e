"""The catalogue and review API in the OpenAPI schema: every route, tags, examples, no warnings."""

import pytest
import yaml
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

CATALOGUE = "Catalogue"
MANUFACTURER = "Manufacturer products"
REVIEWS = "Reviews"
CATEGORIES = "Categories"

OPERATIONS = {
    ("/products/list/", "get"): CATALOGUE,
    ("/products/{id}/", "get"): CATALOGUE,
    ("/products/slug/{slug}/", "get"): CATALOGUE,
    ("/products/categories-nested/", "get"): CATEGORIES,
    ("/products/add-product/", "post"): MANUFACTURER,
    ("/products/update-product/{id}/", "patch"): MANUFACTURER,
    ("/products/put-product/{id}/", "put"): MANUFACTURER,
    ("/products/delete-product/{id}/", "delete"): MANUFACTURER,
    ("/products/reviews/", "get"): REVIEWS,
    ("/products/reviews/", "post"): REVIEWS,
    ("/products/reviews/", "patch"): REVIEWS,
    ("/products/reviews/", "delete"): REVIEWS,
    ("/products/review-list/{product_id}/reviews/", "get"): REVIEWS,
    ("/products/review-list/{product_id}/reviews/", "post"): REVIEWS,
    ("/products/reviews-update/{review_id}/", "get"): REVIEWS,
    ("/products/reviews-update/{review_id}/", "patch"): REVIEWS,
    ("/products/reviews-update/{review_id}/", "delete"): REVIEWS,
    ("/api/products/", "get"): CATALOGUE,
    ("/api/products/", "post"): MANUFACTURER,
    ("/api/products/{id}/", "get"): CATALOGUE,
    ("/api/products/{id}/", "put"): MANUFACTURER,
    ("/api/products/{id}/", "patch"): MANUFACTURER,
    ("/api/products/{id}/", "delete"): MANUFACTURER,
    ("/api/products/{id}/approve/", "post"): MANUFACTURER,
    ("/api/categories/", "get"): CATEGORIES,
    ("/api/categories/", "post"): CATEGORIES,
    ("/api/categories/{id}/", "get"): CATEGORIES,
    ("/api/categories/{id}/", "put"): CATEGORIES,
    ("/api/categories/{id}/", "patch"): CATEGORIES,
    ("/api/categories/{id}/", "delete"): CATEGORIES,
    ("/api/reviews/", "get"): REVIEWS,
    ("/api/reviews/", "post"): REVIEWS,
    ("/api/reviews/{id}/", "get"): REVIEWS,
    ("/api/reviews/{id}/", "put"): REVIEWS,
    ("/api/reviews/{id}/", "patch"): REVIEWS,
    ("/api/reviews/{id}/", "delete"): REVIEWS,
}


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_every_catalogue_operation_is_documented_under_its_tag(schema):
    for (path, method), tag in OPERATIONS.items():
        operation = schema["paths"][path][method]
        assert operation["tags"] == [tag], (path, method)
        assert operation.get("summary"), (path, method)
        success = {"200", "201", "204"} & set(operation["responses"])
        assert success, (path, method)


def test_the_list_documents_its_filters_and_envelope(schema):
    operation = schema["paths"]["/products/list/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"id", "category", "search", "is_active", "price_min", "price_max", "manufacturer",
            "seller", "ordering", "page", "page_size"} <= names
    envelope = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][envelope.rsplit("/", 1)[1]]
    assert set(component["properties"]) == {"count", "next", "previous", "results"}


def test_the_product_component_has_the_contract_fields(schema):
    product = schema["components"]["schemas"]["Product"]["properties"]
    assert {"id", "slug", "discount_price", "images_data", "variations_data", "reviews_data",
            "inventory", "rating_average", "review_count", "manufacturer"} <= set(product)
    assert product["id"]["type"] == "string"
    assert product["discount_price"]["nullable"] is True


def test_writes_document_json_and_multipart_bodies_with_examples(schema):
    add = schema["paths"]["/products/add-product/"]["post"]
    content = add["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(content)
    assert set(content["application/json"]["examples"]) == {
        "WithStock(noVariations)", "WithVariations"}
    assert {"401", "403", "400"} <= set(add["responses"])
    errors = add["responses"]["400"]["content"]["application/json"]["examples"]
    assert {"VariationsIsNotValidJSON", "NeitherStockNorVariations"} <= set(errors)
    review = schema["paths"]["/products/review-list/{product_id}/reviews/"]["post"]
    assert review["requestBody"]["content"]["application/json"]["examples"]["AReview"][
        "value"] == {"rating": 5, "comment": "Great shoes, true to size."}


def test_writes_say_they_need_the_bearer_token(schema):
    security = schema["paths"]["/products/add-product/"]["post"]["security"]
    assert {"jwtAuth": []} in security
    assert schema["components"]["securitySchemes"]["jwtAuth"]["scheme"] == "bearer"


def test_swagger_ui_is_served():
    response = Client().get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_the_schema_generates_without_warnings_and_validates():
    GENERATOR_STATS.reset()

    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert dict(GENERATOR_STATS._warn_cache) == {}
    assert dict(GENERATOR_STATS._error_cache) == {}
    validate_schema(schema)


# --- the schema as the API answers (docs/api.md#limits) ------------------------------------


def test_rating_average_is_nullable(schema):
    rating = schema["components"]["schemas"]["Product"]["properties"]["rating_average"]
    assert rating["nullable"] is True


@pytest.mark.parametrize("path", ["/api/categories/", "/products/categories-nested/"])
def test_the_category_lists_are_documented_as_the_page_they_answer(schema, client, path):
    operation = schema["paths"][path]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    envelope = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(envelope["properties"]) == {"count", "next", "previous", "results"}
    assert not {p["name"] for p in operation.get("parameters", [])} & {"page", "page_size"}
    assert set(client.get(path).json()) == {"count", "next", "previous", "results"}


def test_reviews_by_review_id_is_one_review_or_a_page(schema):
    response = schema["paths"]["/products/reviews/"]["get"]["responses"]["200"]
    ref = response["content"]["application/json"]["schema"]["$ref"]
    one_of = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["oneOf"]
    assert [item["$ref"].rsplit("/", 1)[1] for item in one_of] == ["Review", "ReviewPage"]


def test_every_operation_that_needs_a_token_documents_401(schema):
    missing = [
        (path, method)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if operation.get("security") and {} not in operation["security"]
        and "401" not in operation["responses"]
    ]
    assert missing == []
    assert "401" in schema["paths"]["/api/orders/{id}/cancel/"]["post"]["responses"]


def test_page_is_documented_from_1_and_page_0_is_a_400(schema, client):
    for path in ("/products/list/", "/api/orders/", "/api/notifications/"):
        page = next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "page")
        assert page["schema"] == {"type": "integer", "minimum": 1}

    response = client.get("/products/list/?page=0")

    assert response.status_code == 400
    assert response.json() == {"detail": "page: A page is a whole number from 1.",
                               "page": ["A page is a whole number from 1."]}


@pytest.mark.parametrize("value", ["-1", "yes", "2", ""])
def test_an_invalid_is_active_is_a_400_not_ignored(client, value):
    response = client.get(f"/products/list/?is_active={value}")

    if value == "":
        assert response.status_code == 200  # an empty parameter is "not given"
    else:
        assert response.status_code == 400
        assert response.json()["detail"].startswith("is_active: Select a valid choice.")
