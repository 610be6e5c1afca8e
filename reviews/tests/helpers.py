"""What the review tests read back: a review's moderation history and the manufacturer's
new-review alerts."""

from notifications.models import Notification
from reviews.models import ReviewModeration

LINK_HOLD = "Held for moderation: the comment contains a link."


def new_review_alerts(user) -> int:
    return Notification.objects.filter(user=user, event="new_review").count()


def history(review) -> list[tuple]:
    return list(
        ReviewModeration.objects.filter(review=review)
        .order_by("id")
        .values_list("from_status", "to_status", "actor", "reason")
    )
