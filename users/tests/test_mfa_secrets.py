"""Two-factor secrets are encrypted at rest (users.mfa_secrets): the stored TOTP key and
recovery-code seed are Fernet tokens, not the secrets, and codes still verify; the migration
encrypts secrets stored before (and decrypts them going back); keys rotate."""

import importlib
import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import generate_totp_secret
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from users.mfa import code_check
from users.mfa_secrets import PREFIX, key_from_secret_key, secret_decrypt, secret_encrypt
from users.tests.mfa_helpers import recovery_codes, totp_code, totp_give

pytestmark = pytest.mark.django_db

migration = importlib.import_module("users.migrations.0008_mfa_secrets_encrypted")


def stored(user, kind):
    return Authenticator.objects.get(user_id=user.pk, type=kind).data


def test_the_stored_totp_key_is_not_the_key_yet_codes_verify(manufacturer_a):
    secret = totp_give(manufacturer_a)

    data = stored(manufacturer_a, Authenticator.Type.TOTP)

    assert data["secret"].startswith(PREFIX)
    assert secret not in data["secret"]
    assert secret_decrypt(data["secret"]) == secret
    assert code_check(user=manufacturer_a, code=totp_code(manufacturer_a))
    assert not code_check(user=manufacturer_a, code="000000")


def test_the_recovery_codes_seed_is_encrypted_and_the_codes_work(manufacturer_a):
    totp_give(manufacturer_a)
    seed = stored(manufacturer_a, Authenticator.Type.RECOVERY_CODES)["seed"]
    codes = recovery_codes(manufacturer_a)

    assert seed.startswith(PREFIX)
    assert len(codes) == 10
    assert code_check(user=manufacturer_a, code=codes[3])
    assert codes[3] not in recovery_codes(manufacturer_a)  # spent


def test_the_migration_encrypts_plain_secrets_and_going_back_decrypts_them(manufacturer_a):
    secret = generate_totp_secret()
    seed = RecoveryCodes.generate_seed()
    Authenticator.objects.create(
        user=manufacturer_a, type=Authenticator.Type.TOTP, data={"secret": secret}
    )
    Authenticator.objects.create(
        user=manufacturer_a,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": seed, "used_mask": 0},
    )
    plain_code = totp_code(manufacturer_a)  # readable before, as a plaintext row

    migration.encrypt_all(apps, None)
    once = stored(manufacturer_a, Authenticator.Type.TOTP)["secret"]
    migration.encrypt_all(apps, None)  # a second run leaves encrypted rows alone

    assert once.startswith(PREFIX) and secret not in once
    assert stored(manufacturer_a, Authenticator.Type.TOTP)["secret"] == once
    assert stored(manufacturer_a, Authenticator.Type.RECOVERY_CODES)["seed"].startswith(PREFIX)
    assert code_check(user=manufacturer_a, code=plain_code)  # the same key, now encrypted

    migration.decrypt_all(apps, None)

    assert stored(manufacturer_a, Authenticator.Type.TOTP)["secret"] == secret
    assert stored(manufacturer_a, Authenticator.Type.RECOVERY_CODES)["seed"] == seed


def test_a_new_key_reads_old_secrets_and_mfa_reencrypt_moves_them_to_it(manufacturer_a, settings):
    secret = totp_give(manufacturer_a)
    derived = stored(manufacturer_a, Authenticator.Type.TOTP)["secret"]
    new_key = Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEY = new_key

    assert secret_decrypt(derived) == secret  # the SECRET_KEY-derived key still reads
    out = io.StringIO()
    call_command("mfa_reencrypt", stdout=out)
    assert out.getvalue().startswith("2 two-factor record(s)")
    moved = stored(manufacturer_a, Authenticator.Type.TOTP)["secret"]
    assert Fernet(new_key).decrypt(moved[len(PREFIX) :].encode()).decode() == secret

    settings.SECRET_KEY = "another-secret-key-" + "x" * 40  # the explicit key does not depend on it
    assert code_check(user=manufacturer_a, code=totp_code(manufacturer_a))


def test_the_wrong_key_is_a_clear_configuration_error(manufacturer_a, settings):
    totp_give(manufacturer_a)
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40

    with pytest.raises(ImproperlyConfigured, match="MFA_ENCRYPTION_KEY"):
        code_check(user=manufacturer_a, code="123456")


def test_a_malformed_key_setting_is_refused(settings):
    settings.MFA_ENCRYPTION_KEY = "not-a-fernet-key"

    with pytest.raises(ImproperlyConfigured, match="Fernet keys"):
        secret_encrypt("ABC")


def test_the_derived_key_is_stable_and_depends_on_the_secret_key():
    assert key_from_secret_key("a") == key_from_secret_key("a")
    assert key_from_secret_key("a") != key_from_secret_key("b")
    Fernet(key_from_secret_key("a"))  # a valid Fernet key
