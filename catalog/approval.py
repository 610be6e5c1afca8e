"""The approval rules of a product, one home each.

Every channel that creates or edits products (the admin, the manufacturer API, the import) asks
these functions instead of deciding itself:

- who owns a new product (``product_owner_for_new``) and the status it starts in
  (``approval_status_for_new``): staff's products are approved at once in every channel; a
  manufacturer's product waits for approval (pending) when it comes through the API or an import,
  and starts as a draft in the admin, where the manufacturer submits it explicitly;
- whether an edit sends an approved product back to approval (``approval_needs_reapproval``);
- the status moves, declared once (``APPROVAL_MOVES``), single (``approval_transition``: a
  conditional update plus an audit row) and bulk (``approval_record_many`` for the import's
  bulk SQL, ``products_moderate``);
- telling staff about submissions (``approval_notify_staff``: one notification for one product,
  one summary for many).
"""

from collections.abc import Iterable
from enum import StrEnum

from django.conf import settings
from django.db import transaction

from catalog.errors import CatalogError, CatalogErrorCode
from catalog.models import ApprovalStatus, Product, ProductStatusChange
from catalog.version import catalogue_changed
from core.bulk_insert import rows_insert
from core.roles import BackofficeRole, backoffice_role
from core.transitions import StatusMoves
from notifications.selectors import staff_recipients
from notifications.services import notify
from users.models import User

#: Edits of these send an approved product back to approval (with CATALOG_REAPPROVE_ON_EDIT).
#: "images" stands for adding or removing a picture.
REAPPROVAL_FIELDS = frozenset({"name", "description", "price", "discount_percent", "images"})


class ProductChannel(StrEnum):
    """Where a product write comes from."""

    ADMIN = "admin"
    API = "api"
    IMPORT = "import"


def approval_status_for_new(*, actor: User, channel: ProductChannel) -> ApprovalStatus:
    """The status a new product starts in: approved for staff everywhere; for a manufacturer
    pending via the API and the import, a draft in the admin (which has "Submit for approval")."""
    if backoffice_role(actor) == BackofficeRole.STAFF:
        return ApprovalStatus.APPROVED
    if channel == ProductChannel.ADMIN:
        return ApprovalStatus.DRAFT
    return ApprovalStatus.PENDING


def product_owner_for_new(*, actor: User, manufacturer: User | None = None) -> User:
    """The manufacturer owning a new product: a manufacturer owns what they create; staff name
    the manufacturer. Anyone else, or staff naming nobody or a non-manufacturer, is refused."""
    if actor.is_staff:
        manufacturer_require(manufacturer or actor)
        return manufacturer
    manufacturer_require(actor)
    return actor


def manufacturer_require(user: User | None) -> None:
    """Only a manufacturer may own products."""
    if user is None or not user.is_manufacturer:
        raise CatalogError(
            f"{user.email if user else 'Nobody'} is not a manufacturer.",
            code=CatalogErrorCode.NOT_A_MANUFACTURER,
            field="manufacturer",
        )


def approval_needs_reapproval(*, actor: User, status: str, changed_fields: Iterable[str]) -> bool:
    """Whether a manufacturer's edit of ``changed_fields`` sends an approved product back to
    approval (only with CATALOG_REAPPROVE_ON_EDIT; staff edits never do)."""
    return bool(
        settings.CATALOG_REAPPROVE_ON_EDIT
        and backoffice_role(actor) != BackofficeRole.STAFF
        and status == ApprovalStatus.APPROVED
        and REAPPROVAL_FIELDS & set(changed_fields)
    )


#: A product's approval moves: submitted (or sent back to approval by an edit), approved and
#: rejected by staff. Nothing moves a product back to a draft.
APPROVAL_MOVES = StatusMoves(
    "approval_status",
    {
        ApprovalStatus.DRAFT: {ApprovalStatus.PENDING, ApprovalStatus.APPROVED},
        ApprovalStatus.PENDING: {ApprovalStatus.APPROVED, ApprovalStatus.REJECTED},
        ApprovalStatus.APPROVED: {ApprovalStatus.PENDING, ApprovalStatus.REJECTED},
        ApprovalStatus.REJECTED: {ApprovalStatus.PENDING, ApprovalStatus.APPROVED},
    },
)


