"""Refusals of the money app's writes and reads: a code for programs, a sentence for people.

Services raise ``MoneyError`` (earnings, cash collected, bank details, payouts) or
``RefundError`` (refunds); the status each code stands for is declared here and the project's
one exception handler (``core.api``) renders it; the admin shows its message.
"""

from enum import StrEnum

from core.errors import AppError


class MoneyErrorCode(StrEnum):
    # --- Earnings and cash collected ----------------------------------------------------------
    # The request itself (400)
    MANUFACTURER_REQUIRED = "manufacturer_required"
    # Who asks (403; 404 for an order that is not theirs)
    BACKOFFICE_ONLY = "backoffice_only"
    READ_ONLY = "read_only"
    OTHER_SELLERS = "other_sellers"
    ORDER_UNKNOWN = "order_unknown"
    MANUFACTURER_UNKNOWN = "manufacturer_unknown"
    # The state of the world (409)
    NOT_CASH_ON_DELIVERY = "not_cash_on_delivery"
    NOT_DELIVERED = "not_delivered"
    # --- Bank details and payouts ---
    # The request itself (400)
    UNKNOWN_BANK = "unknown_bank"
    INVALID_ACCOUNT_NUMBER = "invalid_account_number"
    ACCOUNT_NOT_RESOLVED = "account_not_resolved"
    WRONG_PASSWORD = "wrong_password"
    BANK_REFERENCE_REQUIRED = "bank_reference_required"
    # The state of the world (409)
    NOTHING_TO_PAY = "nothing_to_pay"
    RUN_ALREADY_OPEN = "run_already_open"
    RUN_NOT_DRAFT = "run_not_draft"
    NOT_MANUAL_PAYOUT = "not_manual_payout"
    # Paystack could not be asked (503)
    PAYSTACK_UNAVAILABLE = "paystack_unavailable"
    # Who asks (403)
    STAFF_ONLY = "staff_only"
    MANUFACTURER_ONLY = "manufacturer_only"
    SECOND_FACTOR_REQUIRED = "second_factor_required"


class MoneyError(AppError):
    status_of_code = {
        MoneyErrorCode.BACKOFFICE_ONLY: 403,
        MoneyErrorCode.READ_ONLY: 403,
        MoneyErrorCode.OTHER_SELLERS: 403,
        MoneyErrorCode.ORDER_UNKNOWN: 404,
        MoneyErrorCode.MANUFACTURER_UNKNOWN: 404,
        MoneyErrorCode.NOT_CASH_ON_DELIVERY: 409,
        MoneyErrorCode.NOT_DELIVERED: 409,
        MoneyErrorCode.NOTHING_TO_PAY: 409,
        MoneyErrorCode.RUN_ALREADY_OPEN: 409,
        MoneyErrorCode.RUN_NOT_DRAFT: 409,
        MoneyErrorCode.NOT_MANUAL_PAYOUT: 409,
        MoneyErrorCode.PAYSTACK_UNAVAILABLE: 503,
        MoneyErrorCode.STAFF_ONLY: 403,
        MoneyErrorCode.MANUFACTURER_ONLY: 403,
        MoneyErrorCode.SECOND_FACTOR_REQUIRED: 403,
    }  # the rest (the request itself) are 400


class RefundErrorCode(StrEnum):
    # --- Refunds ---
    # The request itself (400)
    NOTHING_TO_REFUND = "nothing_to_refund"
    INVALID_QUANTITY = "invalid_quantity"
    UNKNOWN_LINE = "unknown_line"
    REASON_REQUIRED = "reason_required"
    # The state of the world (409)
    NOT_PAID = "not_paid"
    TOO_MUCH = "too_much"
    NOT_PENDING = "not_pending"
    # Who asks (403)
    STAFF_ONLY = "staff_only"


class RefundError(AppError):
    status_of_code = {
        RefundErrorCode.NOT_PAID: 409,
        RefundErrorCode.TOO_MUCH: 409,
        RefundErrorCode.NOT_PENDING: 409,
        RefundErrorCode.STAFF_ONLY: 403,
    }
