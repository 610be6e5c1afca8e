"""Refusals of order writes: a code for programs, a sentence for people, and the lines at fault.

Services raise ``OrderError``; its code's status is declared here and the project's one exception
handler (``core.api``) renders it; the admin shows its message.
"""

from enum import StrEnum

from core.errors import AppError


class OrderErrorCode(StrEnum):
    # The request itself (400)
    EMPTY_ORDER = "empty_order"
    TOO_MANY_LINES = "too_many_lines"
    INVALID_QUANTITY = "invalid_quantity"
    INVALID_PAYMENT_METHOD = "invalid_payment_method"
    DUPLICATE_LINE = "duplicate_line"
    PRODUCT_UNAVAILABLE = "product_unavailable"
    VARIATION_REQUIRED = "variation_required"
    VARIATION_UNKNOWN = "variation_unknown"
    # The state of the world (409)
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID_TRANSITION = "invalid_transition"
    NOT_CANCELLABLE = "not_cancellable"
    LINES_SHIPPED = "lines_shipped"
    NOT_SHIPPABLE = "not_shippable"
    NOTHING_TO_SHIP = "nothing_to_ship"
    NOT_DELIVERABLE = "not_deliverable"
    # Who asks (403)
    NOT_BUYER = "not_buyer"
    STAFF_ONLY = "staff_only"


class OrderError(AppError):
    """A refused order write. ``lines`` names the order lines at fault, each a dict with at
    least ``index`` (position in the request), ``product`` and ``variation``."""

    status_of_code = {
        OrderErrorCode.INSUFFICIENT_STOCK: 409,
        OrderErrorCode.INVALID_TRANSITION: 409,
        OrderErrorCode.NOT_CANCELLABLE: 409,
        OrderErrorCode.LINES_SHIPPED: 409,
        OrderErrorCode.NOT_SHIPPABLE: 409,
        OrderErrorCode.NOTHING_TO_SHIP: 409,
        OrderErrorCode.NOT_DELIVERABLE: 409,
        OrderErrorCode.NOT_BUYER: 403,
        OrderErrorCode.STAFF_ONLY: 403,
    }  # the rest (the request itself) are 400

    def __init__(
        self, message: str, *, code: OrderErrorCode, lines: list[dict] | None = None
    ) -> None:
        self.lines = lines or []
        super().__init__(message, code=code, extra={"lines": self.lines} if self.lines else None)


class CheckoutErrorCode(StrEnum):
    # The request itself (400)
    EMPTY_CART = "empty_cart"
    ADDRESS_REQUIRED = "address_required"
    ADDRESS_UNKNOWN = "address_unknown"
    SHIPPING_METHOD_UNKNOWN = "shipping_method_unknown"
    NOT_PAYSTACK = "not_paystack"
    BAD_SIGNATURE = "bad_signature"
    # Who asks (404: another buyer's checkout is answered as unknown)
    CHECKOUT_UNKNOWN = "checkout_unknown"
    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
    # The state of the world (409)
    PRICE_CHANGED = "price_changed"
    NOT_AWAITING_PAYMENT = "not_awaiting_payment"
    # The cart's lines were ordered by another request (a second click, a retry): the body
    # names that checkout (``checkout_id``, ``order_ids``).
    ALREADY_PLACED = "already_placed"
    CART_CHANGED = "cart_changed"
    # The buyer holds as much unpaid as they may (open Paystack checkouts, units of a product).
    UNPAID_LIMIT = "unpaid_limit"
    # Paystack (409: online payment is off here, pay on delivery; 502: it answered badly or
    # not at all)
    PAYSTACK_NOT_CONFIGURED = "paystack_not_configured"
    PAYSTACK_UNAVAILABLE = "paystack_unavailable"
    PAYSTACK_REFUSED = "paystack_refused"


class CheckoutError(AppError):
    """A refused checkout or payment step. ``lines`` names the cart lines at fault (each with
    ``cart_item``, the cart line's id), as ``OrderError`` does for order lines."""

    status_of_code = {
        CheckoutErrorCode.CHECKOUT_UNKNOWN: 404,
        CheckoutErrorCode.PRICE_CHANGED: 409,
        CheckoutErrorCode.NOT_AWAITING_PAYMENT: 409,
        CheckoutErrorCode.ALREADY_PLACED: 409,
        CheckoutErrorCode.CART_CHANGED: 409,
        CheckoutErrorCode.UNPAID_LIMIT: 409,
        CheckoutErrorCode.PAYSTACK_NOT_CONFIGURED: 409,
        CheckoutErrorCode.PAYSTACK_UNAVAILABLE: 502,
        CheckoutErrorCode.PAYSTACK_REFUSED: 502,
    }

    def __init__(
        self,
        message: str,
        *,
        code: CheckoutErrorCode,
        lines: list[dict] | None = None,
        extra: dict | None = None,
    ) -> None:
        self.lines = lines or []
        body = {**(extra or {}), **({"lines": self.lines} if self.lines else {})}
        super().__init__(message, code=code, extra=body or None)
