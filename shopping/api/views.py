"""The storefront's wishlist, cart and shipping-address calls (docs/api.md#wishlist, #cart,
#shipping-addresses). Signed-in users only (JWT): anonymous calls answer 401. Every line id and
product id is looked up in the caller's own data: another user's cart line answers 404 and stays
as it was.

Views parse input, call ``shopping.services`` and render ``shopping.selectors``; refusals are
``ShoppingError`` rendered by the project's one exception handler (``core.api``).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shopping import services
from shopping.api.serializers import (
    CartAddSerializer,
    CartBatchLineSerializer,
    CartBatchResultSerializer,
    CartCheckedResultSerializer,
    CartCheckedSerializer,
    CartItemUpdateSerializer,
    CartLineSerializer,
    CartMergeLineSerializer,
    CartMergeResultSerializer,
    CartMergeSerializer,
    CartMessageSerializer,
    CartQuantitySerializer,
    CartSerializer,
    DetailSerializer,
    ShippingAddressSerializer,
    WishlistEnvelopeSerializer,
    WishlistSerializer,
)
from shopping.selectors import cart_of, shipping_addresses_of, wishlist_products

ERRORS = {
    400: OpenApiResponse(DetailSerializer, description="Bad input (detail and field lists)."),
    401: OpenApiResponse(DetailSerializer, description="Not signed in."),
    404: OpenApiResponse(DetailSerializer, description="No such product or cart line of yours."),
    409: OpenApiResponse(DetailSerializer, description="Not enough stock."),
}


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Wishlist ------------------------------------------------------------------------------------


@extend_schema(tags=["Wishlist"])
class WishlistView(APIView):
    @extend_schema(
        responses={200: WishlistEnvelopeSerializer, **ERRORS},
        description="An envelope holding the user's one wishlist with full product objects.",
    )
    def get(self, request: Request) -> Response:
        wishlist = services.wishlist_get_or_create(user=request.user)
        wishlist.product_objects = wishlist_products(wishlist=wishlist)
        body = WishlistSerializer(wishlist, context={"request": request}).data
        return Response({"count": 1, "next": None, "previous": None, "results": [body]})


@extend_schema(tags=["Wishlist"])
class WishlistAddView(APIView):
    @extend_schema(request=None, responses={200: DetailSerializer, 201: DetailSerializer, **ERRORS})
    def post(self, request: Request, product_id: str) -> Response:
        if services.wishlist_product_add(user=request.user, product_id=product_id):
            return Response({"detail": "Added to your wishlist."}, status=status.HTTP_201_CREATED)
        return Response({"detail": "Already in your wishlist."})


@extend_schema(tags=["Wishlist"])
class WishlistRemoveView(APIView):
    @extend_schema(request=None, responses={200: DetailSerializer, **ERRORS})
    def delete(self, request: Request, product_id: str) -> Response:
        services.wishlist_product_remove(user=request.user, product_id=product_id)
        return Response({"detail": "Removed from your wishlist."})


# --- Cart ----------------------------------------------------------------------------------------


def _line_body(request: Request, item_id: int) -> dict | None:
    cart = cart_of(user=request.user, item_ids=[item_id])
    if not cart.lines:
        return None
    return CartLineSerializer(cart.lines[0], context={"request": request}).data


def _message(request: Request, text: str, *, item_id=None, status_code=status.HTTP_200_OK):
    body = {"detail": text, "message": text}
    if item_id is not None:
        body["cart_item"] = _line_body(request, item_id)
    return Response(body, status=status_code)


@extend_schema(tags=["Cart"])
class CartView(APIView):
    @extend_schema(responses={200: CartSerializer, **ERRORS})
    def get(self, request: Request) -> Response:
        cart = cart_of(user=request.user)
        return Response(CartSerializer(cart, context={"request": request}).data)


@extend_schema(tags=["Cart"])
class CartAddView(APIView):
    @extend_schema(
        request=CartAddSerializer,
        responses={200: CartMessageSerializer, 201: CartMessageSerializer, **ERRORS},
        description="Adds to the line already in the cart, if any (the login merge sends every "
        "guest line here).",
    )
    def post(self, request: Request) -> Response:
        data = _valid(CartAddSerializer, request.data)
        item, created = services.cart_item_add(
            user=request.user,
            product_id=data["product_id"],
            quantity=data["quantity"],
            variation_id=data.get("variation"),
        )
        return _message(
            request,
            # Unticked after an add only when it waits for its size or colour.
            "Added to cart." if item.checked else "Added to cart: choose a size or colour "
            "before checking out.",
            item_id=item.pk,
            status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema(tags=["Cart"])
class CartMergeView(APIView):
    @extend_schema(
        request=CartMergeLineSerializer(many=True),
        responses={200: CartMergeSerializer, **ERRORS},
        description="Merges the guest cart (a bare array of /cart/add's bodies, or {items: "
        "[...]}) at sign-in. Keeps what it can (a line without its size or colour waits "
        "unticked; a quantity over the stock is lowered), says line by line what it did, and "
        "never refuses the call for one line.",
    )
    def post(self, request: Request) -> Response:
        lines = request.data.get("items") if isinstance(request.data, dict) else request.data
        if not isinstance(lines, list):
            raise ValidationError(
                {"detail": "Send the guest cart as a JSON array of {product_id, quantity, "
                 "variation?}, or as {items: [...]}."}
            )
        results = services.cart_merge(user=request.user, lines=lines)
        kept = sum(result.status != services.MergeStatus.SKIPPED for result in results)
        text = f"{kept} of {len(results)} items merged into your cart."
        cart = cart_of(user=request.user)
        return Response(
            {
                "detail": text,
                "message": text,
                "results": CartMergeResultSerializer(list(enumerate(results)), many=True).data,
                "cart": CartSerializer(cart, context={"request": request}).data,
            }
        )


@extend_schema(tags=["Cart"])
class CartItemQuantityView(APIView):
    @extend_schema(request=CartQuantitySerializer, responses={200: CartMessageSerializer, **ERRORS})
    def patch(self, request: Request, item_id: int) -> Response:
        data = _valid(CartQuantitySerializer, request.data)
        item = services.cart_item_quantity_set(
            user=request.user, item_id=item_id, quantity=data["quantity"]
        )
        return _message(request, "Quantity updated.", item_id=item.pk)


@extend_schema(tags=["Cart"])
class CartItemView(APIView):
    @extend_schema(
        request=CartItemUpdateSerializer,
        responses={200: CartMessageSerializer, **ERRORS},
        description="Sets the quantity and, with `variation`, the size or colour: a line moved "
        "onto a variation that has its own line joins it (quantities add, capped by the stock; "
        "`cart_item` is then that line and the one named is gone).",
    )
    def put(self, request: Request, item_id: int) -> Response:
        data = _valid(CartItemUpdateSerializer, request.data)
        update = services.cart_item_update(
            user=request.user,
            item_id=item_id,
            quantity=data["quantity"],
            variation_id=data.get("variation"),
        )
        return _message(request, update.message, item_id=update.item.pk)


@extend_schema(tags=["Cart"])
class CartItemCheckedView(APIView):
    @extend_schema(
        request=CartCheckedSerializer, responses={200: CartCheckedResultSerializer, **ERRORS}
    )
    def patch(self, request: Request, item_id: int) -> Response:
        data = _valid(CartCheckedSerializer, request.data)
        item = services.cart_item_checked_set(
            user=request.user, item_id=item_id, checked=data["checked"]
        )
        return Response({"checked": item.checked, "item_id": item.pk})


@extend_schema(tags=["Cart"])
class CartItemRemoveView(APIView):
    @extend_schema(request=None, responses={200: DetailSerializer, **ERRORS})
    def delete(self, request: Request, item_id: int) -> Response:
        services.cart_item_remove(user=request.user, item_id=item_id)
        return _message(request, "Removed from cart.")


@extend_schema(tags=["Cart"])
class CartRemoveAllView(APIView):
    @extend_schema(request=None, responses={200: DetailSerializer, **ERRORS})
    def delete(self, request: Request) -> Response:
        removed = services.cart_clear(user=request.user)
        response = _message(request, "Cart emptied.")
        response.data["removed"] = removed
        return response


@extend_schema(tags=["Cart"])
class CartBatchUpdateView(APIView):
    @extend_schema(
        request=CartBatchLineSerializer(many=True),
        responses={200: CartBatchResultSerializer, **ERRORS},
        description="A bare JSON array of {id, quantity}; each line succeeds or fails on its "
        "own (quantity 0 removes the line).",
    )
    def patch(self, request: Request) -> Response:
        if not isinstance(request.data, list):
            raise ValidationError({"detail": "Send a JSON array of {id, quantity}."})
        serializer = CartBatchLineSerializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        changes = [dict(line) for line in serializer.validated_data]
        result = services.cart_items_batch_update(user=request.user, changes=changes)
        return Response({"updated_items": result.updated_items, "errors": result.errors})


# --- Shipping addresses --------------------------------------------------------------------------


@extend_schema(tags=["Shipping"])
class ShippingAddressListView(APIView):
    @extend_schema(responses={200: ShippingAddressSerializer(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        addresses = shipping_addresses_of(user=request.user)
        return Response(ShippingAddressSerializer(addresses, many=True).data)

    @extend_schema(
        request=ShippingAddressSerializer, responses={201: ShippingAddressSerializer, **ERRORS}
    )
    def post(self, request: Request) -> Response:
        data = _valid(ShippingAddressSerializer, request.data)
        address = services.shipping_address_create(user=request.user, **data)
        return Response(ShippingAddressSerializer(address).data, status=status.HTTP_201_CREATED)
