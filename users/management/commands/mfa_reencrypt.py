"""``manage.py mfa_reencrypt``: re-encrypt every stored two-factor secret with the first key of
``MFA_ENCRYPTION_KEY`` (after a rotation: put the new key first, keep the old one after it,
run this, then drop the old key). See ``users.mfa_secrets``."""

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from users.mfa_secrets import secrets_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt the stored TOTP keys and recovery-code seeds with the current key."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            changed = secrets_reencrypt(Authenticator.objects.select_for_update())
        self.stdout.write(f"{changed} two-factor record(s) re-encrypted.")
