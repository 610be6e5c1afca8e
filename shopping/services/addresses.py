"""Shipping addresses: create one; a user with addresses has exactly one default."""

from django.db import transaction

from shopping.models import ShippingAddress
from users.models import User


@transaction.atomic
def shipping_address_create(
    *,
    user: User,
    full_name: str,
    phone: str,
    address: str,
    city: str,
    state: str = "",
    country: str = "NG",
    postal_code: str = "",
    is_default: bool = False,
) -> ShippingAddress:
    """Save a new address. It becomes the default when asked, or when it is the user's first;
    the previous default then stops being one (the user's row is locked so two first addresses
    saved at once cannot both become the default)."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
    addresses = ShippingAddress.objects.filter(user=user)
    make_default = is_default or not addresses.exists()
    if make_default:
        addresses.filter(is_default=True).update(is_default=False)
    return ShippingAddress.objects.create(
        user=user,
        full_name=full_name,
        phone=phone,
        address=address,
        city=city,
        state=state,
        country=country.upper(),
        postal_code=postal_code,
        is_default=make_default,
    )
