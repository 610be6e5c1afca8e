"""Reads about users and roles."""

from django.contrib.auth.models import Group

from core.permissions import MANUFACTURERS_GROUP_NAME
from users.models import CustomerProfile, ManufacturerProfile, User


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__lower=User.objects.normalize_email(email)).first()


def manufacturers_group() -> Group:
    """The group whose permissions every manufacturer holds (made by a data migration)."""
    group, _ = Group.objects.get_or_create(name=MANUFACTURERS_GROUP_NAME)
    return group


def user_get_active_by_email(*, email: str) -> User | None:
    return User.objects.filter(
        email__lower=User.objects.normalize_email(email), is_active=True
    ).first()


def user_get_active_by_phone(*, phone: str) -> User | None:
    """The active user whose (unique, E.164) ``phone`` this is; ``phone2`` is not a login key."""
    return User.objects.filter(phone=phone, is_active=True).first()


def user_role_profile(*, user: User) -> CustomerProfile | ManufacturerProfile | None:
    """The profile that speaks for the user: the manufacturer's when it is one (also when it is a
    customer too, as the seed says), else the customer's, else none (staff without a role)."""
    if user.is_manufacturer:
        try:
            return user.manufacturer_profile
        except ManufacturerProfile.DoesNotExist:
            pass
    if user.is_customer:
        try:
            return user.customer_profile
        except CustomerProfile.DoesNotExist:
            pass
    return None


def user_customer_profile(*, user: User) -> CustomerProfile | None:
    if not user.is_customer:
        return None
    try:
        return user.customer_profile
    except CustomerProfile.DoesNotExist:
        return None
