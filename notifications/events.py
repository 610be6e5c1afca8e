"""What each notification event says and on which channels it goes out.

The in-app notification is always written for a notifiable event; email and SMS are sent when the
event's spec asks for them and the user's preference allows it. Titles and bodies are
``str.format`` templates over the ``context`` given to ``notify``; a caller may pass ``title`` /
``body`` in the context to replace them (e.g. an order summary worded per recipient).
"""

from dataclasses import dataclass
from string import Formatter

from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationEvent


@dataclass(frozen=True)
class EventSpec:
    """Most events are in-app and by email, not by SMS; the table below says where not."""

    title: str = ""  # account events (no in-app notification) have no wording here
    body: str = ""
    email: bool = True
    sms: bool = False
    in_app: bool = True
    email_subject: str = ""  # defaults to the title


EVENTS: dict[NotificationEvent, EventSpec] = {
    NotificationEvent.PRODUCT_SUBMITTED: EventSpec(
        title=_("Product awaiting approval: {product_name}"),
        body=_("{manufacturer_name} submitted “{product_name}” for approval."),
    ),
    NotificationEvent.PRODUCT_APPROVED: EventSpec(
        title=_("Your product “{product_name}” was approved"),
        body=_("“{product_name}” is now visible in the catalogue."),
    ),
    NotificationEvent.PRODUCT_REJECTED: EventSpec(
        title=_("Your product “{product_name}” was not approved"),
        body=_("Reason: {reason}"),
    ),
    NotificationEvent.ORDER_PLACED: EventSpec(
        title=_("Order {order_number} placed"),
        body=_("Order {order_number} has been placed. Total: {total}."),
        sms=True,
    ),
    NotificationEvent.ORDER_STATUS_CHANGED: EventSpec(
        title=_("Order {order_number} is now {status}"),
        body=_("The status of order {order_number} changed to {status}."),
        sms=True,
    ),
    NotificationEvent.LOW_STOCK: EventSpec(
        title=_("Low stock: {product_name}"),
        body=_("Your product “{product_name}” is low on stock: {stock} left. Please restock soon."),
        # The original MARTAF API's wording ("Low Stock Notification"), kept.
        email_subject=_("Low Stock Alert: {product_name}"),
    ),
    NotificationEvent.NEW_REVIEW: EventSpec(
        title=_("New {rating}★ review of {product_name}"),
        body=_("{reviewer_name} reviewed “{product_name}”."),
    ),
    NotificationEvent.NEW_MESSAGE: EventSpec(
        title=_("New message from {sender_name}"),
        body=_("{preview}"),
    ),
    # Vendor onboarding (users.onboarding): staff hear of a new application (in the admin
    # only: the dashboard counts them too), the manufacturer hears staff's decision.
    NotificationEvent.MANUFACTURER_APPLIED: EventSpec(
        title=_("Manufacturer awaiting approval: {company}"),
        body=_("{company} ({email}) signed up as a manufacturer. Review their application."),
        email=False,
    ),
    NotificationEvent.MANUFACTURER_APPROVED: EventSpec(
        title=_("Your MARTAF manufacturer account is approved"),
        body=_("Welcome, {company}: you can now add your products in the backoffice."),
    ),
    NotificationEvent.MANUFACTURER_REJECTED: EventSpec(
        title=_("Your MARTAF manufacturer application was not approved"),
        body=_("Reason: {reason}"),
    ),
    NotificationEvent.MANUFACTURER_SUSPENDED: EventSpec(
        title=_("Your MARTAF manufacturer account is suspended"),
        body=_(
            "Your products are hidden from the storefront and your account is read-only. "
            "Reason: {reason}"
        ),
    ),
    NotificationEvent.MANUFACTURER_REINSTATED: EventSpec(
        title=_("Your MARTAF manufacturer account is active again"),
        body=_("Your approved products are back on the storefront."),
    ),
    # Payouts (money.services.payouts): the manufacturer hears where their money went.
    NotificationEvent.PAYOUT_PAID: EventSpec(
        title=_("Payout of {amount} sent"),
        body=_("{amount} was sent to your bank account {bank_account} (reference {reference})."),
    ),
    NotificationEvent.PAYOUT_FAILED: EventSpec(
        title=_("Payout of {amount} did not go through"),
        body=_(
            "The payout of {amount} to {bank_account} failed: {reason}. The amount is back in "
            "your balance and goes in the next payout; check your bank details."
        ),
    ),
    # Account emails are transactional: the users app sends them with email_queue/sms_queue,
    # preferences never mute them, and they leave no in-app notification.
    NotificationEvent.PASSWORD_RESET: EventSpec(in_app=False),
    NotificationEvent.ONE_TIME_LOGIN: EventSpec(sms=True, in_app=False),
    NotificationEvent.FORGOT_EMAIL: EventSpec(email=False, sms=True, in_app=False),
}


class MissingContextError(ValueError):
    """``notify`` was called without a value its event's wording needs."""


def render_event_text(template: str, context: dict, *, event: str) -> str:
    """``template.format(**context)``, naming every missing key instead of one KeyError."""
    template = str(template)
    needed = {name for _, name, _, _ in Formatter().parse(template) if name}
    missing = sorted(needed - set(context))
    if missing:
        raise MissingContextError(f"notify({event}) needs context key(s): {', '.join(missing)}")
    return template.format(**context)
