"""The manufacturers' money: an append-only ledger per manufacturer, their bank accounts, the
payouts that pay them and the refunds that give buyers their money back.

The ledger is the one source of truth. Every event that changes what the marketplace owes a
manufacturer (or what they owe it) appends one ``LedgerEntry`` naming its order, payout or
refund; entries are never edited or deleted, and a balance is always a sum of entries, never
stored. Amounts are ``Decimal`` to the cent in the marketplace currency (``CURRENCY``); an entry
is positive when the marketplace owes the manufacturer more, negative when less.

Each entry has a unique ``key`` naming the event it records (``earning:order:17``,
``payout:42``, ...): writing the same event twice (a webhook delivered twice at once, a retried
task) hits the unique index instead of paying twice.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.db import actor_field


def _amount(verbose_name: str, **options) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **options)


def _currency() -> models.CharField:
    return models.CharField(_("currency"), max_length=3, default=settings.CURRENCY)


class EntryKind(models.TextChoices):
    # + the lines' total (after discounts) and the order's shipping share: a paid-online order
    # delivered; pending until ``available_on``.
    EARNING = "earning", _("Sale")
    # - the commission on that sale (same ``available_on``).
    COMMISSION = "commission", _("Commission")
    # - the commission on a cash-on-delivery order whose cash the manufacturer collected: they
    # hold the buyer's money and owe the marketplace its share (due at once).
    CASH_COMMISSION = "cash_commission", _("Commission on cash collected")
    # - what a refund takes back of a sale (lines and shipping refunded) ...
    REFUND = "refund", _("Refund")
    # + ... and the commission on it, returned to the manufacturer.
    COMMISSION_REFUND = "commission_refund", _("Commission returned")
    # - money sent to the manufacturer's bank account.
    PAYOUT = "payout", _("Payout")
    # + a payout that failed or was reversed: back in the balance.
    PAYOUT_RETURN = "payout_return", _("Payout returned")


class LedgerEntry(models.Model):
    manufacturer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("manufacturer"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    amount = _amount(_("amount"))
    currency = _currency()
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("order"),
    )
    payout = models.ForeignKey(
        "money.Payout",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("payout"),
    )
    refund = models.ForeignKey(
        "money.Refund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("refund"),
    )
    # From when the entry counts as available for a payout; null: at once. A sale's earning
    # waits ``PAYOUT_HOLD_DAYS`` after delivery (returns and disputes); until then it is pending.
    available_on = models.DateField(_("available on"), null=True, blank=True)
    # The event this entry records, unique: the same event is never written twice.
    key = models.CharField(_("event"), max_length=80, unique=True, editable=False)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(order__isnull=False) | Q(payout__isnull=False),
                name="money_entry_names_its_event",
            ),
        ]
        indexes = [
            models.Index(fields=["manufacturer", "-created_at"], name="money_entry_mfr_created"),
            models.Index(fields=["manufacturer", "available_on"], name="money_entry_mfr_available"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"

    def save(self, *args, **kwargs):
        # Append-only: an entry is written once. Corrections are new entries.
        if self.pk is not None and not self._state.adding:
            raise ValidationError("Ledger entries are never edited: append a correcting entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Ledger entries are never deleted: append a correcting entry.")


NUBAN = RegexValidator(r"^\d{10}$", _("A NUBAN account number is exactly 10 digits."))


class BankAccount(models.Model):
    """A manufacturer's bank account for payouts. Changing it adds a new row (the old one stays,
    no longer current): the rows are the change history staff can read."""

    manufacturer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bank_accounts",
        verbose_name=_("manufacturer"),
    )
    bank_code = models.CharField(_("bank code"), max_length=10)
    bank_name = models.CharField(_("bank"), max_length=120)
    account_number = models.CharField(_("account number"), max_length=10, validators=[NUBAN])
    # As Paystack's resolve-account call returned it (empty without a key configured).
    account_name = models.CharField(_("account name"), max_length=200, blank=True)
    is_current = models.BooleanField(_("current"), default=True)
    # Paystack's transfer recipient for this account, created once, on its first payout.
    recipient_code = models.CharField(_("Paystack recipient"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    created_by = actor_field(verbose_name=_("added by"))

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["manufacturer_id", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer"],
                condition=Q(is_current=True),
                name="money_one_current_bank_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} ****{self.account_number[-4:]}"


class PayoutRunStatus(models.TextChoices):
    DRAFT = "draft", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    CANCELLED = "cancelled", _("Cancelled")


class PayoutRun(models.Model):
    """Staff gather every manufacturer whose available balance is at least ``PAYOUT_MINIMUM``
    into a run, review it, and approve it: approving sends its payouts."""

    status = models.CharField(
        _("status"), max_length=10, choices=PayoutRunStatus.choices, default=PayoutRunStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = actor_field(verbose_name=_("created by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = actor_field(verbose_name=_("approved by"))

    class Meta:
        verbose_name = _("payout run")
        verbose_name_plural = _("payout runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One run awaits approval at a time: the same balance is never proposed twice.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="draft"),
                name="money_one_draft_payout_run",
            ),
        ]

    def __str__(self) -> str:
        return f"Payout run {self.pk}"


class PayoutStatus(models.TextChoices):
    PROPOSED = "proposed", _("In a run awaiting approval")
    SENDING = "sending", _("Sending")  # approved; the transfer is queued or in flight
    PAID = "paid", _("Paid")  # Paystack's transfer.success, or a manual payout recorded
    FAILED = "failed", _("Failed")  # transfer.failed: back in the balance
    REVERSED = "reversed", _("Reversed")  # transfer.reversed: back in the balance
    CANCELLED = "cancelled", _("Cancelled")  # its run was cancelled before approval


class PayoutMethod(models.TextChoices):
    PAYSTACK = "paystack", _("Paystack transfer")
    MANUAL = "manual", _("Manual bank transfer")


class Payout(models.Model):
    run = models.ForeignKey(
        PayoutRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payouts",
        verbose_name=_("run"),
    )
    manufacturer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="payouts",
        verbose_name=_("manufacturer"),
    )
    amount = _amount(_("amount"), validators=[MinValueValidator(Decimal("0.01"))])
    currency = _currency()
    bank_account = models.ForeignKey(
        BankAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payouts",
        verbose_name=_("bank account"),
    )
    method = models.CharField(_("method"), max_length=10, choices=PayoutMethod.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=PayoutStatus.choices, default=PayoutStatus.PROPOSED
    )
    # Ours, unique, sent to Paystack with the transfer: a retry with the same reference is
    # never paid twice.
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    transfer_code = models.CharField(_("Paystack transfer"), max_length=64, blank=True)
    # A manual payout's reference at the bank.
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    failure_reason = models.CharField(_("failure"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="money_payout_amount_gt_0"),
        ]
        indexes = [
            models.Index(fields=["manufacturer", "-created_at"], name="money_payout_mfr_created"),
        ]

    def __str__(self) -> str:
        return self.reference


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # created; the Paystack refund is queued or in flight
    PROCESSED = "processed", _("Processed")  # refund.processed, or recorded as paid manually
    FAILED = "failed", _("Failed")  # refund.failed: staff look into it


class RefundSource(models.TextChoices):
    STAFF = "staff", _("Staff")
    CANCELLED = "cancelled", _("Paid order cancelled")  # by the buyer, staff, or before payment


class RefundMethod(models.TextChoices):
    PAYSTACK = "paystack", _("Paystack refund")  # back onto the buyer's card, through Paystack
    MANUAL = "manual", _("Manual")  # paid back by staff outside Paystack (bank, cash)


class Refund(models.Model):
    """Money given back to the buyer of one order: all of it, or some lines (and optionally its
    shipping). Its ``RefundLine`` rows say which lines and what each cost in commission."""

    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="refunds", verbose_name=_("order")
    )
    amount = _amount(_("amount"), validators=[MinValueValidator(Decimal("0.01"))])
    shipping_amount = _amount(_("of which shipping"), default=Decimal("0"))
    currency = _currency()
    reason = models.CharField(_("reason"), max_length=255)
    source = models.CharField(_("source"), max_length=10, choices=RefundSource.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    method = models.CharField(
        _("method"), max_length=10, choices=RefundMethod.choices, default=RefundMethod.MANUAL
    )
    # A manual refund's reference at the bank (or how it was paid back).
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    # Ours, unique (refund requests are retried with it); Paystack's refund id once created.
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    paystack_refund_id = models.CharField(_("Paystack refund"), max_length=64, blank=True)
    failure_reason = models.CharField(_("failure"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = actor_field(verbose_name=_("by"))
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="money_refund_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return self.reference


class RefundLine(models.Model):
    refund = models.ForeignKey(
        Refund, on_delete=models.CASCADE, related_name="lines", verbose_name=_("refund")
    )
    order_item = models.ForeignKey(
        "orders.OrderItem", on_delete=models.PROTECT, related_name="refund_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    amount = _amount(_("amount"))  # what the refunded units cost the buyer
    commission = _amount(_("commission"), default=Decimal("0"))  # their captured commission
    # How many of the refunded units went back into stock (see ``money.services.refunds``).
    restocked = models.PositiveIntegerField(_("returned to stock"), default=0)

    class Meta:
        verbose_name = _("refunded line")
        verbose_name_plural = _("refunded lines")
