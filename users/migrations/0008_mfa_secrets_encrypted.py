"""Encrypt the two-factor secrets stored before encryption at rest (users.mfa_secrets): each
TOTP key and recovery-code seed becomes a ``fernet:`` token under the current key.

Reversible: going back decrypts them to the plain values allauth's default adapter reads
(with the same MFA_ENCRYPTION_KEY / SECRET_KEY as going forward)."""

from django.db import migrations


def encrypt_all(apps, schema_editor):
    from users.mfa_secrets import secret_encrypt, secret_is_encrypted, secrets_reencrypt

    def encrypt(value: str) -> str:
        return value if secret_is_encrypted(value) else secret_encrypt(value)

    secrets_reencrypt(apps.get_model("mfa", "Authenticator").objects.all(), change=encrypt)


def decrypt_all(apps, schema_editor):
    from users.mfa_secrets import secret_decrypt, secrets_reencrypt

    secrets_reencrypt(apps.get_model("mfa", "Authenticator").objects.all(), change=secret_decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0007_account_token_second_factor"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_all, decrypt_all, elidable=False)]
