"""Shipping methods staff offer: at most one is the default (free and active), the method a
checkout uses when the buyer names none. Marking a method default unmarks the previous one in
the same transaction; a partial unique constraint is the backstop."""

from django.db import transaction

from shopping.models import ShippingMethod


@transaction.atomic
def shipping_method_save(*, method: ShippingMethod) -> ShippingMethod:
    """Save a method (new or edited, already validated); if it is marked default, the previous
    default stops being one."""
    if method.is_default:
        ShippingMethod.objects.filter(is_default=True).exclude(pk=method.pk).update(
            is_default=False
        )
    method.save()
    return method


@transaction.atomic
def shipping_method_make_default(*, method: ShippingMethod) -> ShippingMethod:
    """Make ``method`` the default. Raises ``ValidationError`` when it is paid or inactive."""
    method.is_default = True
    method.full_clean()
    return shipping_method_save(method=method)
