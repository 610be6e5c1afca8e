"""Demo shipping methods, and a default address for each demo customer. Idempotent."""

from decimal import Decimal

from shopping.models import ShippingAddress, ShippingMethod
from shopping.services import shipping_address_create
from users.selectors import user_get_by_email

METHODS = [
    ("Standard delivery", Decimal("1500.00"), 5),
    ("Express delivery", Decimal("3500.00"), 2),
]
ADDRESSES = {
    "ama@example.com": ("Ama Mensah", "+233201234567", "12 Oxford Street", "Accra", "GH"),
    "kofi@example.com": ("Kofi Boateng", "+233241234567", "4 Ring Road", "Kumasi", "GH"),
    "esi@example.com": ("Esi Quaye", "+233261234567", "7 Liberation Road", "Takoradi", "GH"),
    "yaw@example.com": ("Yaw Mensah", "+233271234567", "21 Independence Ave", "Accra", "GH"),
    "akosua@example.com": ("Akosua Addo", "+233501234567", "3 Harbour Road", "Tema", "GH"),
    "kwame@example.com": ("Kwame Osei", "+233551234567", "10 Bank Lane", "Tamale", "GH"),
}


def seed(stdout=None) -> None:
    for name, cost, days in METHODS:
        ShippingMethod.objects.get_or_create(
            name=name, defaults={"cost": cost, "estimated_days": days}
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
