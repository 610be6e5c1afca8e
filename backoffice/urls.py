"""URL routes: the admin, each app's API routes, the API documentation, allauth's OAuth pages.

Each app owns its route modules; this file only mounts them.
"""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    # MARTAF storefront routes (seeds/martaf-api.md): /accounts/..., /reset-password/, /products/...
    path("", include("users.api.urls")),
    path("", include("catalog.api.urls")),
    # The storefront's wishlist, cart and shipping addresses (storefront-commerce.md)
    path("", include("shopping.api.urls")),
    # The storefront's checkout, payment and buyer's orders (storefront-commerce.md)
    path("", include("orders.api.storefront_urls")),
    # REST routes (seeds/mamaonline-backend.md)
    path("api/auth/", include("users.api.auth_urls")),
    path("api/", include("catalog.api.rest_urls")),
    path("api/", include("orders.api.urls")),
    path("api/", include("notifications.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    # allauth's own pages live apart from the MARTAF /accounts/ API routes.
    path("oauth/", include("allauth.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "backoffice.errors.permission_denied"
handler404 = "backoffice.errors.not_found"
handler500 = "backoffice.errors.server_error"
