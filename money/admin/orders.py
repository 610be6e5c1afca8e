"""Cash collected on delivery, recorded from the order admin (the order's page and the list's
bulk action) by the order's manufacturer or staff. The order admin belongs to ``orders``, below
this app: these actions reach it through ``orders.admin.extensions``, registered in
``MoneyConfig.ready``. Every write goes through ``money.services.order_cash_collect``."""

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.decorators import action

from core.admin import Dialog, dialog_action, htmx_redirect
from core.roles import user_can_write_backoffice
from money.errors import MoneyError
from money.services import order_cash_collect
from money.services.earnings import PAID_ONLINE
from orders.models import Order, OrderStatus, PaymentMethod

CASH_DIALOG = Dialog(
    _("Record the cash collected"),
    _(
        "The buyer paid this order in cash on delivery. A shipped order becomes delivered, and "
        "the marketplace's commission on it is added to what you owe (netted by your next "
        "payouts)."
    ),
    _("Cash collected"),
)
COLLECTABLE = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def has_cash_permission(model_admin, request, obj=None) -> bool:
    """Staff and active manufacturers; on an order's page only while its cash is there to be
    recorded (paid on delivery, shipped or delivered, not recorded yet)."""
    if not (user_can_write_backoffice(user=request.user)
            and model_admin.has_view_permission(request, obj)):
        return False
    if obj is None:
        return True
    pk = obj.pk if isinstance(obj, Order) else obj
    cache = request.__dict__.setdefault("_cash_collectable", {})
    if pk not in cache:
        cache[pk] = (
            model_admin.get_queryset(request)
            .filter(
                pk=pk,
                payment_method=PaymentMethod.CASH,
                status__in=COLLECTABLE,
                cash_collected_at__isnull=True,
            )
            .exclude(checkout__payment_status__in=PAID_ONLINE)
            .exists()
        )
    return cache[pk]


def _collected(order: Order) -> str:
    return _("Cash collected for order %(number)s: the commission is added to what you owe.") % {
        "number": order.number
    }


@dialog_action(_("Cash collected"), "payments", "cash-collected", "cash", CASH_DIALOG)
def cash_collected(model_admin, request, form, object_id):
    order = model_admin.get_scoped_or_403(request, object_id)
    try:
        order = order_cash_collect(order=order, actor=request.user)
    except MoneyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _collected(order))
    return htmx_redirect(model_admin.change_url(object_id))


@action(description=_("Record cash collected for the selected orders"), permissions=["cash"])
def cash_collected_selected(model_admin, request, queryset):
    done, refused = 0, []
    for order in sorted(queryset, key=lambda o: o.pk):
        if order.cash_collected_at is not None:
            continue
        try:
            order_cash_collect(order=order, actor=request.user)
        except MoneyError as error:
            refused.append(error.message)
        else:
            done += 1
    if done:
        messages.success(
            request,
            ngettext("Cash collected recorded for %(n)d order.",
                     "Cash collected recorded for %(n)d orders.", done) % {"n": done},
        )
    for message in refused[:10]:
        messages.warning(request, message)
