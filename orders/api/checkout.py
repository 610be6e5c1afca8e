"""Checkout and payment calls of the storefront (docs/api.md#checkout, #payment).

- ``GET /checkout/review/``: the checked cart lines, the buyer's addresses, the active shipping
  methods and the one checkout uses unless told otherwise (the default), ``saved_cards`` (always empty: cards are never stored here) and
  ``default_address_id`` as a string.
- ``PATCH /select/shipping-address/``: the address the next checkout ships to.
- ``POST /checkout/``: one order per manufacturer, all or nothing (``orders.services.checkout``);
  201 with ``checkout_id``, ``order_ids``, the amounts, ``status`` and, with Paystack,
  ``paystack_url`` to send the buyer to.
- ``POST /paystack/init/``: the payment page of an unpaid checkout of yours.
- ``GET /paystack/verify/<reference>/``: ask Paystack now (JWT, your checkout only).
- ``GET /paystack/callback/``: where Paystack sends the buyer back: verifies, then redirects to
  the storefront's order-success page.
- ``POST /paystack/webhook/``: Paystack's events, signed (``x-paystack-signature``).
"""

import json

from django.conf import settings
from django.http import HttpResponseRedirect
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.api.serializers import OrderErrorSerializer
from orders.api.shapes import (
    AddressChoiceSerializer,
    CheckoutInputSerializer,
    CheckoutResultSerializer,
    CheckoutReviewSerializer,
    PaystackInitSerializer,
)
from orders.errors import CheckoutError, CheckoutErrorCode
from orders.models import CheckoutPayment, CheckoutPaymentStatus
from orders.paystack import paystack_configured, paystack_signature_valid
from orders.selectors import checkout_by_reference, checkout_of
from orders.services import (
    checkout_address_choose,
    checkout_address_for,
    checkout_payment_page,
    checkout_payment_record,
    checkout_place,
    checkout_quote,
    checkout_verify,
)
from orders.webhooks import webhook_handler_for
from shopping.api.serializers import ShippingAddressSerializer, money_number
from shopping.selectors import shipping_addresses_of

ERRORS = {
    400: OpenApiResponse(OrderErrorSerializer, description="Bad input, or lines that cannot be "
                         "ordered (each named with its `cart_item`)."),
    401: OpenApiResponse(OrderErrorSerializer, description="Not signed in."),
    409: OpenApiResponse(OrderErrorSerializer, description="Not enough stock (the short lines "
                         "named), a price changed, the lines were checked out already "
                         "(`already_placed`, with `checkout_id` and `order_ids`), the buyer "
                         "holds as much unpaid as they may (`unpaid_limit`), or online payment "
                         "is off here (paid on delivery). Nothing was ordered."),
    502: OpenApiResponse(OrderErrorSerializer, description="Paystack could not be reached."),
}


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema(tags=["Checkout"])
class CheckoutReviewView(APIView):
    @extend_schema(summary="What checkout will take", responses={200: CheckoutReviewSerializer,
                                                                 401: ERRORS[401]})
    def get(self, request: Request) -> Response:
        user = request.user
        quote = checkout_quote(user=user)
        try:
            default_address = checkout_address_for(buyer=user)
        except CheckoutError:
            default_address = None
        fields = CheckoutReviewSerializer(context={"request": request}).fields
        return Response(
            {
                "items": fields["items"].to_representation(quote.lines),
                "available_addresses": fields["available_addresses"].to_representation(
                    list(shipping_addresses_of(user=user))
                ),
                "available_shipping_methods": fields[
                    "available_shipping_methods"
                ].to_representation(quote.shipping_methods),
                "saved_cards": [],
                "default_address_id": str(default_address.pk) if default_address else None,
                "shipping_method": fields["shipping_method"].to_representation(
                    quote.shipping_method
                )
                if quote.shipping_method
                else None,
                "subtotal": money_number(quote.lines_total),
                "shipping_cost": money_number(quote.shipping_cost),
                "total": money_number(quote.total),
                "payment_method": CheckoutPayment.PAYSTACK
                if paystack_configured()
                else CheckoutPayment.ON_DELIVERY,
            }
        )


@extend_schema(tags=["Checkout"])
class CheckoutAddressChoiceView(APIView):
    @extend_schema(
        summary="Choose the address the next checkout ships to",
        request=AddressChoiceSerializer,
        responses={200: ShippingAddressSerializer, 400: ERRORS[400], 401: ERRORS[401]},
    )
    def patch(self, request: Request) -> Response:
        data = _valid(AddressChoiceSerializer, request.data)
        address = checkout_address_choose(buyer=request.user, address_id=data["shipping_address"])
        return Response(
            {
                "detail": "Shipping address selected.",
                "shipping_address": ShippingAddressSerializer(address).data,
            }
        )


