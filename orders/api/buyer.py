"""The buyer's orders as the storefront reads them (docs/api.md#orders), JWT only.

- ``GET /orders``: the buyer's own orders, newest first, in the envelope; ``?status=`` takes
  the storefront's labels ("Awaiting Confirmation", "Processing", "Shipped", "Delivered",
  "Cancelled") or the status codes. A fixed number of queries whatever the page's length.
- ``GET /orders/<id>/``: one of them; another buyer's order answers 404.
- ``POST /orders/<id>/cancel/``: cancel until it is shipped (awaiting confirmation or
  processing; the stock goes back; paid online: a refund is due);
  ``POST /orders/<id>/mark-delivered/``: confirm a shipped order arrived. Both answer the
  whole updated order.
- ``GET /orders/<id>/track/``: status history and tracking number.
- ``GET /orders/<id>/success/``: the order's confirmation (``orders.api.confirmation``), with
  the other orders of its checkout when it was split.

Staff read only their own purchases here too: this is the buyer's side.
"""

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.base import CatalogPagination
from orders.api.confirmation import OrderConfirmationSerializer, confirmation_render
from orders.api.serializers import OrderErrorSerializer
from orders.api.shapes import (
    STATUS_BY_WORD,
    STATUS_LABELS,
    BuyerOrderSerializer,
    OrderTrackSerializer,
)
from orders.models import Order, OrderStatus
from orders.selectors import (
    buyer_orders,
    order_confirmation,
    order_line_products,
    order_status_history,
)
from orders.services import order_cancel, order_mark_delivered

ERRORS = {
    401: OpenApiResponse(OrderErrorSerializer, description="Not signed in."),
    404: OpenApiResponse(OrderErrorSerializer, description="No such order of yours."),
    409: OpenApiResponse(OrderErrorSerializer, description="Refused by the order's status."),
}


class BuyerOrderPagination(CatalogPagination):
    page_size = 20


def _statuses(raw: str | None) -> list[str] | None:
    word = " ".join((raw or "").split()).lower()
    if not word or word == "all":
        return None
    status = STATUS_BY_WORD.get(word)
    if status is None:
        labels = ", ".join(f"“{label}”" for label in STATUS_LABELS.values())
        raise ValidationError({"status": [f"Unknown status “{raw}”: use one of {labels}."]})
    return [status]


def render_orders(orders: list[Order], request: Request) -> list[dict]:
    products, ancestors = order_line_products(orders=orders)
    context = {"request": request, "products": products, "ancestors": ancestors}
    return BuyerOrderSerializer(orders, many=True, context=context).data


def _own_order(request: Request, order_id) -> Order:
    order = buyer_orders(user=request.user).filter(pk=order_id).first()
    if order is None:
        raise NotFound("No such order of yours.")
    return order


def _render_one(request: Request, order_id) -> Response:
    return Response(render_orders([_own_order(request, order_id)], request)[0])


# The list's page envelope, as the storefront reads it (the view pages by hand).
BUYER_ORDER_PAGE = inline_serializer(
    "BuyerOrderPage",
    fields={
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": BuyerOrderSerializer(many=True),
    },
)


@extend_schema(tags=["Storefront orders"])
class BuyerOrderListView(APIView):
    @extend_schema(
        operation_id="orders_list",  # a page of orders (its envelope is an inline serializer)
        summary="My orders",
        parameters=[
            OpenApiParameter(
                "status",
                str,
                description="A storefront label (" + ", ".join(STATUS_LABELS.values())
                + ") or a status code.",
            )
        ],
        responses={200: BUYER_ORDER_PAGE, 400: OrderErrorSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        queryset = buyer_orders(user=request.user, statuses=_statuses(
            request.query_params.get("status")))
        paginator = BuyerOrderPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(render_orders(page, request))


@extend_schema(tags=["Storefront orders"])
class BuyerOrderDetailView(APIView):
    @extend_schema(summary="One of my orders", responses={200: BuyerOrderSerializer, **ERRORS})
    def get(self, request: Request, order_id: int) -> Response:
        return _render_one(request, order_id)


@extend_schema(tags=["Storefront orders"])
class BuyerOrderCancelView(APIView):
    @extend_schema(
        summary="Cancel my order until it is shipped",
        description="Awaiting confirmation or processing, no line shipped: the stock goes back "
        "and, if the order was paid online, `refund_due` records its total as due back. "
        "Shipped or delivered: 409 `not_cancellable` (`lines_shipped` when some lines are).",
        request=None,
        responses={200: BuyerOrderSerializer, 403: OrderErrorSerializer, **ERRORS},
    )
    def post(self, request: Request, order_id: int) -> Response:
        order_cancel(order=_own_order(request, order_id), actor=request.user)
        return _render_one(request, order_id)


@extend_schema(tags=["Storefront orders"])
class BuyerOrderDeliveredView(APIView):
    @extend_schema(
        summary="Confirm my shipped order arrived",
        request=None,
        responses={200: BuyerOrderSerializer, **ERRORS},
    )
    def post(self, request: Request, order_id: int) -> Response:
        order_mark_delivered(order=_own_order(request, order_id), actor=request.user)
        return _render_one(request, order_id)


@extend_schema(tags=["Storefront orders"])
class BuyerOrderTrackView(APIView):
    @extend_schema(summary="Where my order is", responses={200: OrderTrackSerializer, **ERRORS})
    def get(self, request: Request, order_id: int) -> Response:
        order = _own_order(request, order_id)
        body = render_orders([order], request)[0]
        timestamp = BuyerOrderSerializer().fields["created_at"].to_representation
        history = [
            {
                "status": STATUS_LABELS[OrderStatus.PENDING],
                "status_code": OrderStatus.PENDING.value,
                "at": timestamp(order.created_at),
                "note": "Order placed",
            }
        ]
        history += [
            {
                "status": STATUS_LABELS[OrderStatus(change.to_status)],
                "status_code": change.to_status,
                "at": timestamp(change.created_at),
                "note": change.note,
            }
            for change in order_status_history(order=order)
        ]
        return Response(
            {
                "order_id": order.pk,
                "order_no": order.number,
                "status": body["status"],
                "status_code": order.status,
                "tracking_number": order.tracking_number or None,
                "estimated_delivery_date": body["estimated_delivery_date"],
                "shipping_address": body["shipping_address"],
                "history": history,
            }
        )


@extend_schema(tags=["Storefront orders"])
class BuyerOrderSuccessView(APIView):
    @extend_schema(
        summary="My order's confirmation",
        description="What the order-success page shows after checkout: the order, its lines, "
        "amounts, shipping and payment, its checkout's totals and the checkout's other orders "
        "(one per manufacturer).",
        responses={200: OrderConfirmationSerializer, **ERRORS},
    )
    def get(self, request: Request, order_id: int) -> Response:
        confirmation = order_confirmation(user=request.user, order_id=order_id)
        if confirmation is None:
            raise NotFound("No such order of yours.")
        body = render_orders([confirmation.order], request)[0]
        return Response(confirmation_render(confirmation, body))
