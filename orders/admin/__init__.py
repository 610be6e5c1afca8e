"""Orders in the backoffice, by area: ``orders`` (the orders list and page, with their
actions), ``order_page`` (the order's page in one view, with who acts next), ``lines`` (the
order lines list), ``inlines``, ``forms`` (dialogs), ``filters``, ``common`` (read-only scoped
pages, badges, line columns, the bulk report).

Staff see every order and move it along its workflow (detail dialog or bulk actions; every
change goes through ``orders.services`` and is recorded). A manufacturer sees only the orders
that contain their products, and in them only their own lines (``orders_visible_to`` /
``order_items_visible_to`` in every queryset, object permission and inline), and marks their
lines shipped, with a tracking number. Staff also see checkouts (``checkouts``): a storefront
purchase's payment state and the orders it placed; and payments that matched no checkout
(``mismatches``), and set the commission rules (``commission``; manufacturers read the ones
that apply to them). Orders are never added or edited here: buyers place them, services change them;
the pages are read-only and the actions do the writing.
"""

from orders.admin.checkouts import CheckoutAdmin  # registers
from orders.admin.commission import CommissionRuleAdmin  # registers
from orders.admin.lines import OrderItemAdmin  # registers
from orders.admin.mismatches import PaymentMismatchAdmin  # registers
from orders.admin.orders import OrderAdmin  # registers

__all__ = [
    "CheckoutAdmin", "CommissionRuleAdmin", "OrderAdmin", "OrderItemAdmin", "PaymentMismatchAdmin"
]