@extend_schema(tags=["Checkout"])
class CheckoutView(APIView):
    @extend_schema(
        summary="Check out the checked cart lines",
        description="One order per manufacturer, all or nothing; the checked lines leave the "
        "cart. With Paystack, send the buyer to `paystack_url`. A cart is ordered once: a "
        "second request for the same lines answers 409 `already_placed` naming the checkout; "
        "with an `Idempotency-Key` header, the same key answers the first 201 again.",
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Any text up to 100 characters, new for each purchase: a retry "
                "with the same key answers the checkout placed the first time.",
            )
        ],
        request=CheckoutInputSerializer,
        responses={201: CheckoutResultSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = _valid(CheckoutInputSerializer, request.data)
        placed = checkout_place(
            buyer=request.user,
            shipping_address_id=data.get("shipping_address"),
            shipping_method_id=data.get("shipping_method"),
            idempotency_key=request.headers.get("Idempotency-Key"),
        )
        body = CheckoutResultSerializer(placed.checkout).data
        body["detail"] = (
            "Order placed: pay on the Paystack page."
            if placed.checkout.paystack_url
            else "Order placed: pay on delivery."
        )
        headers = {"Idempotent-Replayed": "true"} if placed.replayed else None
        return Response(body, status=status.HTTP_201_CREATED, headers=headers)


@extend_schema(tags=["Checkout"])
class PaystackInitView(APIView):
    @extend_schema(
        summary="The Paystack page of an unpaid checkout of yours",
        description="The amount charged is the checkout's total; `amount` and `email` sent are "
        "ignored.",
        request=PaystackInitSerializer,
        responses={200: CheckoutResultSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        if not paystack_configured():
            raise CheckoutError(
                "Paystack is not configured here: orders are paid on delivery.",
                code=CheckoutErrorCode.PAYSTACK_NOT_CONFIGURED,
            )
        data = _valid(PaystackInitSerializer, request.data)
        checkout = checkout_payment_page(
            checkout=checkout_of(user=request.user, checkout_id=data["checkout_id"])
        )
        body = CheckoutResultSerializer(checkout).data
        body.update(status=True, authorization_url=checkout.paystack_url,
                    reference=checkout.paystack_reference, payment_status=checkout.payment_status)
        return Response(body)


@extend_schema(tags=["Checkout"])
class PaystackVerifyView(APIView):
    @extend_schema(
        summary="Ask Paystack whether my checkout is paid",
        request=None,
        responses={200: CheckoutResultSerializer, **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        checkout = checkout_by_reference(reference=reference, buyer=request.user)
        if checkout is None:
            raise CheckoutError(
                "No such checkout of yours.", code=CheckoutErrorCode.CHECKOUT_UNKNOWN
            )
        return Response(CheckoutResultSerializer(checkout_verify(checkout=checkout)).data)


@extend_schema(tags=["Checkout"], exclude=True)
class PaystackCallbackView(APIView):
    """Paystack's redirect after payment (no token: the reference is checked with Paystack
    itself, so calling it can only record a payment Paystack confirms)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> HttpResponseRedirect:
        reference = request.query_params.get("reference") or request.query_params.get("trxref")
        checkout = checkout_by_reference(reference=reference)
        if checkout is None:
            return HttpResponseRedirect(f"{settings.FRONTEND_URL}/orders")
        try:
            checkout = checkout_verify(checkout=checkout)
        except CheckoutError:
            pass  # the webhook or the sweep will settle it
        first = checkout.orders.order_by("pk").values_list("pk", flat=True).first()
        if checkout.payment_status == CheckoutPaymentStatus.PAID and first is not None:
            return HttpResponseRedirect(f"{settings.FRONTEND_URL}/order-success/{first}")
        return HttpResponseRedirect(f"{settings.FRONTEND_URL}/orders?payment=pending")


@extend_schema(tags=["Checkout"], exclude=True)
class PaystackWebhookView(APIView):
    """Paystack's events. The signature is checked on the raw body before anything is read;
    ``charge.success`` records the payment (idempotent: replays change nothing). Another event
    goes to the handler an app above registered for it (``orders.webhooks``); an event nobody
    handles is acknowledged and ignored."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def post(self, request: Request) -> Response:
        body = request.body
        if not paystack_signature_valid(
            body=body, signature=request.headers.get("x-paystack-signature")
        ):
            raise CheckoutError("Invalid signature.", code=CheckoutErrorCode.BAD_SIGNATURE)
        try:
            event = json.loads(body)
            data = event.get("data") or {}
            kind = event.get("event")
        except (ValueError, AttributeError):
            raise CheckoutError(
                "The event is not a JSON object.", code=CheckoutErrorCode.BAD_SIGNATURE
            ) from None
        if kind == "charge.success" and isinstance(data, dict) and data.get("status") in (
            None,
            "success",
        ):
            try:
                amount = int(data.get("amount") or 0)
            except (TypeError, ValueError):
                amount = 0
            checkout_payment_record(
                reference=str(data.get("reference") or ""),
                amount_kobo=amount,
                currency=str(data.get("currency") or ""),
                paid_at=data.get("paid_at") or data.get("paidAt"),
                source="webhook",
            )
        elif isinstance(kind, str) and isinstance(data, dict):
            handler = webhook_handler_for(kind)
            if handler is not None:
                handler(data)
        return Response({"detail": "Received."})
