"""The buyer's wishlist, cart and shipping addresses, and the shipping methods staff offer.

A cart line points at a product and, for a product sold in sizes or colours, the variation
chosen; a product without variations has none (its stock is the product's ``inventory``).
Prices are never stored here: the cart shows what ``catalog.pricing`` says now.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Wishlist(models.Model):
    """One per user: the products they keep an eye on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="wishlist",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("wishlist")
        verbose_name_plural = _("wishlists")

    def __str__(self) -> str:
        return f"Wishlist of {self.user}"


class WishlistItem(models.Model):
    wishlist = models.ForeignKey(
        Wishlist, on_delete=models.CASCADE, related_name="items", verbose_name=_("wishlist")
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="wishlist_items",
        verbose_name=_("product"),
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("wishlist item")
        verbose_name_plural = _("wishlist items")
        ordering = ["-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["wishlist", "product"], name="shopping_wishlist_unique_product"
            )
        ]

    def __str__(self) -> str:
        return str(self.product_id)


class CartItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cart_items",
        verbose_name=_("user"),
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="cart_items",
        verbose_name=_("product"),
    )
    variation = models.ForeignKey(
        "catalog.Variation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cart_items",
        verbose_name=_("variation"),
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    # Ticked lines are what checkout takes.
    checked = models.BooleanField(_("checked"), default=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="shopping_cartitem_quantity_gte_1"
            ),
            # One line per user and item; NULL variations are distinct in a plain unique
            # constraint, so the line without a variation has its own (portable) constraint.
            models.UniqueConstraint(
                fields=["user", "product", "variation"],
                condition=Q(variation__isnull=False),
                name="shopping_cartitem_unique_variation",
            ),
            models.UniqueConstraint(
                fields=["user", "product"],
                condition=Q(variation__isnull=True),
                name="shopping_cartitem_unique_product",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"


class ShippingAddress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shipping_addresses",
        verbose_name=_("user"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=32)
    address = models.CharField(_("address"), max_length=300)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="NG")
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("shipping address")
        verbose_name_plural = _("shipping addresses")
        ordering = ["-is_default", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_default=True),
                name="shopping_address_one_default_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.address}, {self.city}"

    @property
    def one_line(self) -> str:
        """The address as one line: street, city, state, postal code, country."""
        parts = (self.address, self.city, self.state, self.postal_code, self.country)
        return ", ".join(part for part in parts if part)


class ShippingMethod(models.Model):
    """A way of delivering that staff offer. The storefront never names one and shows shipping
    as free, so a checkout that names none uses the *default* method: at most one, free and
    active (both enforced here and by the database); paid methods apply only when named."""

    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(
        _("description"),
        max_length=200,
        blank=True,
        help_text=_("What buyers are told, e.g. “Included in the price”."),
    )
    cost = models.DecimalField(
        _("cost"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    estimated_days = models.PositiveSmallIntegerField(
        _("estimated days"), help_text=_("Days from dispatch to delivery, as buyers are told.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_default = models.BooleanField(
        _("default"),
        default=False,
        help_text=_(
            "Used when the buyer names no method (the storefront never does, and shows shipping "
            "as free): it must be free and active. Marking one unmarks the previous default."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        ordering = ["cost", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="shopping_method_cost_gte_0"),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="shopping_method_one_default",
            ),
            models.CheckConstraint(
                condition=Q(is_default=False) | (Q(cost=0) & Q(is_active=True)),
                name="shopping_method_default_free_active",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def validate_constraints(self, exclude=None) -> None:
        # Marking a method default unmarks the previous one (``shipping_method_save``), so the
        # one-default constraint is the database's backstop, not a form error; ``clean`` says
        # why a paid or inactive method cannot be the default.
        super().validate_constraints(exclude={*(exclude or ()), "is_default"})

    def clean(self) -> None:
        super().clean()
        if not self.is_default:
            return
        errors = {}
        if self.cost is not None and self.cost != 0:
            errors["cost"] = _(
                "The default method must be free: buyers who name no method are shown free "
                "shipping. Unmark “default” to charge for this one."
            )
        if not self.is_active:
            errors["is_active"] = _("The default method must be active.")
        if errors:
            raise ValidationError(errors)
