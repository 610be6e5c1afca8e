"""OpenAPI documentation of the catalogue API: tags, example payloads, error responses."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse

from catalog.api.serializers import ErrorSerializer

TAG_CATALOGUE = "Catalogue"
TAG_MANUFACTURER = "Manufacturer products"
TAG_CATEGORIES = "Categories"


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


UNAUTHENTICATED = error("No valid access token (Authorization: Bearer <access>).")
NOT_FOUND = error("No such item, or not one you may reach.")

PRODUCT_WITH_STOCK = OpenApiExample(
    "With stock (no variations)",
    request_only=True,
    value={
        "name": "Shoes",
        "description": "Running shoes",
        "price": 5000,
        "discount_percent": 20,
        "category": {"name": "Footwear", "parent": {"name": "Men"}},
        "stock": 12,
    },
)
PRODUCT_WITH_VARIATIONS = OpenApiExample(
    "With variations",
    request_only=True,
    value={
        "name": "T-Shirt",
        "description": "Comfortable cotton T-shirt",
        "price": 2000,
        "category": {"name": "Tops"},
        "variations": [
            {"size": "S", "color": "Black", "stock": 5},
            {"size": "M", "color": "White", "stock": 10},
        ],
    },
)
PRODUCT_PATCH = OpenApiExample(
    "Change the price and replace the stock",
    request_only=True,
    value={"price": "4500.00", "stock": 30},
)
VARIATIONS_BAD_JSON = OpenApiExample(
    "variations is not valid JSON",
    response_only=True,
    status_codes=["400"],
    value={"detail": "variations: Invalid JSON format", "variations": "Invalid JSON format"},
)
STOCK_OR_VARIATIONS = OpenApiExample(
    "Neither stock nor variations",
    response_only=True,
    status_codes=["400"],
    value={
        "detail": "You must provide either a stock value or at least one variation.",
        "code": "stock_or_variations_required",
        "non_field_errors": ["You must provide either a stock value or at least one variation."],
    },
)
PRODUCT_EXAMPLE = OpenApiExample(
    "A product",
    response_only=True,
    status_codes=["200", "201"],
    value={
        "id": "0b7e4c4e-2f4a-4a55-9d3c-5b1e8f0a9c11",
        "slug": "shoes",
        "name": "Shoes",
        "description": "Running shoes",
        "price": "5000.00",
        "discount_price": "4000.00",
        "discount_percent": 20.0,
        "category": {
            "id": 7,
            "name": "Footwear",
            "slug": "footwear",
            "parent": {"id": 3, "name": "Men", "slug": "men", "parent": None},
            "parent_id": 3,
        },
        "images_data": [
            {
                "id": 1,
                "alt_text": "Shoes",
                "position": 0,
                "image_urls": {
                    "thumbnail": "https://api.martaf.com/media/products/thumbnail/shoes.jpg",
                    "medium": "https://api.martaf.com/media/products/medium/shoes.jpg",
                    "original": "https://api.martaf.com/media/products/original/shoes.jpg",
                },
            }
        ],
        "variations_data": [
            {
                "id": 11,
                "size": "42",
                "color": "Black",
                "sku": "",
                "stock": 12,
                "low_stock_threshold": 5,
                "price_override": None,
            }
        ],
        "reviews_data": [],
        "inventory": 12,
        "is_active": True,
        "manufacturer": {"id": 4, "name": "Maker A"},
        "rating_average": None,
        "review_count": 0,
        "created_at": "2025-01-05T10:00:00Z",
        "updated_at": "2025-01-05T10:00:00Z",
    },
)
CATEGORY_CREATE = OpenApiExample(
    "A sub-category",
    request_only=True,
    value={"name": "Phones", "parent": 1, "description": "", "is_active": True},
)
CATEGORY_IN_USE = OpenApiExample(
    "Products are in it",
    response_only=True,
    status_codes=["409"],
    value={
        "detail": "“Phones” cannot be deleted: 2 products are in it or its sub-categories. "
        "Move them to another category first.",
        "code": "category_has_products",
    },
)
