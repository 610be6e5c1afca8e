"""TOTP keys and recovery-code seeds encrypted at rest: allauth's MFA adapter
(``MFA_ADAPTER``) passes every secret it stores through ``encrypt`` and every one it reads
through ``decrypt``; this adapter makes them Fernet tokens (AES-128-CBC with HMAC-SHA256).

The key: ``MFA_ENCRYPTION_KEY``, one or more Fernet keys separated by commas (make one with
``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``).
The first encrypts; every key listed decrypts, so a key is rotated by putting the new one
first and keeping the old one after it until the secrets are re-encrypted
(``secrets_reencrypt``, also run by ``manage.py mfa_reencrypt``). Without the setting the key is
derived from ``SECRET_KEY`` (HKDF-SHA256); that derived key always decrypts too, so setting
``MFA_ENCRYPTION_KEY`` later loses nothing. Changing ``SECRET_KEY`` without an explicit key
makes every stored secret unreadable: users would have to set up TOTP again.

A stored value is ``fernet:<token>``. A value without the prefix is a secret written before
encryption (the migration ``users.0008`` encrypts those); it is read as it is.
"""

import base64
from functools import lru_cache

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "fernet:"
HKDF_INFO = b"martaf: two-factor secrets at rest"


def key_from_secret_key(secret_key: str) -> bytes:
    """The Fernet key derived from ``SECRET_KEY`` (used when ``MFA_ENCRYPTION_KEY`` is empty)."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        secret_key.encode("utf-8")
    )
    return base64.urlsafe_b64encode(derived)


@lru_cache(maxsize=8)
def _fernet(configured: str, secret_key: str) -> MultiFernet:
    keys = [key.strip() for key in configured.split(",") if key.strip()]
    fernets = []
    for key in keys:
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                "MFA_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), "
                "separated by commas."
            ) from None
    fernets.append(Fernet(key_from_secret_key(secret_key)))
    return MultiFernet(fernets)


def fernet() -> MultiFernet:
    return _fernet(settings.MFA_ENCRYPTION_KEY or "", settings.SECRET_KEY)


def secret_encrypt(text: str) -> str:
    return PREFIX + fernet().encrypt(text.encode("utf-8")).decode("ascii")


def secret_is_encrypted(stored: str) -> bool:
    return isinstance(stored, str) and stored.startswith(PREFIX)


def secret_decrypt(stored: str) -> str:
    if not secret_is_encrypted(stored):
        return stored  # written before encryption at rest
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored two-factor secret cannot be decrypted: MFA_ENCRYPTION_KEY (or SECRET_KEY, "
            "without it) is not the key it was encrypted with."
        ) from None


def secret_reencrypt(stored: str) -> str:
    """``stored`` encrypted with the current first key (plaintext ones too)."""
    if not secret_is_encrypted(stored):
        return secret_encrypt(stored)
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode("ascii")).decode("ascii")


def authenticator_data_map(data: dict, kind: str, change) -> dict:
    """``data`` of an allauth ``Authenticator`` with each secret passed through ``change``: the
    TOTP key, the recovery codes' seed, and codes migrated from another app."""
    data = dict(data or {})
    if kind == "totp" and isinstance(data.get("secret"), str):
        data["secret"] = change(data["secret"])
    if kind == "recovery_codes":
        if isinstance(data.get("seed"), str):
            data["seed"] = change(data["seed"])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
    return data


def secrets_reencrypt(authenticators, *, change=secret_reencrypt) -> int:
    """Pass every secret of ``authenticators`` (a queryset of allauth's ``Authenticator``, or
    the migration's historical model) through ``change``; how many rows changed."""
    changed = 0
    for row in authenticators.iterator():
        data = authenticator_data_map(row.data, row.type, change)
        if data != row.data:
            row.data = data
            row.save(update_fields=["data"])
            changed += 1
    return changed


class EncryptingMFAAdapter(DefaultMFAAdapter):
    """allauth's MFA adapter with secrets encrypted at rest (``MFA_ADAPTER``)."""

    def encrypt(self, text: str) -> str:
        return secret_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return secret_decrypt(encrypted_text)
