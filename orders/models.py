"""Orders and their lines, and the audit of status changes.

An order keeps what was bought as it was at purchase: each line copies the product's name, the
variation's label, the unit price, the discount and the manufacturer, so prices changed or
products deleted later never rewrite a past order. Links to users, products and variations are
``SET_NULL``: an order outlives a deleted account, product or variation.

Status: pending -> processing -> shipped -> delivered, or cancelled (from pending or processing).
Each manufacturer marks their own lines shipped; the order is shipped when all its lines are.
A cancelled order whose checkout was paid online records a refund due (``refund_due``).

A ``Checkout`` is one purchase of the storefront's cart: it places one order per manufacturer
(a marketplace split) and carries the payment (Paystack, or on delivery) for all of them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.db import actor_field


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PROCESSING = "processing", _("Processing")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentMethod(models.TextChoices):
    # The REST order API's values (docs/api.md#orders), sent and shown as is.
    CASH = "CASH", _("Cash on delivery")
    CARD = "CARD", _("Card")
    MOBILE = "MOBILE", _("Mobile money")


def _kept_link(to: str, *, verbose_name: str, related_name: str) -> models.ForeignKey:
    """A link the order outlives: deleting the account, product or variation empties it."""
    return models.ForeignKey(
        to,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def _money(verbose_name: str) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )


class CheckoutPayment(models.TextChoices):
    PAYSTACK = "paystack", _("Paystack")
    ON_DELIVERY = "on_delivery", _("Pay on delivery")


class CheckoutPaymentStatus(models.TextChoices):
    AWAITING = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    ON_DELIVERY = "on_delivery", _("Due on delivery")
    # Not paid in time: its orders were cancelled and their stock returned.
    EXPIRED = "expired", _("Expired unpaid")
    # Paystack confirmed a payment after the checkout had expired: staff refund it.
    REFUND_DUE = "refund_due", _("Paid late: refund due")


class ShippingSnapshot(models.Model):
    """The address as it was at checkout (the buyer may edit or delete theirs later), kept by
    the checkout and by each of its orders."""

    shipping_name = models.CharField(_("ship to"), max_length=200, blank=True)
    shipping_phone = models.CharField(_("phone"), max_length=32, blank=True)
    shipping_address = models.TextField(_("address"), blank=True)
    shipping_city = models.CharField(_("city"), max_length=100, blank=True)
    shipping_state = models.CharField(_("state"), max_length=100, blank=True)
    shipping_country = models.CharField(_("country"), max_length=2, blank=True)
    shipping_postal_code = models.CharField(_("postal code"), max_length=20, blank=True)

    class Meta:
        abstract = True


def shipping_snapshot_of(address) -> dict:
    """A ``shopping.ShippingAddress`` as the snapshot fields."""
    return {
        "shipping_name": address.full_name,
        "shipping_phone": address.phone,
        "shipping_address": address.address,
        "shipping_city": address.city,
        "shipping_state": address.state,
        "shipping_country": address.country,
        "shipping_postal_code": address.postal_code,
    }


class Checkout(ShippingSnapshot):
    """One purchase: the orders it placed (one per manufacturer), where they go and how they
    are paid. Amounts are the sums of its orders' (shipping included)."""

    buyer = _kept_link(settings.AUTH_USER_MODEL, verbose_name=_("buyer"), related_name="checkouts")
    payment_method = models.CharField(_("payment"), max_length=12, choices=CheckoutPayment.choices)
    payment_status = models.CharField(
        _("payment status"), max_length=16, choices=CheckoutPaymentStatus.choices
    )
    # Our reference of the Paystack transaction (unique; null when paid on delivery).
    paystack_reference = models.CharField(
        _("Paystack reference"), max_length=64, unique=True, null=True, blank=True
    )
    paystack_url = models.URLField(_("Paystack payment page"), max_length=500, blank=True)
    subtotal = _money(_("subtotal"))
    shipping_cost = _money(_("shipping"))
    discount_total = _money(_("discount"))
    total_amount = _money(_("total"))
    shipping_method = _kept_link(
        "shopping.ShippingMethod", verbose_name=_("shipping method"), related_name="+"
    )
    # The method as it was at checkout (staff may rename or reprice it later).
    shipping_method_name = models.CharField(_("shipping method"), max_length=100, blank=True)
    shipping_estimated_days = models.PositiveIntegerField(
        _("estimated days"), null=True, blank=True
    )
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    expires_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    # Why an unpaid checkout expired (what Paystack answered, or that it could not be asked).
    expiry_reason = models.CharField(_("expired because"), max_length=255, blank=True)
    # The client's ``Idempotency-Key`` of ``POST /checkout/``: the same key again answers this
    # checkout instead of ordering anew (unique per buyer).
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=100, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subtotal__gte=0)
                & Q(shipping_cost__gte=0)
                & Q(discount_total__gte=0)
                & Q(total_amount__gte=0),
                name="orders_checkout_amounts_gte_0",
            ),
            models.UniqueConstraint(
                fields=["buyer", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="orders_checkout_idempotency_key",
            ),
        ]
        indexes = [
            # The expiry sweep: unpaid checkouts by deadline.
            models.Index(fields=["payment_status", "expires_at"], name="orders_checkout_due"),
            models.Index(fields=["buyer", "-created_at"], name="orders_checkout_buyer"),
            models.Index(fields=["-created_at", "-id"], name="orders_checkout_created"),  # list
        ]

    def __str__(self) -> str:
        return f"Checkout {self.pk}"


