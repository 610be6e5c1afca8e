"""What one buyer may hold unpaid: a Paystack checkout takes its stock when it is placed and
holds it until it is paid or expires, so without a limit one buyer could take a product off
sale by checking it out and never paying (again and again, every time it expired).

``unpaid_hold_check`` refuses (409 ``unpaid_limit``) a Paystack checkout that would give the
buyer more than ``CHECKOUT_UNPAID_MAX_CHECKOUTS`` checkouts awaiting payment, or more than
``CHECKOUT_UNPAID_MAX_UNITS_PER_PRODUCT`` units of one product across them. Checkouts past
their deadline do not count (the sweep is about to expire them). Paid-on-delivery orders are
not holds of this kind: the manufacturer confirms them by hand.
"""

from collections import Counter
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from orders.errors import CheckoutError, CheckoutErrorCode
from orders.models import Checkout, CheckoutPaymentStatus, OrderItem, OrderStatus
from shopping.models import CartItem
from users.models import User


def unpaid_hold_check(
    *, buyer: User, items: Sequence[CartItem], excluding: int | None = None
) -> None:
    """Raise ``CheckoutError`` (``UNPAID_LIMIT``) when checking ``items`` out unpaid would
    exceed what the buyer may hold; the lines over the limit are named. ``excluding``: the
    checkout being written (checked inside its transaction)."""
    open_checkouts = Checkout.objects.filter(
        buyer=buyer,
        payment_status=CheckoutPaymentStatus.AWAITING,
        expires_at__gt=timezone.now(),
    ).exclude(pk=excluding)
    most = settings.CHECKOUT_UNPAID_MAX_CHECKOUTS
    # At most ``most`` ids read: enough to know whether the limit is reached, and the held
    # units are then counted only when there is something held (a buyer's usual case: one
    # query in all).
    open_ids = list(open_checkouts.order_by("pk").values_list("pk", flat=True)[:most])
    if len(open_ids) >= most:
        raise CheckoutError(
            f"You have {most} checkouts awaiting payment: pay one of them (or wait until it "
            "expires) before checking out again. Nothing was ordered.",
            code=CheckoutErrorCode.UNPAID_LIMIT,
        )
    wanted: Counter = Counter()
    names: dict = {}
    for item in items:
        wanted[item.product_id] += item.quantity
        names[item.product_id] = item.product.name
    held = dict(
        OrderItem.objects.filter(
            order__checkout__in=open_ids,
            product_id__in=list(wanted),
        )
        .exclude(order__status=OrderStatus.CANCELLED)
        .values("product_id")
        .annotate(units=Sum("quantity"))
        .values_list("product_id", "units")
    ) if open_ids else {}
    cap = settings.CHECKOUT_UNPAID_MAX_UNITS_PER_PRODUCT
    over = [
        {
            "cart_item": item.pk,
            "product": str(item.product_id),
            "product_name": names[item.product_id],
            "held": held.get(item.product_id, 0),
            "requested": wanted[item.product_id],
            "limit": cap,
        }
        for item in items
        if held.get(item.product_id, 0) + wanted[item.product_id] > cap
    ]
    if over:
        described = "; ".join(
            f"“{line['product_name']}”: {line['requested']} requested"
            + (f", {line['held']} already awaiting payment" if line["held"] else "")
            for line in over
        )
        raise CheckoutError(
            f"At most {cap} units of one product can await payment at a time ({described}). "
            "Lower the quantity, or pay your open checkout first. Nothing was ordered.",
            code=CheckoutErrorCode.UNPAID_LIMIT,
            lines=over,
        )