def approval_transition(
    *, product: Product, actor: User | None, to: ApprovalStatus, reason: str = ""
) -> Product:
    """Move ``product`` to status ``to`` if its current status allows it (a conditional update,
    so two moderators acting at once cannot both succeed) and record who did it."""
    catalogue_changed()
    current = product.approval_status
    rejection_reason = reason if to == ApprovalStatus.REJECTED else ""
    refused_from = APPROVAL_MOVES.move(
        Product, pk=product.pk, to=to, rejection_reason=rejection_reason
    )
    if refused_from is not None:
        raise CatalogError(
            f"“{product.name}” is {ApprovalStatus(refused_from).label.lower()} and cannot "
            f"become {ApprovalStatus(to).label.lower()}.",
            code=CatalogErrorCode.INVALID_TRANSITION,
        )
    ProductStatusChange.objects.create(
        product=product, from_status=current, to_status=to, actor=actor, reason=reason
    )
    product.approval_status = to
    product.rejection_reason = rejection_reason
    return product


def approval_record_many(
    *,
    product_ids: Iterable,
    from_status: ApprovalStatus,
    to_status: ApprovalStatus,
    actor: User | None,
    reason: str = "",
) -> int:
    """The audit rows of a bulk status write (the import sets the status in its own bulk SQL).
    Returns how many rows were written (``rows_insert``: 25k of them through ``bulk_create``
    took seconds of an import)."""
    actor_id = actor.pk if actor else None
    from_status, to_status = str(from_status), str(to_status)
    return rows_insert(
        ProductStatusChange,
        columns=["product_id", "from_status", "to_status", "actor_id", "reason"],
        rows=((pk, from_status, to_status, actor_id, reason) for pk in product_ids),
    )


def _manufacturer_name(user: User) -> str:
    profile = getattr(user, "manufacturer_profile", None)
    return profile.display_name if profile else user.email


def approval_notify_staff(*, products: list, manufacturer: User) -> None:
    """Tell staff that products wait for approval: one notification naming the product for one,
    one summary for many."""
    if not products:
        return
    if len(products) == 1:
        product_name = products[0].name
        link = f"/admin/catalog/pendingproduct/{products[0].pk}/change/"
    else:
        product_name = f"{len(products)} products"
        link = "/admin/catalog/pendingproduct/"
    notify(
        event="product_submitted",
        recipients=list(staff_recipients()),
        context={
            "product_name": product_name,
            "manufacturer_name": _manufacturer_name(manufacturer),
        },
        link=link,
    )


def _require_staff(actor: User) -> None:
    if backoffice_role(actor) != BackofficeRole.STAFF:
        raise CatalogError(
            "Only staff can approve or reject products.", code=CatalogErrorCode.STAFF_ONLY
        )


@transaction.atomic
def product_submit(*, product: Product, actor: User, reason: str = "") -> Product:
    """A manufacturer asks for approval; staff are told."""
    approval_transition(product=product, actor=actor, to=ApprovalStatus.PENDING, reason=reason)
    approval_notify_staff(products=[product], manufacturer=product.manufacturer)
    return product


@transaction.atomic
def product_approve(*, product: Product, actor: User) -> Product:
    _require_staff(actor)
    approval_transition(product=product, actor=actor, to=ApprovalStatus.APPROVED)
    notify(
        event="product_approved",
        recipients=[product.manufacturer],
        context={"product_name": product.name},
        link=f"/admin/catalog/product/{product.pk}/change/",
    )
    return product


@transaction.atomic
def product_reject(*, product: Product, actor: User, reason: str) -> Product:
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise CatalogError(
            "Say why the product is rejected: the manufacturer sees the reason.",
            code=CatalogErrorCode.REASON_REQUIRED,
            field="reason",
        )
    approval_transition(product=product, actor=actor, to=ApprovalStatus.REJECTED, reason=reason)
    notify(
        event="product_rejected",
        recipients=[product.manufacturer],
        context={"product_name": product.name, "reason": reason},
        link=f"/admin/catalog/product/{product.pk}/change/",
    )
    return product


def products_moderate(
    *, products, actor: User, approve: bool, reason: str = ""
) -> tuple[list[Product], list[tuple[Product, str]]]:
    """Approve or reject many products, each in its own transaction.

    Returns (done, skipped with the reason each was skipped).
    """
    done, skipped = [], []
    for product in products:
        try:
            if approve:
                product_approve(product=product, actor=actor)
            else:
                product_reject(product=product, actor=actor, reason=reason)
        except CatalogError as exc:
            skipped.append((product, exc.messages[0]))
        else:
            done.append(product)
    return done, skipped
