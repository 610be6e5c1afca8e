"""Demo shipping methods (the default "Standard delivery", free, as the storefront shows it, and
a paid express method a client must name), and a default address for each demo customer.
Idempotent."""

from decimal import Decimal

from shopping.models import ShippingAddress, ShippingMethod
from shopping.services import shipping_address_create, shipping_method_make_default
from users.selectors import user_get_by_email

STANDARD = ("Standard delivery", "Included in the price", 5)
EXPRESS = ("Express delivery", "Delivered in two days", Decimal("3500.00"), 2)
ADDRESSES = {
    "ama@example.com": ("Ama Mensah", "+233201234567", "12 Oxford Street", "Accra", "GH"),
    "kofi@example.com": ("Kofi Boateng", "+233241234567", "4 Ring Road", "Kumasi", "GH"),
    "esi@example.com": ("Esi Quaye", "+233261234567", "7 Liberation Road", "Takoradi", "GH"),
    "yaw@example.com": ("Yaw Mensah", "+233271234567", "21 Independence Ave", "Accra", "GH"),
    "akosua@example.com": ("Akosua Addo", "+233501234567", "3 Harbour Road", "Tema", "GH"),
    "kwame@example.com": ("Kwame Osei", "+233551234567", "10 Bank Lane", "Tamale", "GH"),
}


def seed(stdout=None) -> None:
    if not ShippingMethod.objects.filter(is_default=True).exists():
        name, description, days = STANDARD
        standard = ShippingMethod.objects.filter(name=name, cost=0).first() or ShippingMethod(
            name=name, description=description, cost=Decimal("0"), estimated_days=days
        )
        shipping_method_make_default(method=standard)
    name, description, cost, days = EXPRESS
    ShippingMethod.objects.get_or_create(
        name=name, defaults={"description": description, "cost": cost, "estimated_days": days}
    )
    for email, (full_name, phone, address, city, country) in ADDRESSES.items():
        user = user_get_by_email(email=email)
        if user is None or ShippingAddress.objects.filter(user=user).exists():
            continue
        shipping_address_create(
            user=user, full_name=full_name, phone=phone, address=address, city=city,
            country=country, is_default=True,
        )
    if stdout is not None:
        stdout.write(f"  {ShippingMethod.objects.count()} shipping methods")
