"""The catalogue: a category tree, products with variations and images, a stock ledger, reviews.

Stock lives on variations only. A product "without variations" has exactly one variation with a
blank size and colour that carries its stock, so every stock change, order line and ledger row
has the same shape. ``Product.inventory`` is the sum of its variations' stock, kept by the stock
service in the same transaction as the change (so lists can sort and filter on it cheaply).
"""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

CENT = Decimal("0.01")


def default_low_stock_threshold() -> int:
    return settings.DEFAULT_LOW_STOCK_THRESHOLD


class Category(MP_Node):
    """A node of the unlimited-depth category tree (materialised path: a subtree is one query)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    steplen = 4  # up to 1.6M siblings per level; depth is unlimited in practice
    node_order_by: list[str] = []  # siblings keep the order staff give them

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class ApprovalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Product(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    manufacturer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="products",
        limit_choices_to={"is_manufacturer": True},
        verbose_name=_("manufacturer"),
    )
    name = models.CharField(_("name"), max_length=200)
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
            models.Index(fields=["manufacturer", "-updated_at"], name="catalog_prod_mfr_upd"),
            models.Index(fields=["-updated_at"], name="catalog_prod_upd"),
            models.Index(fields=["approval_status", "is_active"], name="catalog_prod_public"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def discount_price(self) -> Decimal | None:
        """The price after discount, or None when there is no discount (never 0.00 for "none")."""
        if not self.discount_percent:
            return None
        factor = (Decimal(100) - self.discount_percent) / Decimal(100)
        return (self.price * factor).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def is_public(self) -> bool:
        return self.is_active and self.approval_status == ApprovalStatus.APPROVED


class PendingProduct(Product):
    """The staff moderation queue: products waiting for approval (an admin view of Product)."""

    class Meta:
        proxy = True
        verbose_name = _("product awaiting approval")
        verbose_name_plural = _("pending approval")


class Variation(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="variations", verbose_name=_("product")
    )
    # Copied from the product so SKU uniqueness per manufacturer is a database constraint.
    manufacturer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    size = models.CharField(_("size"), max_length=50, blank=True)
    color = models.CharField(_("colour"), max_length=50, blank=True)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
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
        return self.stock <= self.low_stock_threshold


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


class StockReason(models.TextChoices):
    ORDER = "order", _("Order")
    IMPORT = "import", _("Import")
    MANUAL = "manual", _("Manual adjustment")
    RESTOCK = "restock", _("Restock")
    RETURN = "return", _("Return")


class StockMovement(models.Model):
    """One row per change of a variation's stock, written in the same transaction as the change.

    Product and variation links survive their deletion as a text label, so the history stays.
    """

    manufacturer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, related_name="stock_movements"
    )
    variation = models.ForeignKey(
        Variation, on_delete=models.SET_NULL, null=True, related_name="stock_movements"
    )
    label = models.CharField(_("item"), max_length=320)
    delta = models.IntegerField(_("change"))
    stock_after = models.PositiveIntegerField(_("stock after"))
    reason = models.CharField(_("reason"), max_length=10, choices=StockReason.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["manufacturer", "-created_at"], name="catalog_move_mfr_created"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.delta:+d} ({self.get_reason_display()})"


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


class ReviewStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Pending moderation")
    HIDDEN = "hidden", _("Hidden")
    REJECTED = "rejected", _("Rejected")


class Review(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews")
    # Reviews outlive the author's account (the author is then shown as "Former customer").
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PUBLISHED
    )
    moderation_reason = models.CharField(_("moderation reason"), max_length=255, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Set by the review services when the review is written or edited (orders.OrderItem of a
    # delivered order of the author's), so lists never look at orders.
    verified_purchase = models.BooleanField(_("verified purchase"), default=False, editable=False)
    # The first time the review went public: the manufacturer is told once, not on every
    # hide / re-publish.
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="catalog_review_rating_1_5"
            ),
            models.UniqueConstraint(
                fields=["product", "user"],
                condition=Q(user__isnull=False),
                name="catalog_review_one_per_user_product",
                violation_error_message=_("You have already reviewed this product."),
            ),
        ]
        indexes = [
            models.Index(fields=["product", "status"], name="catalog_review_prod_status"),
            models.Index(fields=["status", "created_at"], name="catalog_review_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ on {self.product}"

    @property
    def author_name(self) -> str:
        """The public name of the author: "Ama K." (first name, last initial), never the email."""
        if self.user is None:
            return str(_("Former customer"))
        first, last = self.user.first_name.strip(), self.user.last_name.strip()
        if first and last:
            return f"{first} {last[0]}."
        return first or last or str(_("Customer"))


class ReviewModeration(models.Model):
    """Audit of review status changes: the screen's holds (no actor) and staff's decisions."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="moderations")
    from_status = models.CharField(
        _("from"), max_length=10, choices=ReviewStatus.choices, blank=True
    )  # blank: the status the review was written with
    to_status = models.CharField(_("to"), max_length=10, choices=ReviewStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("moderation")
        verbose_name_plural = _("moderation history")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.from_status or '-'} → {self.to_status}"


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Checking")
    PREVIEWED = "previewed", _("Ready to import")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    VALID_ROWS_ONLY = "valid_rows_only", _("Import valid rows only")


class ProductImport(models.Model):
    """One catalogue import: who, when, which file, what it did, and every error found."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The manufacturer whose catalogue this is; null for a staff import naming manufacturers
    # per row.
    manufacturer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="product_imports",
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    mode = models.CharField(
        _("mode"), max_length=16, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row", "column", "message"}]
    # A sample of what the import changes, shown on the preview: [{"row", "action", ...}].
    changes = models.JSONField(default=list, blank=True)
    is_applied = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["manufacturer", "-created_at"], name="catalog_import_mfr")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
