"""django-q2 tasks of the orders app: thin wrappers that call a service."""

from orders.services import checkouts_expire_due


def checkouts_expire_due_task() -> int:
    """Every minute (Schedule made by migration): expire unpaid Paystack checkouts past their
    time, so their stock goes back."""
    return checkouts_expire_due()
