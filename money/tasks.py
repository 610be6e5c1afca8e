"""django-q2 tasks of the money app: thin wrappers that call a service."""

from money.services.payouts import payout_transfer_send, payouts_send_due
from money.services.refund_paystack import refund_send, refunds_send_due


def refund_send_task(refund_id: int) -> str:
    """Ask Paystack to refund one refund (queued when its transaction commits)."""
    return refund_send(refund_id=refund_id)


def refunds_send_due_task() -> int:
    """Every five minutes (Schedule made by migration): send again the Paystack refunds that
    Paystack has not acknowledged (their task was lost, or Paystack could not be reached)."""
    return refunds_send_due()


def payout_send_task(payout_id: int) -> str:
    """Queued after a run's approval commits: one payout's Paystack transfer."""
    return payout_transfer_send(payout_id=payout_id)


def payouts_send_due_task() -> int:
    """Every five minutes (Schedule made by migration): try again the transfers that were
    never made (Paystack unreachable), with the same references."""
    return payouts_send_due()
