"""Refusals of the money app's writes and reads: a code for programs, a sentence for people.

Services raise ``MoneyError``; the status each code stands for is declared here and the
project's one exception handler (``core.api``) renders it; the admin shows its message.
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


class MoneyError(AppError):
    status_of_code = {
        MoneyErrorCode.BACKOFFICE_ONLY: 403,
        MoneyErrorCode.READ_ONLY: 403,
        MoneyErrorCode.OTHER_SELLERS: 403,
        MoneyErrorCode.ORDER_UNKNOWN: 404,
        MoneyErrorCode.MANUFACTURER_UNKNOWN: 404,
        MoneyErrorCode.NOT_CASH_ON_DELIVERY: 409,
        MoneyErrorCode.NOT_DELIVERED: 409,
    }  # the rest (the request itself) are 400
