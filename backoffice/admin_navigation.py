"""The admin sidebar, built per request from what the signed-in user may open.

Each entry names a model (or a URL); a model entry is shown only when that model is registered
and its ModelAdmin lets this user view it, so a manufacturer never sees a link to a staff-only
page and the sidebar can never disagree with the permissions behind it.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from backoffice.reports.views import REPORTS


@dataclass(frozen=True)
class NavEntry:
    title: str
    icon: str
    model: str = ""  # "app_label.ModelName"
    url_name: str = ""  # for pages that are not a model changelist
    staff_only: bool = False
    permission: str = ""  # "app_label.codename" the user must hold (pages without a model)


# One entry per report page, in the order of the report registry.
REPORT_ENTRIES = [
    NavEntry(
        report.nav_title or report.title,
        report.icon,
        url_name=f"admin:{report.url_name}",
        permission=report.permission,
        staff_only=report.staff_only,
    )
    for report in REPORTS
]

@dataclass(frozen=True)
class NavGroup:
    title: str
    entries: list[NavEntry]
    superuser_only: bool = False
    collapsible: bool = False  # folded until one of its pages is open


SIDEBAR: list[NavGroup] = [
    NavGroup(
        _("Overview"),
        [
            NavEntry(_("Dashboard"), "dashboard", url_name="admin:index"),
            NavEntry(_("Two-factor sign-in"), "phonelink_lock", url_name="admin:mfa_setup"),
        ],
    ),
    NavGroup(
        _("Catalogue"),
        [
            NavEntry(_("Products"), "inventory_2", model="catalog.Product"),
            NavEntry(_("Pending approval"), "pending_actions", model="catalog.PendingProduct"),
            NavEntry(_("Reviews"), "reviews", model="reviews.Review"),
            NavEntry(_("Imports"), "upload_file", model="imports.ProductImport"),
            NavEntry(_("Categories"), "account_tree", model="catalog.Category"),
            NavEntry(_("Variations"), "style", model="catalog.Variation"),
            NavEntry(_("Stock movements"), "swap_vert", model="catalog.StockMovement"),
        ],
    ),
    NavGroup(
        _("Sales"),
        [
            NavEntry(_("Orders"), "shopping_bag", model="orders.Order"),
            NavEntry(_("Order lines"), "receipt_long", model="orders.OrderItem"),
            NavEntry(_("Checkouts"), "payments", model="orders.Checkout"),
            NavEntry(_("Payment mismatches"), "report", model="orders.PaymentMismatch"),
            NavEntry(_("Commission rules"), "percent", model="orders.CommissionRule"),
        ],
    ),
    NavGroup(
        _("Money"),
        [
            NavEntry(_("Earnings"), "account_balance_wallet", model="money.LedgerEntry"),
            NavEntry(_("Payout runs"), "fact_check", model="money.PayoutRun"),
            NavEntry(_("Payouts"), "account_balance", model="money.Payout"),
            NavEntry(_("Bank accounts"), "account_balance_wallet", model="money.BankAccount"),
            NavEntry(_("Refunds"), "currency_exchange", model="money.Refund"),
        ],
    ),
    NavGroup(
        _("Shopping"),
        [
            NavEntry(_("Shipping methods"), "local_shipping", model="shopping.ShippingMethod"),
            NavEntry(_("Shipping addresses"), "home_pin", model="shopping.ShippingAddress"),
            NavEntry(_("Cart lines"), "shopping_cart", model="shopping.CartItem"),
        ],
        collapsible=True,  # set up once (shipping methods), then read when a buyer asks
    ),
    NavGroup(_("Reports"), REPORT_ENTRIES),
    NavGroup(
        _("Communication"),
        [
            NavEntry(_("Email & SMS outbox"), "outbox", model="notifications.OutboundMessage"),
            NavEntry(_("Notifications"), "notifications", model="notifications.Notification"),
            NavEntry(_("Messages"), "chat", model="notifications.Message"),
        ],
        collapsible=True,  # the dashboard counts failed messages, the bell brings notifications
    ),
    NavGroup(
        _("People"),
        [
            NavEntry(_("Users"), "group", model="users.User"),
            # users.signin_policy's counts; deleting a row lifts its refusal early.
            NavEntry(_("Sign-in lockouts"), "lock_person", model="users.SignInThrottle"),
            NavEntry(_("Customer profiles"), "person", model="users.CustomerProfile"),
            NavEntry(_("Manufacturer profiles"), "factory", model="users.ManufacturerProfile"),
        ],
        collapsible=True,
    ),
    # The plumbing: accounts and sign-in providers, the worker's tasks, API tokens, sites.
    # Superusers only, folded like the groups above it, so that daily work (the unfolded
    # groups: dashboard, catalogue, sales, money, reports) is what the sidebar shows.
    NavGroup(
        _("System"),
        [
            NavEntry(_("Groups"), "admin_panel_settings", model="auth.Group"),
            NavEntry(_("Email addresses"), "alternate_email", model="account.EmailAddress"),
            NavEntry(_("Social accounts"), "link", model="socialaccount.SocialAccount"),
            NavEntry(_("Social applications"), "apps", model="socialaccount.SocialApp"),
            NavEntry(_("Queued tasks"), "schedule_send", model="django_q.OrmQ"),
            NavEntry(_("Successful tasks"), "task_alt", model="django_q.Success"),
            NavEntry(_("Failed tasks"), "error", model="django_q.Failure"),
            NavEntry(_("Scheduled tasks"), "event_repeat", model="django_q.Schedule"),
            NavEntry(_("Refresh tokens"), "key", model="token_blacklist.OutstandingToken"),
            NavEntry(_("Blacklisted tokens"), "block", model="token_blacklist.BlacklistedToken"),
            # allauth.mfa's TOTP devices and recovery codes; deleting a lost one makes its
            # owner set up two-factor sign-in again.
            NavEntry(_("Two-factor devices"), "phonelink_lock", model="mfa.Authenticator"),
            NavEntry(_("Sites"), "language", model="sites.Site"),
        ],
        superuser_only=True,
        collapsible=True,
    ),
]


def _model_link(request: HttpRequest, label: str) -> str | None:
    """The changelist URL of a registered model this user may view, else None."""
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return None
    if not (
        model_admin.has_module_permission(request)
        and model_admin.has_view_or_change_permission(request)
    ):
        return None
    opts = model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    except NoReverseMatch:
        return None


def _entry_link(request: HttpRequest, entry: NavEntry) -> str | None:
    if entry.staff_only and not request.user.is_staff:
        return None
    if entry.permission and not request.user.has_perm(entry.permission):
        return None
    if entry.model:
        return _model_link(request, entry.model)
    return reverse(entry.url_name)


def sidebar_navigation(request: HttpRequest) -> list[dict]:
    """Unfold's SIDEBAR["navigation"]: the groups and links this user may open."""
    groups = []
    for group in SIDEBAR:
        if group.superuser_only and not request.user.is_superuser:
            continue
        items = []
        for entry in group.entries:
            link = _entry_link(request, entry)
            if link is not None:
                items.append({"title": entry.title, "icon": entry.icon, "link": link})
        if items:
            groups.append(
                {
                    "title": group.title,
                    "separator": True,
                    "collapsible": group.collapsible,
                    "items": items,
                }
            )
    return groups


def environment_badge(request: HttpRequest) -> list[str] | None:
    """The badge unfold shows beside the site name: which role you are working as."""
    user = request.user
    if not user.is_authenticated:
        return None
    if user.is_staff:
        return [str(_("Staff")), "info"]
    if user.is_manufacturer:
        return [str(_("Manufacturer")), "warning"]
    return None
