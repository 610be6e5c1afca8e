"""The Nigerian banks a manufacturer can be paid into: Paystack's bank list (``GET /bank``:
name, code, slug), kept as data in ``money/banks.json`` so the form works without a key and
without a call. Paystack's transfers name a bank by its ``code``."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BANKS_FILE = Path(__file__).with_name("banks.json")


@dataclass(frozen=True)
class Bank:
    name: str
    code: str
    slug: str


@cache
def banks() -> tuple[Bank, ...]:
    rows = json.loads(BANKS_FILE.read_text(encoding="utf-8"))
    return tuple(
        sorted((Bank(row["name"], row["code"], row["slug"]) for row in rows),
               key=lambda bank: bank.name.casefold())
    )


def bank_by_code(code: str) -> Bank | None:
    return next((bank for bank in banks() if bank.code == code), None)


def bank_choices() -> list[tuple[str, str]]:
    return [(bank.code, bank.name) for bank in banks()]
