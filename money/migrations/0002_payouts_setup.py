"""Payouts' ground:

- manufacturers may read their payouts and bank accounts in the admin (the scoping selectors
  show them only their own);
- the sweep that retries Paystack transfers never made (every five minutes in the django-q2
  cluster);
- the bank details manufacturers typed at onboarding (free-form ``bank_details`` on their
  profile) become their current bank account where the bank is one of Paystack's and the
  account number a NUBAN; the rest they enter again in the bank details form.
"""

import json
import re
from pathlib import Path

from django.db import migrations

from core.permissions import grant_to_manufacturers, revoke_from_manufacturers

CODENAMES = ["view_payout", "view_bankaccount"]
SWEEP_NAME = "Retry payouts never sent"
SWEEP_FUNC = "money.tasks.payouts_send_due_task"
BANKS_FILE = Path(__file__).resolve().parent.parent / "banks.json"


def grant(apps, schema_editor):
    grant_to_manufacturers(apps, "money", CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_manufacturers(apps, "money", CODENAMES)


def create_sweep(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        func=SWEEP_FUNC,
        defaults={"name": SWEEP_NAME, "schedule_type": "I", "minutes": 5, "repeats": -1},
    )


def delete_sweep(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(func=SWEEP_FUNC).delete()


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text or "").casefold())


def _bank_named(banks: list[dict], name: str) -> dict | None:
    """A bank of the list by its name, slug or code, as people type them ("GTBank" is not
    found: it is left for the manufacturer to choose)."""
    wanted = _key(name)
    if not wanted:
        return None
    for bank in banks:
        if wanted in (_key(bank["name"]), _key(bank["slug"]), _key(bank["code"])):
            return bank
    return None


def bank_details_to_accounts(apps, schema_editor):
    ManufacturerProfile = apps.get_model("users", "ManufacturerProfile")
    BankAccount = apps.get_model("money", "BankAccount")
    banks = json.loads(BANKS_FILE.read_text(encoding="utf-8"))
    having = set(BankAccount.objects.values_list("manufacturer_id", flat=True))
    for profile in ManufacturerProfile.objects.exclude(bank_details={}).iterator():
        details = profile.bank_details if isinstance(profile.bank_details, dict) else {}
        number = "".join(str(details.get("account_number") or "").split())
        bank = _bank_named(banks, details.get("bank_name"))
        if profile.user_id in having or bank is None or not re.fullmatch(r"\d{10}", number):
            continue
        BankAccount.objects.create(
            manufacturer_id=profile.user_id,
            bank_code=bank["code"],
            bank_name=bank["name"],
            account_number=number,
            account_name=str(details.get("account_name") or "")[:200],
            is_current=True,
            created_by_id=profile.user_id,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("money", "0001_ledger_payouts_refunds"),
        ("users", "0005_manufacturer_status"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
        migrations.RunPython(create_sweep, delete_sweep),
        migrations.RunPython(bank_details_to_accounts, migrations.RunPython.noop),
    ]
