"""The backoffice's money API under /api/ (docs/api.md#earnings), JWT only. These are seller
and staff routes, so they live in the REST set only; a buyer gets 403 with a ``detail``.

- ``GET /api/earnings/``: a manufacturer's balance (available, pending and when it releases,
  owed, paid out) and their ledger entries, newest first, paged (``page``, ``page_size``);
  staff name the manufacturer (``?manufacturer=<id>``). A fixed number of queries whatever
  the page's length.
- ``POST /api/orders/<id>/cash-collected/``: the order's seller (or staff) records the buyer's
  cash collected on a cash-on-delivery order (``money.services.order_cash_collect``); again
  changes nothing and answers the same.
"""

from decimal import Decimal

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PageNumberPagination
from core.ids import as_int
from core.money import quantize_money
from money.api.serializers import (
    CashCollectedSerializer,
    EarningsSerializer,
    EntrySerializer,
    MoneyErrorSerializer,
    ReleaseSerializer,
)
from money.errors import MoneyError, MoneyErrorCode
from money.models import EntryKind
from money.selectors import (
    balance_of,
    earnings_manufacturer_for,
    ledger_entries_of,
    pending_releases,
)
from money.services import order_cash_collect
from orders.models import Order

ERRORS = {
    400: OpenApiResponse(MoneyErrorSerializer, description="A parameter is wrong."),
    401: OpenApiResponse(MoneyErrorSerializer, description="Not signed in."),
    403: OpenApiResponse(MoneyErrorSerializer, description="Not a seller or staff."),
    404: OpenApiResponse(MoneyErrorSerializer, description="No such order or manufacturer."),
    409: OpenApiResponse(MoneyErrorSerializer, description="Refused by the order's state."),
}


def _amount(value: Decimal) -> str:
    return f"{quantize_money(value):.2f}"


class EntryPagination(PageNumberPagination):
    page_size = 20


class EarningsView(APIView):
    @extend_schema(
        tags=["Money"],
        summary="A manufacturer's earnings: balance and ledger entries",
        parameters=[
            OpenApiParameter(
                "manufacturer", int, description="Staff: whose earnings (required for staff)."
            ),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses={200: EarningsSerializer, **{s: ERRORS[s] for s in (400, 401, 403, 404)}},
    )
    def get(self, request: Request) -> Response:
        manufacturer = earnings_manufacturer_for(
            user=request.user, manufacturer_id=request.query_params.get("manufacturer")
        )
        balance = balance_of(manufacturer=manufacturer)
        pages = EntryPagination()
        page = pages.paginate_queryset(ledger_entries_of(manufacturer=manufacturer), request, self)
        body = {
            "manufacturer": manufacturer.pk,
            "currency": settings.CURRENCY,
            "available": _amount(balance.available),
            "pending": _amount(balance.pending),
            "owed": _amount(balance.owed),
            "paid_out": _amount(balance.paid_out),
            "pending_releases": ReleaseSerializer(
                pending_releases(manufacturer=manufacturer), many=True
            ).data,
            "count": pages.page.paginator.count,
            "next": pages.get_next_link(),
            "previous": pages.get_previous_link(),
            "entries": EntrySerializer(page, many=True).data,
        }
        return Response(body)


class CashCollectedView(APIView):
    @extend_schema(
        tags=["Money"],
        summary="Record a cash-on-delivery order's cash collected (its seller or staff)",
        request=None,
        responses={200: CashCollectedSerializer, **{s: ERRORS[s] for s in (401, 403, 404, 409)}},
    )
    def post(self, request: Request, order_id: int) -> Response:
        pk = as_int(order_id)
        order = Order.objects.filter(pk=pk).first() if pk and pk < 2**63 else None
        if order is None:
            raise MoneyError(f"No order {order_id} of yours.", code=MoneyErrorCode.ORDER_UNKNOWN)
        order = order_cash_collect(order=order, actor=request.user)
        order.commission_owed = -sum(
            order.ledger_entries.filter(kind=EntryKind.CASH_COMMISSION).values_list(
                "amount", flat=True
            ),
            Decimal("0.00"),
        )
        return Response(CashCollectedSerializer(order).data)
