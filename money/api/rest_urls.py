"""The money routes under /api/ (trailing slash optional, as everywhere). Seller and staff
routes: there is no storefront twin."""

from core.api import optional_slash
from money.api import views

urlpatterns = [
    optional_slash("earnings", views.EarningsView.as_view(), "earnings"),
    optional_slash(
        r"orders/(?P<order_id>\d+)/cash-collected",
        views.CashCollectedView.as_view(),
        "order-cash-collected",
    ),
]
