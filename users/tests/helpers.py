"""Plain helpers of the users tests (the backoffice's onboarding tests use them too)."""

from users.models import User


def set_status(user: User, status: str, reason: str = "") -> User:
    """Put a manufacturer in an onboarding status directly (past the decision rules)."""
    User.objects.filter(pk=user.pk).update(
        manufacturer_status=status, manufacturer_status_reason=reason
    )
    user.refresh_from_db()
    return user
