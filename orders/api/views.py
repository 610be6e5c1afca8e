"""The order API under /api/orders/ (JWT only).

- ``GET /api/orders/``: your orders (staff: all orders), newest first, paginated.
- ``POST /api/orders/``: place an order; 201 with the order, 400 naming the lines that cannot be
  ordered, 409 naming the short lines (nothing is ordered then).
- ``GET /api/orders/{id}/``: one of your orders (another buyer's order answers 404).
- ``PUT/PATCH /api/orders/{id}/``: staff change the status (``status``, optional ``note``).
- ``POST /api/orders/{id}/cancel/``: the buyer cancels an order until it is shipped; its stock
  goes back.

Orders are records: there is no DELETE (staff cancel instead).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import PageNumberPagination
from orders.api.serializers import (
    OrderCancelSerializer,
    OrderCreateSerializer,
    OrderErrorSerializer,
    OrderSerializer,
    OrderStatusUpdateSerializer,
)
from orders.errors import OrderError, OrderErrorCode
from orders.models import Order
from orders.selectors import orders_of
from orders.services import OrderLineRequest, order_cancel, order_place, order_status_change


class OrderPagination(PageNumberPagination):
    """The API's one page rule (``core.api``): 20 orders a page."""

    page_size = 20


ERRORS = {
    400: OpenApiResponse(OrderErrorSerializer, description="Lines that cannot be ordered."),
    403: OpenApiResponse(OrderErrorSerializer, description="Not allowed."),
    404: OpenApiResponse(OrderErrorSerializer, description="No such order of yours."),
    409: OpenApiResponse(OrderErrorSerializer, description="Refused by the order's state."),
}


@extend_schema(tags=["Orders"])
class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = OrderSerializer
    pagination_class = OrderPagination
    filterset_fields = ["status", "payment_method"]
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Order.objects.none()
        return orders_of(user=self.request.user)

    def _render(self, order: Order, *, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=order.pk)
        return Response(OrderSerializer(fresh).data, status=status_code)

    @extend_schema(
        summary="Place an order",
        description="All lines' stock is taken in one transaction, or nothing is ordered.",
        request=OrderCreateSerializer,
        responses={201: OrderSerializer, 400: ERRORS[400], 409: ERRORS[409]},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = OrderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        order = order_place(
            buyer=request.user,
            lines=[
                OrderLineRequest(
                    product_id=line["product"],
                    variation_id=line.get("variation"),
                    quantity=line["quantity"],
                )
                for line in values["products"]
            ],
            payment_method=values["payment_method"],
            shipping_name=values.get("shipping_name", ""),
            shipping_phone=values.get("shipping_phone", ""),
            shipping_address=values.get("shipping_address", ""),
        )
        return self._render(order, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an order's status (staff only)",
        request=OrderStatusUpdateSerializer,
        responses={200: OrderSerializer, 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409]},
    )
    def update(self, request: Request, *args, **kwargs) -> Response:
        if not request.user.is_staff:
            raise OrderError(
                "Only staff can change an order's status.", code=OrderErrorCode.STAFF_ONLY
            )
        order = self.get_object()
        data = OrderStatusUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = order_status_change(
            order=order,
            to=data.validated_data["status"],
            actor=request.user,
            note=data.validated_data.get("note", ""),
        )
        return self._render(order)

    @extend_schema(
        summary="Change an order's status (staff only)",
        request=OrderStatusUpdateSerializer,
        responses={200: OrderSerializer, 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409]},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        # Only the status changes here, so PUT and PATCH take the same body.
        return self.update(request, *args, **kwargs)

    @extend_schema(
        summary="Cancel my order until it is shipped",
        description="The stock of its lines goes back (stock ledger reason: return).",
        request=OrderCancelSerializer,
        responses={200: OrderSerializer, 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409]},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = OrderCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = order_cancel(
            order=order, actor=request.user, note=data.validated_data.get("note", "")
        )
        return self._render(order)
