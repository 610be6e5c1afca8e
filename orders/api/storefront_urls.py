"""The storefront's checkout, payment and buyer-order routes (docs/api.md#checkout, #orders),
each answering with and without its trailing slash. The REST order API stays under /api/."""

from core.api import optional_slash
from orders.api import buyer, checkout

ORDER = r"(?P<order_id>\d+)"

urlpatterns = [
    # Checkout and payment (docs/api.md#checkout, #payment)
    optional_slash("checkout/review", checkout.CheckoutReviewView.as_view(), "checkout-review"),
    optional_slash(
        "select/shipping-address",
        checkout.CheckoutAddressChoiceView.as_view(),
        "checkout-address-choice",
    ),
    optional_slash("checkout", checkout.CheckoutView.as_view(), "checkout"),
    optional_slash("paystack/init", checkout.PaystackInitView.as_view(), "paystack-init"),
    optional_slash(
        r"paystack/verify/(?P<reference>[\w-]+)",
        checkout.PaystackVerifyView.as_view(),
        "paystack-verify",
    ),
    optional_slash("paystack/callback", checkout.PaystackCallbackView.as_view(),
                   "paystack-callback"),
    optional_slash("paystack/webhook", checkout.PaystackWebhookView.as_view(), "paystack-webhook"),
    # The buyer's orders (docs/api.md#orders)
    optional_slash("orders", buyer.BuyerOrderListView.as_view(), "buyer-orders"),
    optional_slash(rf"orders/{ORDER}", buyer.BuyerOrderDetailView.as_view(), "buyer-order"),
    optional_slash(
        rf"orders/{ORDER}/cancel", buyer.BuyerOrderCancelView.as_view(), "buyer-order-cancel"
    ),
    optional_slash(
        rf"orders/{ORDER}/mark-delivered",
        buyer.BuyerOrderDeliveredView.as_view(),
        "buyer-order-delivered",
    ),
    optional_slash(
        rf"orders/{ORDER}/track", buyer.BuyerOrderTrackView.as_view(), "buyer-order-track"
    ),
    optional_slash(
        rf"orders/{ORDER}/success", buyer.BuyerOrderSuccessView.as_view(), "buyer-order-success"
    ),
]
