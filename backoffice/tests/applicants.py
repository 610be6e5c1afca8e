"""A manufacturer application as staff find it on the review page: signed up by themselves
(pending), with a phone, a display name and bank details. Shared by the review page's tests
and its browser walk."""

from conftest import PASSWORD
from money.services.bank_accounts import bank_account_change
from users.models import User
from users.services import user_register


def applicant_signed_up(email: str = "adinkra@martaf.test") -> User:
    user = user_register(
        email=email,
        password=PASSWORD,
        is_manufacturer=True,
        first_name="Ama",
        last_name="Mensah",
        phone="+233201234567",
    )
    user.manufacturer_profile.display_name = "Adinkra Prints"
    user.manufacturer_profile.save()
    bank_account_change(
        manufacturer=user, bank_code="058", account_number="0123456789", password=None, actor=user
    )
    return user
