"""The stock ledger: one row per change of a variation's stock."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models.products import Product, Variation
from core.db import actor_field


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
    actor = actor_field()
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
