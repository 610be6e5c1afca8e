"""What the catalogue API accepts: the seed's product body (JSON or multipart) and categories.
These parse and check shapes; the rules live in ``catalog.services``.

A product body may come as JSON or as multipart form data (with image files). In multipart,
``variations`` and ``category`` are JSON strings; ``category`` may also be sent as
``category[name]`` / ``category[parent][name]`` fields, as an id, or as a path
"Men > Footwear".

An optional field sent as ``null`` is read as not sent (a JSON client sends every key of its
form, null for what was left empty): ``"variations": null`` without ``stock`` is then the seed's
"stock or variations" refusal, not "This field may not be null.", and on an update it changes
nothing. The same holds inside a variation, except ``price_override``, where null means "no
override". Required fields (``name``, ``price``, ``category``) keep refusing null.
"""

import json
import re
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog import limits
from catalog.images import image_validate
from catalog.models import Category, Product, Variation
from catalog.pricing import discount_percent_for
from catalog.services import CategoryRef
from users.models import User

INVALID_JSON = "Invalid JSON format"
MAX_CATEGORY_DEPTH = limits.CATEGORY_DEPTH_MAX
#: The largest id a client may name (a 32-bit integer column's; SQLite refused 2**63 with a 500).
ID_MAX = 2**31 - 1
_KEY_PATH = re.compile(r"(?:\[[^\[\]]+\]|\.[^.\[\]]+)+")
_KEY_PART = re.compile(r"\[([^\[\]]+)\]|\.([^.\[\]]+)")


def _nested_from_keys(data, name: str) -> dict | None:
    """``category[parent][name]=Men`` (or ``category.parent.name``) form fields as a dict."""
    found: dict = {}
    for key in data.keys():
        suffix = key[len(name):]
        if not key.startswith(name) or not _KEY_PATH.fullmatch(suffix):
            continue
        parts = [a or b for a, b in _KEY_PART.findall(suffix)]
        node = found
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            node[parts[-1]] = data.get(key)
    return found or None


@extend_schema_field(
    {
        "oneOf": [
            {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "parent": {
                        "type": "object",
                        "nullable": True,
                        "description": "The same shape: {name, parent}, nested at any depth.",
                    },
                },
                "required": ["name"],
            },
            {"type": "integer", "description": "An existing category's id."},
            {"type": "string", "description": "A path, root first: \"Men > Footwear\"."},
        ],
        "description": "The category, created with its missing parents when it does not exist.",
    }
)
class CategoryInputField(serializers.Field):
    default_error_messages = {
        # DRF .format()s these messages: literal braces are doubled.
        "invalid": "Give a category as {{\"name\": ..., \"parent\": {{...}}}}, an id or a path.",
        "json": INVALID_JSON,
        "name": "Every category level needs a name.",
        "depth": f"A category path can have at most {MAX_CATEGORY_DEPTH} levels.",
        "long": f"A category name can have at most {limits.CATEGORY_NAME_MAX} characters.",
        "id": "There is no category with this id.",
    }

    def to_internal_value(self, data) -> CategoryRef:
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            return self._by_id(data)
        if isinstance(data, str):
            text = data.strip()
            if text.isdigit():
                return self._by_id(int(text))
            if text.startswith("{"):
                try:
                    data = json.loads(text)
                except (ValueError, RecursionError):
                    self.fail("json")
            else:
                return self._by_names(part.strip() for part in text.split(">"))
        if not isinstance(data, dict):
            self.fail("invalid")
        names: list = []
        node = data
        while node:
            if not isinstance(node, dict):
                self.fail("invalid")
            names.append(node.get("name"))
            if len(names) > MAX_CATEGORY_DEPTH:
                self.fail("depth")
            node = node.get("parent")
        return self._by_names(reversed(names))

    def _by_id(self, pk: int) -> CategoryRef:
        if not 1 <= pk <= ID_MAX:
            self.fail("id")
        return CategoryRef(id=pk)

    def _by_names(self, raw_names) -> CategoryRef:
        names: list[str] = []
        for name in raw_names:
            if not isinstance(name, str) or not name.strip():
                self.fail("name")
            names.append(name.strip())
            if len(names) > MAX_CATEGORY_DEPTH:
                self.fail("depth")
            if len(names[-1]) > limits.CATEGORY_NAME_MAX:
                self.fail("long")
            try:
                limits.no_control_characters(names[-1])
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
        return CategoryRef(names=tuple(names))

    def to_representation(self, value):  # pragma: no cover - write-only
        return None


# Optional product fields whose null means "not sent" (see the module docstring).
NULL_MEANS_ABSENT = (
    "description",
    "discount_percent",
    "discount_price",
    "stock",
    "variations",
    "images",
    "is_active",
    "manufacturer",
)
# Where null is a value of its own, in a variation.
VARIATION_NULLABLE = ("price_override",)


class VariationInputSerializer(serializers.ModelSerializer):
    stock = serializers.IntegerField(min_value=0, max_value=limits.STOCK_MAX, default=0)
    low_stock_threshold = serializers.IntegerField(
        min_value=0, max_value=limits.LOW_STOCK_THRESHOLD_MAX, required=False
    )

    class Meta:
        model = Variation
        fields = ["size", "color", "sku", "stock", "price_override", "low_stock_threshold"]
        extra_kwargs = {
            name: {"validators": [limits.no_control_characters]}
            for name in ("size", "color", "sku")
        }

    def to_internal_value(self, data):
        if isinstance(data, dict):  # a null reads as not sent (see the module docstring)
            data = {k: v for k, v in data.items() if v is not None or k in VARIATION_NULLABLE}
        return super().to_internal_value(data)


class BoundedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id within the integer range of the database ("does not exist" beyond it, not a
    500), documented as such."""

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool) and not 1 <= data <= ID_MAX:
            self.fail("does_not_exist", pk_value=data)
        if isinstance(data, str) and data.strip().isdigit() and int(data) > ID_MAX:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


def _file_list(data, *keys: str) -> list:
    files: list = []
    for key in keys:
        if hasattr(data, "getlist"):
            files += [f for f in data.getlist(key) if f not in ("", None)]
        elif data.get(key) not in ("", None):
            value = data.get(key)
            files += value if isinstance(value, list) else [value]
    return files


class ProductWriteSerializer(serializers.ModelSerializer):
    """The seed's ProductSerializer as input (add-product, update-product, put-product)."""

    category = CategoryInputField()
    stock = serializers.IntegerField(
        min_value=0,
        max_value=limits.STOCK_MAX,
        required=False,
        allow_null=True,
        help_text="The stock of a product without variations (ignored when variations are "
        "given).",
    )
    variations = VariationInputSerializer(
        many=True,
        required=False,
        max_length=limits.PRODUCT_VARIATIONS_MAX,
        help_text="Sizes/colours with their stock: a list, or the same list as a JSON string. "
        f"On update they replace the current ones. At most {limits.PRODUCT_VARIATIONS_MAX}.",
    )
    images = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=limits.PRODUCT_IMAGES_MAX,
        help_text="Image files (multipart). On update they replace the current images. At "
        f"most {limits.PRODUCT_IMAGES_MAX}.",
    )
    discount_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        min_value=Decimal("0"),
        help_text="The price after discount, turned into discount_percent (which wins when "
        "both are sent).",
    )
    manufacturer = BoundedPrimaryKeyRelatedField(
        queryset=User.objects.filter(is_manufacturer=True),
        required=False,
        help_text="Staff only: whose product it is (default: the signed-in user). Ignored for "
        "manufacturers.",
    )

    class Meta:
        model = Product
        fields = [
            "name",
            "description",
            "price",
            "discount_percent",
            "discount_price",
            "category",
            "stock",
            "variations",
            "images",
            "is_active",
            "manufacturer",
        ]
        extra_kwargs = {
            "name": {"validators": [limits.no_control_characters]},
            "description": {
                "max_length": limits.PRODUCT_DESCRIPTION_MAX,
                "validators": [limits.no_control_characters_multiline],
            },
        }

    def to_internal_value(self, data):
        if not hasattr(data, "keys"):
            # A JSON string, list or number: DRF's "expected a dictionary" 400.
            return super().to_internal_value(data)
        return super().to_internal_value(self._normalise(data))

    def _normalise(self, data) -> dict:
        """A plain dict from JSON or multipart data, with JSON strings parsed."""
        plain = {key: data.get(key) for key in data.keys()}
        if hasattr(data, "getlist") or "image" in plain or "images[]" in plain:
            files = _file_list(data, "images", "images[]", "image")
            for key in ("images[]", "image"):
                plain.pop(key, None)
            if files:
                plain["images"] = files
            else:
                plain.pop("images", None)
        if "category" not in plain:
            nested = _nested_from_keys(data, "category")
            if nested is not None:
                plain["category"] = nested
        variations = plain.get("variations")
        if isinstance(variations, str):
            if not variations.strip():
                plain.pop("variations")
            else:
                try:
                    variations = json.loads(variations)
                except (ValueError, RecursionError):
                    raise serializers.ValidationError({"variations": INVALID_JSON}) from None
                plain["variations"] = variations
        if isinstance(variations, dict):
            plain["variations"] = [variations]
        for key in ("stock", "discount_price", "discount_percent", "manufacturer"):
            if plain.get(key) == "":
                plain.pop(key)  # an empty form field means "not given"
        # And so does an optional field sent as null.
        return {k: v for k, v in plain.items() if v is not None or k not in NULL_MEANS_ABSENT}

    def validate_images(self, files: list) -> list:
        for file in files:
            try:
                image_validate(file)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(f"{file.name}: {exc.messages[0]}") from None
        return files

    def validate(self, attrs: dict) -> dict:
        discount_price = attrs.pop("discount_price", None)
        if discount_price is not None and "discount_percent" not in attrs:
            price = attrs.get("price", getattr(self.instance, "price", None))
            percent = discount_percent_for(price=price, discount_price=discount_price)
            if percent is None:
                raise serializers.ValidationError(
                    {"discount_price": ["The discount price must be between 0 and the price."]}
                )
            attrs["discount_percent"] = percent
        return attrs


class CategoryWriteSerializer(serializers.ModelSerializer):
    parent = BoundedPrimaryKeyRelatedField(
        queryset=Category.objects.all(),
        required=False,
        allow_null=True,
        help_text="The parent category's id; null for a top-level category. Changing it moves "
        "the category with its sub-categories.",
    )

    class Meta:
        model = Category
        fields = ["name", "slug", "description", "is_active", "parent"]
        extra_kwargs = {
            "slug": {"required": False, "allow_blank": True},
            "name": {"validators": [limits.no_control_characters]},
            "description": {
                "max_length": limits.CATEGORY_DESCRIPTION_MAX,
                "validators": [limits.no_control_characters_multiline],
            },
        }
