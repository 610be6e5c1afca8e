"""The admin index ("dashboard"): what each role sees first after signing in."""

from datetime import timedelta

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.models import Failure, OrmQ

from backoffice.admin_navigation import sidebar_navigation
from users.models import User


def _staff_cards() -> list[dict]:
    week_ago = timezone.now() - timedelta(days=7)
    users = User.objects.aggregate(
        customers=Count("pk", filter=Q(is_customer=True)),
        manufacturers=Count("pk", filter=Q(is_manufacturer=True)),
        staff=Count("pk", filter=Q(is_staff=True)),
        new_this_week=Count("pk", filter=Q(date_joined__gte=week_ago)),
    )
    return [
        {"title": _("Customers"), "value": users["customers"], "icon": "person"},
        {"title": _("Manufacturers"), "value": users["manufacturers"], "icon": "factory"},
        {"title": _("New users this week"), "value": users["new_this_week"], "icon": "group_add"},
        {
            "title": _("Failed tasks (7 days)"),
            "value": Failure.objects.filter(stopped__gte=week_ago).count(),
            "icon": "error",
        },
        {"title": _("Queued tasks"), "value": OrmQ.objects.count(), "icon": "schedule_send"},
    ]


def _manufacturer_cards(user: User) -> list[dict]:
    profile = getattr(user, "manufacturer_profile", None)
    return [
        {
            "title": _("Company"),
            "value": profile.display_name if profile else user.email,
            "icon": "factory",
        },
    ]


def dashboard_callback(request: HttpRequest, context: dict) -> dict:
    user = request.user
    cards = _staff_cards() if user.is_staff else _manufacturer_cards(user)
    shortcuts = [
        item
        for group in sidebar_navigation(request)
        for item in group["items"]
        if item["link"] != request.path
    ]
    profile = getattr(user, "manufacturer_profile", None) if user.is_manufacturer else None
    context.update(
        {
            "dashboard_greeting": user.first_name
            or (profile.display_name if profile else user.email),
            "dashboard_role": _("staff") if user.is_staff else _("manufacturer"),
            "dashboard_cards": cards,
            "dashboard_shortcuts": shortcuts,
        }
    )
    return context
