"""What the catalogue API renders: products and categories as the storefront reads them
(docs/api.md#catalogue): ids as strings, ``discount_price`` null without a discount, absolute
image URLs.

Serializers render what the selectors fetched (``products_in_order``): no serializer method
queries the database, so a list costs the same few queries whatever its length. The parts of
a product other apps own (its latest reviews) are ``catalog.sections``: fetched with the
products, rendered here as they came.

The product list is the hottest path of the storefront, so the serializers it uses build their
dict directly in ``to_representation`` (DRF's generic field loop costs more than the queries
here); the declared fields stay the single description of the shape (OpenAPI schema), and
tests check that the direct rendering equals DRF's generic one.
"""

from functools import cached_property

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Category, Product, ProductImage, Variation
from catalog.sections import ProductSection, sections
from users.models import seller_public_name


def absolute_url(request, url: str, origin: str) -> str:
    """A storage URL made absolute: ``origin`` ("https://host") + a site-relative URL, the URL as
    is when storage already gives an absolute one (a bucket, its CDN)."""
    if url.startswith("/") and not url.startswith("//") and origin:
        return origin + url
    return request.build_absolute_uri(url) if request is not None else url


def request_origin(request) -> str:
    """"https://host" of the request; without one (a task in the worker) this site's public
    address, ``BACKOFFICE_URL``."""
    if request is None:
        return settings.BACKOFFICE_URL
    return request.build_absolute_uri("/")[:-1]


def image_urls(request, origin: str, *, original, medium, thumbnail) -> dict:
    """The three renditions' absolute URLs from their URLs (None: not stored); a rendition
    missing (e.g. an image imported by path) falls back to the original."""
    original = absolute_url(request, original, origin) if original else None
    return {
        "thumbnail": absolute_url(request, thumbnail, origin) if thumbnail else original,
        "medium": absolute_url(request, medium, origin) if medium else original,
        "original": original,
    }


def _url(file_field) -> str | None:
    return file_field.url if file_field else None


class ImageURLsSerializer(serializers.Serializer):
    thumbnail = serializers.URLField()
    medium = serializers.URLField()
    original = serializers.URLField()


class ProductImageSerializer(serializers.ModelSerializer):
    image_urls = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["id", "alt_text", "position", "image_urls"]

    @cached_property
    def _request_and_origin(self) -> tuple:
        # Once per serializer (``context`` walks up to the root at every access).
        request = self.context.get("request")
        return request, request_origin(request)

    @extend_schema_field(ImageURLsSerializer)
    def get_image_urls(self, image: ProductImage) -> dict:
        request, origin = self._request_and_origin
        return image_urls(
            request, origin, original=_url(image.original), medium=_url(image.medium),
            thumbnail=_url(image.thumbnail),
        )

    def to_representation(self, image: ProductImage) -> dict:
        return {
            "id": image.pk,
            "alt_text": image.alt_text,
            "position": image.position,
            "image_urls": self.get_image_urls(image),
        }


class VariationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Variation
        fields = ["id", "size", "color", "sku", "stock", "low_stock_threshold", "price_override"]

    def to_representation(self, variation: Variation) -> dict:
        price = variation.price_override
        return {
            "id": variation.pk,
            "size": variation.size,
            "color": variation.color,
            "sku": variation.sku,
            "stock": variation.stock,
            "low_stock_threshold": variation.low_stock_threshold,
            "price_override": None if price is None else self.fields[
                "price_override"].to_representation(price),
        }


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": "The parent category with its own parent, up to the root (null there).",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "slug": {"type": "string"},
            "parent": {"type": "object", "nullable": True},
        },
    }
)
class CategoryParentField(serializers.Field):
    """The parent chain from the ancestors the view fetched in one query (context)."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    @cached_property
    def _ancestors(self) -> dict[str, tuple[int, str, str]]:
        ancestors = self.context.get("ancestors", {})
        return {path: (node.pk, node.name, node.slug) for path, node in ancestors.items()}

    def to_representation(self, category: Category) -> dict | None:
        return category_parent_chain(category.path, self._ancestors)


def category_parent_chain(path: str, ancestors: dict[str, tuple[int, str, str]]) -> dict | None:
    """A category's ``parent`` object (its parent with its own parent, up to the root) from
    ``ancestors``: ``path -> (id, name, slug)``."""
    chain = None
    for end in range(Category.steplen, len(path), Category.steplen):
        node = ancestors.get(path[:end])
        if node is not None:
            chain = {"id": node[0], "name": node[1], "slug": node[2], "parent": chain}
    return chain


class ProductCategorySerializer(serializers.ModelSerializer):
    parent = CategoryParentField()
    parent_id = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "parent", "parent_id"]

    def get_parent_id(self, category: Category) -> int | None:
        parent = self._ancestors.get(category.path[: -Category.steplen])
        return parent.pk if parent else None

    @cached_property
    def _ancestors(self) -> dict[str, Category]:
        return self.context.get("ancestors", {})

    def to_representation(self, category: Category) -> dict:
        return {
            "id": category.pk,
            "name": category.name,
            "slug": category.slug,
            "parent": self.fields["parent"].to_representation(category),
            "parent_id": self.get_parent_id(category),
        }


class SectionField(serializers.Field):
    """A section of ``catalog.sections`` (e.g. ``reviews_data``): the JSON its app rendered,
    which ``products_in_order`` keeps on the product; described in the schema as the section
    says."""

    def __init__(self, section: ProductSection) -> None:
        super().__init__(source="*", read_only=True, help_text=section.help_text or None)
        self.section = section
        if section.schema is not None:
            extend_schema_field(section.schema)(self)

    def to_representation(self, product: Product):
        return product.sections[self.section.name]


def rating_average(rating, count: int) -> float | None:
    """The mean of the published ratings, two decimals; null without reviews."""
    return round(float(rating), 2) if count else None


class ManufacturerBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProductSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True, help_text="A UUID.")
    price = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    discount_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="The price after discount; null when there is no discount.",
    )
    discount_percent = serializers.FloatField(read_only=True)
    category = ProductCategorySerializer(read_only=True)
    images_data = ProductImageSerializer(source="images", many=True, read_only=True)
    variations_data = VariationSerializer(
        source="listed_variations",
        many=True,
        read_only=True,
        help_text="Sizes and colours; empty for a product without variations (its stock is "
        "`inventory`).",
    )
    manufacturer = serializers.SerializerMethodField()
    rating_average = serializers.SerializerMethodField()
    review_count = serializers.IntegerField(source="rating_count", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "price",
            "discount_price",
            "discount_percent",
            "category",
            "images_data",
            "variations_data",
            # then the sections of catalog.sections (reviews_data)
            "inventory",
            "is_active",
            "manufacturer",
            "rating_average",
            "review_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict:
        """The declared fields, with a field for each section after ``variations_data``."""
        fields = {}
        for name, field in super().get_fields().items():
            fields[name] = field
            if name == "variations_data":
                fields.update((section.name, SectionField(section)) for section in sections())
        return fields

    @extend_schema_field(ManufacturerBriefSerializer)
    def get_manufacturer(self, product: Product) -> dict:
        user = product.manufacturer
        profile = getattr(user, "manufacturer_profile", None)
        name = seller_public_name(
            profile_name=profile.display_name if profile else None,
            first_name=user.first_name, last_name=user.last_name, email=user.email,
        )
        return {"id": user.pk, "name": name}

    @extend_schema_field({"type": "number", "format": "double", "nullable": True})
    def get_rating_average(self, product: Product) -> float | None:
        return rating_average(product.rating, product.rating_count)

    def to_representation(self, product: Product) -> dict:
        fields = self.fields
        money = fields["price"].to_representation
        timestamp = fields["created_at"].to_representation
        discount_price = product.discount_price
        return {
            "id": str(product.pk),
            "slug": product.slug,
            "name": product.name,
            "description": product.description,
            "price": money(product.price),
            "discount_price": None if discount_price is None else money(discount_price),
            "discount_percent": float(product.discount_percent),
            "category": fields["category"].to_representation(product.category),
            "images_data": fields["images_data"].to_representation(product.images.all()),
            "variations_data": fields["variations_data"].to_representation(
                product.listed_variations
            ),
            **product.sections,
            "inventory": product.inventory,
            "is_active": product.is_active,
            "manufacturer": self.get_manufacturer(product),
            "rating_average": self.get_rating_average(product),
            "review_count": product.rating_count,
            "created_at": timestamp(product.created_at),
            "updated_at": timestamp(product.updated_at),
        }


class ManufacturerProductSerializer(ProductSerializer):
    """A product as its manufacturer (or staff) sees it after writing it: with its approval."""

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "approval_status", "rejection_reason"]
        read_only_fields = fields

    def to_representation(self, product: Product) -> dict:
        return {
            **super().to_representation(product),
            "approval_status": product.approval_status,
            "rejection_reason": product.rejection_reason,
        }


class CategoryChildSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]


class CategoryEntrySerializer(serializers.ModelSerializer):
    """One category, flat, with its parent's id and its direct children."""

    parent_id = serializers.IntegerField(read_only=True, allow_null=True)
    children = CategoryChildSerializer(source="children_list", many=True, read_only=True)

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "is_active", "depth", "parent_id",
                  "children"]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)
