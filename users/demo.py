"""Demo sign-ins (listed in the README). Existing accounts are left as they are."""

from dataclasses import dataclass

from users.models import User
from users.selectors import user_get_by_email
from users.services import user_create, user_sync_roles


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    first_name: str
    last_name: str
    is_staff: bool = False
    is_manufacturer: bool = False
    is_customer: bool = False
    company_name: str = ""
    phone: str | None = None
    self_service: bool = False  # signed themselves up: a manufacturer then waits for review


DEMO_USERS = [
    DemoUser("admin@martaf.com", "martaf-staff", "Abena", "Mensah", is_staff=True),
    DemoUser(
        "kente@martaf.com",
        "martaf-maker",
        "Kwesi",
        "Boateng",
        is_manufacturer=True,
        company_name="Kente Crafts Ltd",
        phone="+233201000001",
    ),
    DemoUser(
        "volta@martaf.com",
        "martaf-maker",
        "Efua",
        "Owusu",
        is_manufacturer=True,
        company_name="Volta Electronics",
        phone="+233201000002",
    ),
    DemoUser(
        "ama@example.com", "martaf-buyer", "Ama", "Darko", is_customer=True, phone="+233201000003"
    ),
    DemoUser("kofi@example.com", "martaf-buyer", "Kofi", "Asante", is_customer=True),
    # More buyers, so the demo's 90 days of sales come from a few people, not two.
    DemoUser("esi@example.com", "martaf-buyer", "Esi", "Quaye", is_customer=True),
    DemoUser("yaw@example.com", "martaf-buyer", "Yaw", "Mensah", is_customer=True),
    DemoUser("akosua@example.com", "martaf-buyer", "Akosua", "Addo", is_customer=True),
    DemoUser("kwame@example.com", "martaf-buyer", "Kwame", "Osei", is_customer=True),
    # A manufacturer who registered on the storefront and waits for staff (People → Users).
    DemoUser(
        "adinkra@martaf.com",
        "martaf-maker",
        "Yaa",
        "Amponsah",
        is_manufacturer=True,
        company_name="Adinkra Prints",
        self_service=True,
    ),
]


#: The demo staff's authenticator key (base32), published in the README like their password:
#: staff sign in with a TOTP code, and ``manage.py demo_code`` shows the current one. A demo
#: secret on a demo account; ``demo_code`` refuses any account whose key is not this one.
DEMO_TOTP_SECRET = "MARTAFDEMOSTAFF2"


def _demo_second_factor(user: User) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    from users.mfa import totp_enabled

    if user.is_staff and not totp_enabled(user):
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)


def seed(stdout=None) -> list[User]:
    users = []
    for demo in DEMO_USERS:
        user = user_get_by_email(email=demo.email)
        if user is None:
            user = user_create(
                email=demo.email,
                password=demo.password,
                first_name=demo.first_name,
                last_name=demo.last_name,
                is_staff=demo.is_staff,
                is_superuser=demo.is_staff,
                is_manufacturer=demo.is_manufacturer,
                is_customer=demo.is_customer,
                company_name=demo.company_name,
                phone=demo.phone,
                self_service=demo.self_service,
            )
            if stdout:
                stdout.write(f"  created {user.email} ({', '.join(user.roles)})")
        else:
            user_sync_roles(user=user, company_name=demo.company_name)
        _demo_second_factor(user)
        users.append(user)
    return users


def demo_sign_ins() -> list[tuple[str, DemoUser]]:
    """One demo sign-in per role (staff, manufacturer, buyer), for the server's banner: those
    whose account exists (the demo data is loaded), in one query."""
    picks = [
        ("staff", next(d for d in DEMO_USERS if d.is_staff)),
        ("manufacturer", next(d for d in DEMO_USERS if d.is_manufacturer and not d.self_service)),
        ("buyer", next(d for d in DEMO_USERS if d.is_customer)),
    ]
    present = set(
        User.objects.filter(email__in=[demo.email for _, demo in picks]).values_list(
            "email", flat=True
        )
    )
    return [(role, demo) for role, demo in picks if demo.email in present]
