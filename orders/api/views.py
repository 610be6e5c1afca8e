"""The order API under /api/orders/ (JWT only).

- ``GET /api/orders/``: your orders (staff: all orders), newest first, paginated.
- ``POST /api/orders/``: place an order; 201 with the order, 400 naming the lines that cannot be
  ordered, 409 naming the short lines (nothing is ordered then).
- ``GET /api/orders/{id}/``: one of your orders (another buyer's order answers 404).
- ``PUT/PATCH /api/orders/{id}/``: staff change the status (``status``, optional ``note``).
- ``POST /api/orders/{id}/cancel/``: the buyer cancels a pending order; its stock goes back.

Orders are records: there is no DELETE (staff cancel instead).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

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

ERROR_STATUS: dict[OrderErrorCode, int] = {
    OrderErrorCode.EMPTY_ORDER: status.HTTP_400_BAD_REQUEST,
    OrderErrorCode.TOO_MANY_LINES: status.HTTP_400_BAD_REQUEST,
    OrderErrorCode.INVALID_QUANTITY: status.HTTP_400_BAD_REQUEST,
    OrderErrorCode.INVALID_PAYMENT_METHOD: status.HTTP_400_BAD_REQUEST,
    OrderErrorCode.DUPLICATE_LINE: status.HTTP_400_BAD_REQUEST,
    OrderErrorCode.PRODUCT_UNAVAILABLE: status.HTTP_400_BAD_REQUEST,
    OrderErrorCode.VARIATION_REQUIRED: status.HTTP_400_BAD_REQUEST,
    OrderErrorCode.VARIATION_UNKNOWN: status.HTTP_400_BAD_REQUEST,
    OrderErrorCode.INSUFFICIENT_STOCK: status.HTTP_409_CONFLICT,
    OrderErrorCode.INVALID_TRANSITION: status.HTTP_409_CONFLICT,
    OrderErrorCode.NOT_CANCELLABLE: status.HTTP_409_CONFLICT,
    OrderErrorCode.LINES_SHIPPED: status.HTTP_409_CONFLICT,
    OrderErrorCode.NOT_SHIPPABLE: status.HTTP_409_CONFLICT,
    OrderErrorCode.NOTHING_TO_SHIP: status.HTTP_409_CONFLICT,
    OrderErrorCode.NOT_BUYER: status.HTTP_403_FORBIDDEN,
    OrderErrorCode.STAFF_ONLY: status.HTTP_403_FORBIDDEN,
}


def order_error_response(error: OrderError) -> Response:
    body: dict = {"detail": error.message, "code": error.code.value}
    if error.lines:
        body["lines"] = error.lines
    return Response(body, status=ERROR_STATUS[error.code])


def _first_error(errors, path: str = "") -> tuple[str, str]:
    """The first message of DRF's nested errors and where it is: ``products[1].quantity``."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            # DRF keys a list serializer's errors by position (an int).
            if isinstance(key, int):
                where = f"{path}[{key}]"
            elif key == api_settings.NON_FIELD_ERRORS_KEY:
                where = path
            else:
                where = f"{path}.{key}" if path else str(key)
            found = _first_error(value, where)
            if found[1]:
                return found
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if isinstance(value, (dict, list)):
                found = _first_error(value, f"{path}[{index}]")
            else:
                found = (path, str(value))
            if found[1]:
                return found
    return path, ""


def invalid_input_response(errors: dict) -> Response:
    path, message = _first_error(errors)
    return Response(
        {"detail": f"{path}: {message}" if path else message, "code": "invalid", **errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


class OrderPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


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

    def handle_exception(self, exc):
        if isinstance(exc, OrderError):
            return order_error_response(exc)
        return super().handle_exception(exc)

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
        if not data.is_valid():
            return invalid_input_response(data.errors)
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
        if not data.is_valid():
            return invalid_input_response(data.errors)
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
        summary="Cancel my pending order",
        description="The stock of its lines goes back (stock ledger reason: return).",
        request=OrderCancelSerializer,
        responses={200: OrderSerializer, 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409]},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        data = OrderCancelSerializer(data=request.data)
        if not data.is_valid():
            return invalid_input_response(data.errors)
        order = order_cancel(
            order=order, actor=request.user, note=data.validated_data.get("note", "")
        )
        return self._render(order)
