"""URL routes: the admin, each app's API routes, the API documentation, Google sign-in.

Each app owns its route modules, named for their job: ``<app>/api/storefront_urls.py`` holds
the storefront's routes (mounted at the root: /accounts/..., /products/..., /cart/...) and
``<app>/api/rest_urls.py`` the REST routes (mounted under /api/). This file only mounts them.
"""

import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.media_views import media_serve


def admin_pages_moved(old: str, new: str):
    """Send ``/admin/<old>/...`` (any page under it, with its query string) to
    ``/admin/<new>/...``."""
    return re_path(
        rf"^admin/{old}/(?P<rest>.*)$",
        RedirectView.as_view(url=f"/admin/{new}/%(rest)s", query_string=True),
    )


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    # Reviews and imports lived in the catalogue: links sent before they moved (notifications,
    # emails, bookmarks) still open their pages.
    admin_pages_moved("catalog/review", "reviews/review"),
    admin_pages_moved("catalog/productimport", "imports/productimport"),
    path("admin/", admin.site.urls),
    # The storefront's routes (docs/api.md): /accounts/..., /reset-password/, /products/...
    path("", include("users.api.storefront_urls")),
    path("", include("catalog.api.storefront_urls")),
    path("", include("reviews.api.storefront_urls")),
    # The storefront's wishlist, cart and shipping addresses (docs/api.md#wishlist)
    path("", include("shopping.api.storefront_urls")),
    # The storefront's checkout, payment and buyer's orders (docs/api.md#checkout)
    path("", include("orders.api.storefront_urls")),
    # REST routes under /api/ (docs/api.md#conventions)
    path("api/auth/", include("users.api.rest_urls")),
    path("api/", include("catalog.api.rest_urls")),
    path("api/", include("reviews.api.rest_urls")),
    path("api/", include("orders.api.rest_urls")),
    path("api/", include("money.api.rest_urls")),
    path("api/", include("notifications.api.rest_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    # allauth: Google's login and callback only (users.oauth_urls); none of its account pages.
    path("oauth/", include("users.oauth_urls")),
]

if not settings.AWS_STORAGE_BUCKET_NAME:
    # Uploads on this host's disk: served here, in production mode too (core.media_views);
    # with a bucket their URLs point at the bucket or its CDN.
    urlpatterns.append(
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", media_serve)
    )

handler403 = "backoffice.errors.permission_denied"
handler404 = "backoffice.errors.not_found"
handler500 = "backoffice.errors.server_error"
