"""``manage.py demo_code``: the demo staff's current sign-in code (their second factor), for
someone trying the demo without an authenticator app. Only for an account whose key is the
demo's published one (``users.demo.DEMO_TOTP_SECRET``): it can never show a real user's code."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from users.demo import DEMO_TOTP_SECRET, DEMO_USERS
from users.selectors import user_get_by_email


class Command(BaseCommand):
    help = "Print the demo staff's current two-factor sign-in code."

    def add_arguments(self, parser):
        staff = next(demo.email for demo in DEMO_USERS if demo.is_staff)
        parser.add_argument("email", nargs="?", default=staff)

    def handle(self, *args, email: str, **options) -> None:
        user = user_get_by_email(email=email)
        device = (
            Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()
            if user
            else None
        )
        if device is None or decrypt(device.data["secret"]) != DEMO_TOTP_SECRET:
            raise CommandError(f"{email} is not a demo account with the demo's key.")
        period = getattr(settings, "MFA_TOTP_PERIOD", 30)
        now = int(time.time())
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // period))
        self.stdout.write(f"{code}  (valid for {period - now % period} s more)")
