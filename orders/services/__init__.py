"""Writes of orders, by area (``from orders.services import ...`` names them all):

- ``placement``: ``order_place`` (one transaction: every line's stock or nothing) and the
  order line with its captured price (``order_item_new``, asking ``catalog.pricing``);
- ``workflow``: ``ORDER_MOVES``, staff status changes and the buyer's cancellation;
- ``shipping``: a manufacturer marks their lines shipped; the last one ships the order;
- ``notices``: who is told what (after commit);
- ``quote``: what checkout will take (lines, shipping method, amounts), which the checkout
  review shows and a Paystack checkout charges;
- ``checkout``: the storefront's cart checked out as one order per manufacturer;
- ``payment``: a checkout paid (Paystack) or expired unpaid (its stock back);
- ``commission_rules``: staff save a commission rule.
"""

from orders.services.checkout import (
    CheckoutPlaced,
    checkout_address_choose,
    checkout_address_for,
    checkout_place,
    shipping_split,
)
from orders.services.commission_rules import commission_rule_save
from orders.services.payment import (
    checkout_expire,
    checkout_payment_page,
    checkout_payment_record,
    checkout_verify,
    checkouts_expire_due,
)
from orders.services.placement import (
    MAX_LINES,
    ORDER_NUMBER_ALPHABET,
    OrderLineRequest,
    order_item_new,
    order_number_new,
    order_place,
)
from orders.services.quote import CheckoutQuote, checkout_quote
from orders.services.shipping import (
    order_lines_ship,
    order_lines_ship_many,
    order_ship,
    orders_ship_many,
    parcel_record,
)
from orders.services.workflow import (
    ORDER_MOVES,
    order_cancel,
    order_mark_delivered,
    order_status_change,
    order_status_change_many,
)

__all__ = [
    "ORDER_MOVES",
    "CheckoutPlaced",
    "CheckoutQuote",
    "checkout_address_choose",
    "checkout_address_for",
    "checkout_expire",
    "checkout_payment_page",
    "checkout_payment_record",
    "checkout_place",
    "checkout_quote",
    "checkout_verify",
    "checkouts_expire_due",
    "commission_rule_save",
    "order_mark_delivered",
    "shipping_split",
    "MAX_LINES",
    "ORDER_NUMBER_ALPHABET",
    "OrderLineRequest",
    "order_cancel",
    "order_item_new",
    "order_lines_ship",
    "order_lines_ship_many",
    "order_ship",
    "orders_ship_many",
    "parcel_record",
    "order_number_new",
    "order_place",
    "order_status_change",
    "order_status_change_many",
]
