"""A newly approved manufacturer's first steps, as a checklist on their dashboard: a complete
profile, bank details for payouts, a first product, a first catalogue import done. Each item
links to where it is done and ticks once it is; the card is gone when all four are.

The state is read in one query (the user's row with the profile joined and three EXISTS
subqueries), whatever the size of the catalogue. Nothing is stored: an item ticks because the
thing exists, so it can also untick (a deleted product, a cleared phone number).
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from catalog.models import Product
from core.roles import BackofficeAccess, backoffice_access
from imports.models import ImportStatus, ProductImport
from money.models import BankAccount
from users.models import User


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    hint: str
    href: str
    action: str
    done: bool


def _state(user: User) -> dict:
    mine = {"manufacturer": OuterRef("pk")}
    return (
        User.objects.filter(pk=user.pk)
        .annotate(
            has_bank=Exists(BankAccount.objects.filter(**mine, is_current=True)),
            has_product=Exists(Product.objects.filter(**mine)),
            has_import=Exists(ProductImport.objects.filter(**mine, status=ImportStatus.COMPLETED)),
        )
        .values(
            "email",
            "first_name",
            "last_name",
            "phone",
            "manufacturer_profile__display_name",
            "manufacturer_profile__profile_picture",
            "has_bank",
            "has_product",
            "has_import",
        )
        .get()
    )


def _profile_missing(state: dict) -> list[str]:
    company = (state["manufacturer_profile__display_name"] or "").strip()
    missing = []
    if not company or company.lower() == state["email"]:
        missing.append(_("company name"))
    if not (state["first_name"] or state["last_name"]):
        missing.append(_("contact name"))
    if not state["phone"]:
        missing.append(_("phone number"))
    if not state["manufacturer_profile__profile_picture"]:
        missing.append(_("logo or picture"))
    return missing


def setup_checklist(user: User) -> list[ChecklistItem]:
    """The four items for an approved manufacturer (staff and anyone else: none)."""
    if user.is_staff or not user.is_manufacturer:
        return []
    if backoffice_access(user) != BackofficeAccess.FULL:
        return []
    state = _state(user)
    missing = _profile_missing(state)
    return [
        ChecklistItem(
            "profile",
            _("Complete your profile"),
            _("Missing: %(fields)s.") % {"fields": ", ".join(missing)}
            if missing
            else _("Company name, contact, phone and picture given."),
            reverse("admin:onboarding_profile"),
            _("Edit profile"),
            not missing,
        ),
        ChecklistItem(
            "bank",
            _("Give your bank details"),
            _("Where your payouts are sent."),
            reverse("admin:money_bankaccount_bank_details"),
            _("Add bank details"),
            state["has_bank"],
        ),
        ChecklistItem(
            "product",
            _("Add your first product"),
            _("Staff approve it before it goes on sale."),
            reverse("admin:catalog_product_add"),
            _("Add a product"),
            state["has_product"],
        ),
        ChecklistItem(
            "import",
            _("Import your catalogue"),
            _("Many products at once, from a CSV or Excel file."),
            reverse("admin:imports_productimport_add"),
            _("Start an import"),
            state["has_import"],
        ),
    ]


def checklist_context(user: User) -> dict:
    """The dashboard's part: the items while any is open, else nothing (the card is gone)."""
    items = setup_checklist(user)
    if not items or all(item.done for item in items):
        return {"setup_checklist": None}
    return {
        "setup_checklist": {
            "items": items,
            "done": sum(item.done for item in items),
            "total": len(items),
        }
    }
