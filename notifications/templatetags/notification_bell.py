"""``{% notification_bell %}``: the unread-notifications bell in the admin header."""

from django import template
from django.urls import reverse

from core.roles import user_can_enter_backoffice
from notifications.selectors import notification_unread_count

register = template.Library()


@register.inclusion_tag("notifications/admin/bell.html", takes_context=True)
def notification_bell(context) -> dict:
    """One COUNT query, only for people who may enter the admin (staff and manufacturers)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user_can_enter_backoffice(user=user):
        return {"show": False}
    return {
        "show": True,
        "unread_count": notification_unread_count(user=user),
        "url": reverse("admin:notifications_notification_changelist") + "?recipient=me",
    }
