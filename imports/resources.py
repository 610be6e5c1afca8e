"""Catalogue export (django-import-export): exactly the import format, one row per variation,
so export -> edit -> import updates in place. Every cell goes through ``core.spreadsheet`` (formulae
escaped, control characters dropped), which the import's reader undoes."""

from django.db.models import QuerySet
from import_export import fields, resources

from catalog.models import ProductImage, Variation
from catalog.selectors import category_labels, variations_visible_to
from core.media import media_url_absolute
from core.spreadsheet import spreadsheet_cell
from imports.columns import COLUMNS, IMAGE_URL_SEPARATOR, STAFF_COLUMNS
from users.models import User


class CatalogueExportResource(resources.Resource):
    """A row per variation; the product's columns repeat on each of its rows."""

    handle = fields.Field(column_name="handle", attribute="product__handle")
    name = fields.Field(column_name="name", attribute="product__name")
    description = fields.Field(column_name="description", attribute="product__description")
    price = fields.Field(column_name="price", attribute="product__price")
    discount_percent = fields.Field(column_name="discount_percent")
    category = fields.Field(column_name="category")
    is_active = fields.Field(column_name="is_active")
    size = fields.Field(column_name="size", attribute="size")
    color = fields.Field(column_name="color", attribute="color")
    sku = fields.Field(column_name="sku", attribute="sku")
    stock = fields.Field(column_name="stock", attribute="stock")
    low_stock_threshold = fields.Field(
        column_name="low_stock_threshold", attribute="low_stock_threshold"
    )
    image_urls = fields.Field(column_name="image_urls")
    manufacturer = fields.Field(column_name="manufacturer", attribute="manufacturer__email")

    def __init__(self, *, user: User, base_url: str = ""):
        super().__init__()
        self.user = user
        self.base_url = base_url.rstrip("/")
        self._labels: dict[int, str] | None = None
        self._images: dict | None = None

    def get_export_order(self):
        return STAFF_COLUMNS if self.user.is_staff else COLUMNS

    def get_export_fields(self, selected_fields=None):
        order = self.get_export_order()
        return [self.fields[name] for name in order]

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_cell(super().export_field(field, instance, **kwargs))

    def variations(self, products: QuerySet | None = None) -> QuerySet[Variation]:
        """The scoped rows to export: this user's variations, optionally of some products."""
        queryset = variations_visible_to(user=self.user)
        if products is not None:
            queryset = queryset.filter(product__in=products.values("pk"))
        return queryset.select_related("product", "manufacturer").order_by(
            "product__handle", "product_id", "id"
        )

    def before_export(self, queryset, **kwargs):
        # Two lookups for the whole export instead of two per row.
        self._labels = category_labels()
        self._images = {}
        product_ids = queryset.values("product_id")
        for product_id, original in ProductImage.objects.filter(
            product_id__in=product_ids
        ).order_by("position", "id").values_list("product_id", "original"):
            self._images.setdefault(product_id, []).append(
                media_url_absolute(original, origin=self.base_url)
            )

    def dehydrate_discount_percent(self, variation: Variation) -> str:
        return f"{variation.product.discount_percent.normalize():f}"

    def dehydrate_category(self, variation: Variation) -> str:
        return self._labels.get(variation.product.category_id, "")

    def dehydrate_is_active(self, variation: Variation) -> str:
        return "true" if variation.product.is_active else "false"

    def dehydrate_image_urls(self, variation: Variation) -> str:
        return IMAGE_URL_SEPARATOR.join(self._images.get(variation.product_id, []))
