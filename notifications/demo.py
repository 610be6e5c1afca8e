"""The notifications' part of ``manage.py seed_demo``, run last.

Making the demo's history (orders placed, stock running low, reviews written) notified everyone
as it went, so a newcomer would open the backoffice to dozens of unread notifications. Each user
keeps their newest few unread and the rest are marked read, as if they had been using the
backoffice all along.
"""

from django.db.models import Count
from django.utils import timezone

from notifications.models import Notification

UNREAD_KEPT = 5


def seed(stdout=None) -> None:
    crowded = (
        Notification.objects.filter(is_read=False)
        .values("user_id")
        .annotate(unread=Count("pk"))
        .filter(unread__gt=UNREAD_KEPT)
    )
    marked = 0
    now = timezone.now()
    for row in crowded:
        older = Notification.objects.filter(user_id=row["user_id"], is_read=False).order_by(
            "-created_at", "-pk"
        )[UNREAD_KEPT:]
        marked += Notification.objects.filter(pk__in=list(older.values_list("pk", flat=True))).update(
            is_read=True, read_at=now
        )
    if stdout is not None and marked:
        stdout.write(f"  {marked} older notifications marked read ({UNREAD_KEPT} kept unread each)")
