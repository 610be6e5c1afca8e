"""Products, their variations and images, and the audit of their approval."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from catalog import limits, pricing
from catalog.models.categories import Category
from core.ids import time_ordered_uuid


def default_low_stock_threshold() -> int:
    return settings.DEFAULT_LOW_STOCK_THRESHOLD


def low_stock_q(*, out_of_stock: bool = True) -> Q:
    """The low-stock condition, its one home: a variation is low at or below its threshold
    (an empty one too). ``out_of_stock=False``: low but not out, some stock left.

    The partial index ``catalog_var_low_stock`` is declared with this very condition, so a
    query filtering with it (``Variation.objects.low_stock()``) can be served by the index;
    ``stock_is_low`` is the same test for one row in memory."""
    low = Q(stock__lte=F("low_stock_threshold"))
    return low if out_of_stock else low & Q(stock__gt=0)


def stock_is_low(*, stock: int, threshold: int) -> bool:
    """``low_stock_q`` for one variation's values (rows read or about to be written)."""
    return stock <= threshold


class ApprovalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# What the storefront lists, as far as the product itself decides it (its category must be
# visible too: ``catalog.selectors.products_public``).
PUBLIC = Q(approval_status=ApprovalStatus.APPROVED, is_active=True)


class Product(models.Model):
    id = models.UUIDField(primary_key=True, default=time_ordered_uuid, editable=False)
    manufacturer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="products",
        limit_choices_to={"is_manufacturer": True},
        verbose_name=_("manufacturer"),
    )
    name = models.CharField(_("name"), max_length=limits.PRODUCT_NAME_MAX)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    # The manufacturer's own key for the product, used by CSV import/export round trips.
    handle = models.SlugField(
        _("handle"),
        max_length=120,
        help_text=_("Your reference for this product in spreadsheets (unique in your catalogue)."),
    )
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(
        _("price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    discount_percent = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    is_active = models.BooleanField(_("active"), default=True)
    approval_status = models.CharField(
        _("approval"),
        max_length=10,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.DRAFT,
    )
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    inventory = models.PositiveIntegerField(
        _("inventory"), default=0, editable=False, help_text=_("Sum of the variations' stock.")
    )
    # The mean and number of the published reviews, kept by the reviews app
    # (``reviews.services.product_rating_refresh``), so lists show and sort by them without
    # aggregating the reviews per request. 0 without reviews.
    rating = models.DecimalField(
        _("rating"), max_digits=3, decimal_places=2, default=Decimal("0"), editable=False
    )
    rating_count = models.PositiveIntegerField(_("reviews"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="catalog_product_price_gte_0"),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0) & Q(discount_percent__lte=100),
                name="catalog_product_discount_0_100",
            ),
            models.CheckConstraint(
                condition=Q(inventory__gte=0), name="catalog_product_inventory_gte_0"
            ),
            models.UniqueConstraint(
                fields=["manufacturer", "handle"],
                name="catalog_product_unique_handle_per_manufacturer",
                violation_error_message=_("You already have a product with this handle."),
            ),
        ]
        indexes = [
            # A manufacturer's products newest first, ties by id as the admin orders them: a
            # changelist page's ids read from the index alone, however deep the page.
            models.Index(
                fields=["manufacturer", "-updated_at", "-id"], name="catalog_prod_mfr_upd_id"
            ),
            models.Index(fields=["-updated_at"], name="catalog_prod_upd"),
            models.Index(fields=["approval_status", "is_active"], name="catalog_prod_public"),
            # The storefront's orderings over public products (partial: only the rows it lists;
            # read backwards for descending orders), so a page is an index range, not a sort.
            models.Index(
                fields=["created_at", "id"], name="catalog_prod_pub_new", condition=PUBLIC
            ),
            # Cheapest first, the newest first among equal prices (read backwards for the
            # dearest first, equal prices then sorted apart: rare with real prices).
            models.Index(
                fields=["price", "-created_at", "-id"], name="catalog_prod_pub_price",
                condition=PUBLIC,
            ),
            models.Index(
                fields=["rating", "created_at", "id"], name="catalog_prod_pub_rating",
                condition=PUBLIC,
            ),
            models.Index(
                fields=["category", "created_at", "id"], name="catalog_prod_pub_cat",
                condition=PUBLIC,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def discount_price(self) -> Decimal | None:
        """The price after discount, or None when there is no discount (``catalog.pricing``)."""
        return pricing.discount_price(price=self.price, discount_percent=self.discount_percent)


class PendingProduct(Product):
    """The staff moderation queue: products waiting for approval (an admin view of Product)."""

    class Meta:
        proxy = True
        verbose_name = _("product awaiting approval")
        verbose_name_plural = _("pending approval")


class VariationQuerySet(models.QuerySet):
    def low_stock(self, *, out_of_stock: bool = True) -> "VariationQuerySet":
        """The variations at or below their low-stock threshold (``low_stock_q``)."""
        return self.filter(low_stock_q(out_of_stock=out_of_stock))


class Variation(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="variations", verbose_name=_("product")
    )
    # Copied from the product so SKU uniqueness per manufacturer is a database constraint.
    manufacturer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    size = models.CharField(_("size"), max_length=limits.VARIATION_SIZE_MAX, blank=True)
    color = models.CharField(_("colour"), max_length=limits.VARIATION_COLOR_MAX, blank=True)
    sku = models.CharField(_("SKU"), max_length=limits.VARIATION_SKU_MAX, blank=True)
    stock = models.PositiveIntegerField(_("stock"), default=0)
    price_override = models.DecimalField(
        _("price override"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    low_stock_threshold = models.PositiveIntegerField(
        _("low-stock threshold"), default=default_low_stock_threshold
    )
    low_stock_notified = models.BooleanField(_("low-stock alert sent"), default=False)

    objects = VariationQuerySet.as_manager()

    class Meta:
        verbose_name = _("variation")
        verbose_name_plural = _("variations")
        ordering = ["product_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="catalog_variation_stock_gte_0"),
            models.UniqueConstraint(
                fields=["product", "size", "color"],
                name="catalog_variation_unique_size_color",
                violation_error_message=_("This product already has that size and colour."),
            ),
            models.UniqueConstraint(
                fields=["manufacturer", "sku"],
                condition=~Q(sku=""),
                name="catalog_variation_unique_sku_per_manufacturer",
                violation_error_message=_("You already use this SKU on another variation."),
            ),
        ]
        indexes = [
            models.Index(fields=["manufacturer", "stock"], name="catalog_var_mfr_stock"),
            # The admin's SKU search is case-insensitive (UPPER(sku) = UPPER(term)).
            models.Index(Upper("sku"), name="catalog_var_sku_upper"),
            # The low variations only (~15% of them): the product changelist's low-stock filter
            # and badge probe it per product instead of reading every variation's row.
            models.Index(
                fields=["product"],
                name="catalog_var_low_stock",
                condition=low_stock_q(),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} / {self.label}" if self.label else self.product.name

    @property
    def label(self) -> str:
        return " / ".join(part for part in (self.size, self.color) if part)

    @property
    def is_default(self) -> bool:
        """The stock holder of a product without variations."""
        return not self.size and not self.color

    @property
    def is_low_stock(self) -> bool:
        """At or below its threshold: ``low_stock_q``, for this row."""
        return stock_is_low(stock=self.stock, threshold=self.low_stock_threshold)


class ProductImage(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    original = models.ImageField(_("image"), upload_to="products/original/")
    medium = models.ImageField(upload_to="products/medium/", blank=True, editable=False)
    thumbnail = models.ImageField(upload_to="products/thumbnail/", blank=True, editable=False)
    alt_text = models.CharField(_("alt text"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Where an imported image was fetched from, so a re-import does not fetch it twice.
    source_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["product_id", "position", "id"]

    def __str__(self) -> str:
        return self.alt_text or f"Image {self.pk}"


class ProductStatusChange(models.Model):
    """Audit of approval transitions: who moved a product to which status, and why."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=ApprovalStatus.choices)
    to_status = models.CharField(max_length=10, choices=ApprovalStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("approval change")
        verbose_name_plural = _("approval changes")
