"""Reads about users and roles."""

from django.contrib.auth.models import AnonymousUser, Group

from users.models import User
from users.permissions_setup import MANUFACTURERS_GROUP_NAME


def user_can_enter_backoffice(*, user: User | AnonymousUser) -> bool:
    """Staff and manufacturers may sign in to the admin; customers may not."""
    return bool(
        user.is_authenticated and user.is_active and (user.is_staff or user.is_manufacturer)
    )


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__lower=User.objects.normalize_email(email)).first()


def manufacturers_group() -> Group:
    """The group whose permissions every manufacturer holds (made by a data migration)."""
    group, _ = Group.objects.get_or_create(name=MANUFACTURERS_GROUP_NAME)
    return group