class PaymentMismatchReason(models.TextChoices):
    UNKNOWN_REFERENCE = "unknown_reference", _("No checkout has this reference")
    AMOUNT = "amount", _("Amount differs from the checkout's total")
    CURRENCY = "currency", _("Currency differs from the shop's")


class PaymentMismatch(models.Model):
    """A payment Paystack reported (webhook or verify) that was not recorded because it does
    not match a checkout: nothing changed; staff look into it (and refund it at Paystack)."""

    checkout = models.ForeignKey(
        Checkout,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="payment_mismatches",
        verbose_name=_("checkout"),
    )
    reference = models.CharField(_("Paystack reference"), max_length=100)
    source = models.CharField(_("reported by"), max_length=16)  # "webhook" or "verify"
    reason = models.CharField(_("reason"), max_length=20, choices=PaymentMismatchReason.choices)
    amount_kobo = models.BigIntegerField(_("amount paid (subunits)"))
    currency = models.CharField(_("currency paid"), max_length=8, blank=True)
    expected_kobo = models.BigIntegerField(_("amount due (subunits)"), null=True, blank=True)
    expected_currency = models.CharField(_("currency due"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment mismatch")
        verbose_name_plural = _("payment mismatches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_reason_display()}"


class CheckoutAddressChoice(models.Model):
    """The address a buyer picked for their next checkout (``PATCH /select/shipping-address/``);
    ``POST /checkout/`` without an address uses it, then the default address."""

    buyer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    shipping_address = models.ForeignKey(
        "shopping.ShippingAddress", on_delete=models.CASCADE, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chosen shipping address")


class Order(ShippingSnapshot):
    number = models.CharField(_("order number"), max_length=20, unique=True, editable=False)
    buyer = _kept_link(settings.AUTH_USER_MODEL, verbose_name=_("buyer"), related_name="orders")
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    payment_method = models.CharField(_("payment"), max_length=10, choices=PaymentMethod.choices)
    # subtotal = sum of unit price x quantity; discount = what the product discounts took off;
    # total = subtotal - discount + shipping_cost (the line totals plus this order's share of
    # its checkout's shipping).
    subtotal = _money(_("subtotal"))
    discount = _money(_("discount"))
    shipping_cost = _money(_("shipping"))
    total = _money(_("total"))
    checkout = models.ForeignKey(
        Checkout,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("checkout"),
    )
    # Who carries the parcel(s) and their numbers; an order of several sellers may travel in
    # several parcels: each one's carrier and number are listed, comma-separated.
    carrier = models.CharField(_("carrier"), max_length=200, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=200, blank=True)
    # Cash on delivery: when the manufacturer (or staff) recorded the buyer's cash collected.
    cash_collected_at = models.DateTimeField(_("cash collected"), null=True, blank=True)
    cash_collected_by = actor_field(verbose_name=_("cash collected by"))
    # Refunds are not made here yet: an order of a checkout paid online that is cancelled
    # records what is due back to the buyer (its total) and since when, for staff to refund.
    refund_due = _money(_("refund due"))
    refund_due_at = models.DateTimeField(_("refund due since"), null=True, blank=True)
    created_at = models.DateTimeField(_("placed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subtotal__gte=0)
                & Q(discount__gte=0)
                & Q(shipping_cost__gte=0)
                & Q(total__gte=0),
                name="orders_order_amounts_gte_0",
            ),
        ]
        indexes = [
            models.Index(fields=["buyer", "-created_at"], name="orders_order_buyer_created"),
            models.Index(fields=["status", "-created_at"], name="orders_order_status_created"),
            models.Index(fields=["-created_at"], name="orders_order_created"),
        ]

    def __str__(self) -> str:
        return self.number


# What a line records of the purchase: the item and its unit price as they were (the line
# total follows from them). The admin and the API show these fields in this order.
LINE_AS_BOUGHT = [
    "product_name",
    "variation_label",
    "quantity",
    "unit_price",
    "discount_percent",
    "unit_discount",
]


class OrderItem(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="items", verbose_name=_("order")
    )
    product = _kept_link("catalog.Product", verbose_name=_("product"), related_name="order_items")
    variation = _kept_link(
        "catalog.Variation", verbose_name=_("variation"), related_name="order_items"
    )
    # The seller of the line (copied from the product): what scopes a manufacturer's view.
    manufacturer = _kept_link(
        settings.AUTH_USER_MODEL, verbose_name=_("manufacturer"), related_name="sold_items"
    )
    product_name = models.CharField(_("product"), max_length=200)
    variation_label = models.CharField(_("variation"), max_length=110, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = _money(_("unit price"))  # before the discount
    discount_percent = models.DecimalField(
        _("discount %"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    unit_discount = _money(_("unit discount"))  # what the discount takes off one unit
    line_total = _money(_("line total"))  # (unit_price - unit_discount) x quantity
    # The marketplace's commission on the line, captured when the order is placed (see
    # ``orders.commission``): the rule's percent and flat amount then, and what they came to.
    # A rule changed later never rewrites them; lines placed before commissions existed hold 0.
    commission_percent = models.DecimalField(
        _("commission %"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    commission_flat = _money(_("commission flat"))
    commission = _money(_("commission"))
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    shipped_by = actor_field(verbose_name=_("shipped by"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order_id", "id"]
        permissions = [("ship_orderitem", _("Can mark their order lines shipped"))]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_item_quantity_gte_1"),
            models.CheckConstraint(
                condition=Q(unit_discount__lte=models.F("unit_price")),
                name="orders_item_discount_lte_price",
            ),
        ]
        indexes = [
            models.Index(fields=["manufacturer", "order"], name="orders_item_mfr_order"),
            # A manufacturer's lines still to ship (the lines list's filter): a few rows.
            models.Index(fields=["manufacturer", "order"], condition=Q(shipped_at__isnull=True),
                         name="orders_item_mfr_unshipped"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item_label}"

    @property
    def item_label(self) -> str:
        """What was bought, as bought: "Shirt / M", or "Phone" without a variation label."""
        if self.variation_label:
            return f"{self.product_name} / {self.variation_label}"
        return self.product_name

    @property
    def unit_price_paid(self) -> Decimal:
        return self.unit_price - self.unit_discount


class CommissionRule(models.Model):
    """What the marketplace takes on a sale line: ``percent`` of the line's price after
    discounts plus ``flat`` per line, never on shipping. A rule with neither category nor
    manufacturer is the marketplace default (a fresh install without one takes
    ``COMMISSION_DEFAULT_PERCENT``); a category's rule covers its subtree; the most specific
    rule wins (``orders.commission``)."""

    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commission_rules",
        verbose_name=_("category (and its subcategories)"),
    )
    manufacturer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commission_rules",
        verbose_name=_("manufacturer"),
    )
    percent = models.DecimalField(
        _("percent"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    flat = _money(_("flat amount per line"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = actor_field(verbose_name=_("updated by"))

    class Meta:
        verbose_name = _("commission rule")
        verbose_name_plural = _("commission rules")
        ordering = ["manufacturer_id", "category_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100) & Q(flat__gte=0),
                name="orders_commission_bounds",
            ),
            models.UniqueConstraint(
                fields=["category", "manufacturer"],
                name="orders_commission_one_per_pair",
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(manufacturer__isnull=True),
                name="orders_commission_one_per_category",
            ),
            models.UniqueConstraint(
                fields=["manufacturer"],
                condition=Q(category__isnull=True),
                name="orders_commission_one_per_manufacturer",
            ),
            models.UniqueConstraint(
                models.Value(1),
                condition=Q(category__isnull=True, manufacturer__isnull=True),
                name="orders_commission_one_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent}% + {self.flat}"


class OrderStatusChange(models.Model):
    """Who moved an order to which status, when, and why (written with the change)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=10, choices=OrderStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=OrderStatus.choices)
    actor = actor_field(blank=False)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"
