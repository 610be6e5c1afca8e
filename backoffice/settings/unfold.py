"""The admin's look (django-unfold): titles, the MARTAF amber palette, the sidebar, the account menu."""

from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .base import FRONTEND_URL

# --- Admin (django-unfold) --------------------------------------------------------------------

UNFOLD = {
    "SITE_TITLE": "MARTAF backoffice",
    "SITE_HEADER": "MARTAF",
    "SITE_SUBHEADER": _("Marketplace backoffice"),
    "SITE_SYMBOL": "storefront",
    "SITE_URL": FRONTEND_URL,  # the account menu's "Open the storefront" link
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "SHOW_BACK_BUTTON": True,
    "ENVIRONMENT": "backoffice.admin_navigation.environment_badge",
    "DASHBOARD_CALLBACK": "backoffice.dashboard.dashboard_callback",
    "LOGIN": {
        "image": lambda request: static("backoffice/login.svg"),
    },
    "STYLES": [lambda request: static("backoffice/admin.css")],
    # Keyboard additions: autofocus that holds, dialogs that take and give back the focus.
    "SCRIPTS": [lambda request: static("backoffice/admin.js")],
    "SITE_FAVICONS": [
        {"rel": "icon", "type": "image/svg+xml", "href": lambda request: static("backoffice/favicon.svg")},
        {"rel": "apple-touch-icon", "sizes": "180x180", "href": lambda request: static("backoffice/favicon.png")},
    ],
    "BORDER_RADIUS": "8px",
    "COLORS": {
        # MARTAF amber: warm, legible on white and on the dark theme.
        "primary": {
            "50": "oklch(98.7% .022 95.277)",
            "100": "oklch(96.2% .059 95.617)",
            "200": "oklch(92.4% .12 95.746)",
            "300": "oklch(87.9% .169 91.605)",
            "400": "oklch(82.8% .189 84.429)",
            "500": "oklch(76.9% .188 70.08)",
            "600": "oklch(66.6% .179 58.318)",
            "700": "oklch(55.5% .163 48.998)",
            "800": "oklch(47.3% .137 46.201)",
            "900": "oklch(41.4% .112 45.904)",
            "950": "oklch(27.9% .077 45.635)",
        },
    },
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": "backoffice.admin_navigation.sidebar_navigation",
    },
    "ACCOUNT": {
        "navigation": [
            {"title": _("API documentation"), "link": reverse_lazy("swagger-ui")},
        ]
    },
}
