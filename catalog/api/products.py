"""Products: the public catalogue (list, detail) and the manufacturer product API (add, update,
replace, delete, and staff's approve).

One viewset serves both route sets: the storefront's routes (``/products/list/``,
``/products/add-product/`` ..., docs/api.md#catalogue and #manufacturer-product-api) and the
REST routes (``/api/products/`` ...). Reads are public and show approved,
active products in active categories; a signed-in manufacturer may also read their own
products by id, staff any product. Writes go to the products the writer may manage
(``products_visible_to``): another manufacturer's product is a 404 and nothing changes.
"""

import uuid

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from catalog.api import docs
from catalog.api.base import (
    CatalogPagination,
    IsManufacturerOrStaff,
    IsStaff,
    LenientReadsMixin,
)
from catalog.api.caching import (
    catalogue_read,
    count_cache_key,
    count_cached,
    deep_page_reader,
)
from catalog.api.cards import cards_of_rows, product_cards
from catalog.api.filters import LISTING_STABLE, PRODUCT_DEFAULT_ORDERING, ProductFilter
from catalog.api.inputs import ProductWriteSerializer
from catalog.api.pages import listing_page, public_detail
from catalog.api.serializers import ManufacturerProductSerializer, ProductSerializer
from catalog.models import Product
from catalog.selectors import (
    category_ancestors,
    product_card_row,
    product_detail_visible_to,
    products_in_order,
    products_public,
    products_visible_to,
)
from catalog.services import product_add, product_approve, product_delete, product_edit
from catalog.version import Versions
from core.api import FilterBackend
from core.parsers import FormParser, JSONParser, MultiPartParser

PRODUCT_FIELDS = ("name", "description", "price", "discount_percent", "is_active")

ID_OR_SLUG = OpenApiParameter(
    "id", OpenApiTypes.STR, OpenApiParameter.PATH, description="The product's id (UUID) or slug."
)

# A whole product as JSON or multipart (with image files), and what a change of one answers.
WRITE_REQUEST = {
    "application/json": ProductWriteSerializer,
    "multipart/form-data": ProductWriteSerializer,
}
EDIT_RESPONSES = {
    200: ManufacturerProductSerializer,
    400: docs.error("Invalid input."),
    401: docs.UNAUTHENTICATED,
    403: docs.error("Only manufacturers and staff manage products."),
    404: docs.NOT_FOUND,
    409: docs.error("The stock changed meanwhile (e.g. a sale); reload and retry."),
}

EDIT_SCHEMA = {"parameters": [ID_OR_SLUG], "request": WRITE_REQUEST, "responses": EDIT_RESPONSES}


def render_products(
    products: list[Product], *, request: Request, serializer=ProductSerializer
) -> list[dict]:
    """Products fetched by ``products_in_order`` as JSON (one more query: the ancestors of
    their categories, for ``category.parent``)."""
    ancestors = category_ancestors(categories=[p.category for p in products])
    context = {"request": request, "ancestors": ancestors}
    return serializer(products, many=True, context=context).data


@extend_schema_view(
    list=extend_schema(
        tags=[docs.TAG_CATALOGUE],
        summary="List the catalogue",
        description="Approved, active products in active categories, newest first. Anonymous; "
        "a stale Bearer header is ignored. A page past the end is an empty page (200).",
        examples=[docs.PRODUCT_EXAMPLE],
    ),
    retrieve=extend_schema(
        tags=[docs.TAG_CATALOGUE],
        summary="One product, by id or slug",
        description="Any public product; with a valid token also the manufacturer's own "
        "products (any status), and for staff every product.",
        parameters=[ID_OR_SLUG],
        responses={200: ProductSerializer, 404: docs.NOT_FOUND},
        examples=[docs.PRODUCT_EXAMPLE],
    ),
    create=extend_schema(
        tags=[docs.TAG_MANUFACTURER],
        summary="Add a product (seed: add-product)",
        description="JSON or multipart (with `images` files). Give `stock`, or `variations` "
        "(a list, or the same list as a JSON string). A missing category path is created. "
        "A manufacturer's product is submitted for approval; staff's is approved.",
        request=WRITE_REQUEST,
        responses={
            201: ManufacturerProductSerializer,
            400: docs.error("Invalid input (field lists, `non_field_errors`)."),
            401: docs.UNAUTHENTICATED,
            403: docs.error("Only manufacturers and staff manage products."),
        },
        examples=[
            docs.PRODUCT_WITH_STOCK,
            docs.PRODUCT_WITH_VARIATIONS,
            docs.PRODUCT_EXAMPLE,
            docs.VARIATIONS_BAD_JSON,
            docs.STOCK_OR_VARIATIONS,
        ],
    ),
    update=extend_schema(
        tags=[docs.TAG_MANUFACTURER],
        summary="Replace a product (seed: put-product)",
        description="Like add-product: name, price, category and stock or variations are "
        "required. Variations (or the stock) and images given replace the current ones; stock "
        "changes are written to the stock ledger.",
        **EDIT_SCHEMA,
        examples=[docs.PRODUCT_WITH_VARIATIONS, docs.PRODUCT_EXAMPLE, docs.STOCK_OR_VARIATIONS],
    ),
    partial_update=extend_schema(
        tags=[docs.TAG_MANUFACTURER],
        summary="Change a product (seed: update-product)",
        description="Only the fields given change; variations (or stock) and images given "
        "replace the current ones.",
        **EDIT_SCHEMA,
        examples=[docs.PRODUCT_PATCH, docs.PRODUCT_EXAMPLE, docs.VARIATIONS_BAD_JSON],
    ),
    destroy=extend_schema(
        tags=[docs.TAG_MANUFACTURER],
        summary="Delete a product (seed: delete-product)",
        parameters=[ID_OR_SLUG],
        responses={
            204: None,
            401: docs.UNAUTHENTICATED,
            403: docs.error("Only manufacturers and staff manage products."),
            404: docs.NOT_FOUND,
        },
    ),
)
class ProductViewSet(
    LenientReadsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = ProductSerializer
    pagination_class = CatalogPagination
    filter_backends = [FilterBackend]
    filterset_class = ProductFilter
    lookup_value_regex = r"[^/]+"
    queryset = Product.objects.none()  # schema generation reads the model from here

    def get_permissions(self):
        if self.action in ("list", "retrieve", None):
            return [AllowAny()]
        if self.action == "approve":
            return [IsStaff()]
        return [IsManufacturerOrStaff()]

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return ProductWriteSerializer
        return ProductSerializer

    def get_queryset(self) -> QuerySet[Product]:
        if getattr(self, "swagger_fake_view", False):
            return Product.objects.none()
        if self.action == "list":
            return products_public().order_by(*PRODUCT_DEFAULT_ORDERING)
        if self.action == "retrieve":
            return product_detail_visible_to(user=self.request.user)
        return products_visible_to(user=self.request.user)

    def _looked_up(self, queryset: QuerySet[Product]) -> QuerySet[Product]:
        """``queryset`` narrowed to the product the URL names: by slug, or by id (a UUID) or
        slug in the id's place."""
        if "slug" in self.kwargs:
            return queryset.filter(slug=self.kwargs["slug"])
        key = self.kwargs["pk"]
        if "\x00" in key:  # PostgreSQL cannot compare text with NUL
            return queryset.none()
        try:
            return queryset.filter(pk=uuid.UUID(key))
        except ValueError:
            return queryset.filter(slug=key)

    def get_object(self) -> Product:
        return get_object_or_404(self._looked_up(self.get_queryset()))

    def _detail_data(self) -> dict:
        if not self.request.user.is_authenticated:  # public products only: no scope to build
            data = public_detail(self.request, self.kwargs)
            if data is None:
                raise Http404
            return data
        # The lookup within the reader's scope fetches the row the card renders (one query).
        row = product_card_row(self._looked_up(self.get_queryset()))
        if row is None:
            raise Http404
        return cards_of_rows([row], request=self.request)[0]

    def _one(self, product: Product, *, serializer=ProductSerializer, status_code=200):
        [fresh] = products_in_order(ids=[product.pk])
        data = render_products([fresh], request=self.request, serializer=serializer)[0]
        return Response(data, status=status_code)

    # -- reads --

    def list(self, request: Request, *args, **kwargs) -> Response:
        # The same for every reader (public products only): cached and conditional for all.
        return catalogue_read(request, build=self._list_data, shared=True)

    def _list_data(self, versions: Versions) -> dict:
        # The storefront's filters read without building a FilterSet (catalog.api.pages).
        data = listing_page(self.request, versions=versions, paginator=self.paginator)
        if data is not None:
            return data
        queryset = self.filter_queryset(self.get_queryset())
        ids = queryset.values_list("pk", flat=True)
        key = count_cache_key(self.request, version=versions.listing)
        count = count_cached(key, ids.count)
        deep = deep_page_reader(ids, self.request, versions=versions, stable=LISTING_STABLE)
        ids = self.paginator.paginate_queryset(ids, self.request, view=self, count=count,
                                               read=deep)
        return self.get_paginated_response(product_cards(list(ids), request=self.request)).data

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        # A signed-in owner or staff may see more than the public: only anonymous reads share.
        return catalogue_read(
            request,
            build=lambda version: self._detail_data(),
            shared=not request.user.is_authenticated,
        )

    # -- writes --

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ProductWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        # The owner follows catalog.approval: a manufacturer's own, or the one staff name.
        product = product_add(
            manufacturer=data.pop("manufacturer", None),
            actor=request.user,
            category=data.pop("category"),
            name=data.pop("name"),
            price=data.pop("price"),
            stock=data.pop("stock", None),
            variations=data.pop("variations", None),
            images=data.pop("images", ()),
            **{field: data[field] for field in PRODUCT_FIELDS if field in data},
        )
        return self._one(
            product, serializer=ManufacturerProductSerializer, status_code=status.HTTP_201_CREATED
        )

    def update(self, request: Request, *args, **kwargs) -> Response:
        partial = kwargs.pop("partial", False)
        product = self.get_object()
        serializer = ProductWriteSerializer(
            instance=product, data=request.data, partial=partial, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        changes = {field: data[field] for field in PRODUCT_FIELDS if field in data}
        if request.user.is_staff and "manufacturer" in data:
            changes["manufacturer"] = data["manufacturer"]
        product = product_edit(
            product=product,
            actor=request.user,
            changes=changes,
            category=data.get("category"),
            stock=data.get("stock"),
            variations=data.get("variations"),
            images=data.get("images"),
            require_stock=not partial,
        )
        return self._one(product, serializer=ManufacturerProductSerializer)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        product_delete(product=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=[docs.TAG_MANUFACTURER],
        summary="Approve a product (staff)",
        parameters=[ID_OR_SLUG],
        request=None,
        responses={
            200: ManufacturerProductSerializer,
            401: docs.UNAUTHENTICATED,
            403: docs.error("Staff only."),
            404: docs.NOT_FOUND,
            409: docs.error("Its status does not allow approval (e.g. already approved)."),
        },
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, *args, **kwargs) -> Response:
        product = product_approve(product=self.get_object(), actor=request.user)
        return self._one(product, serializer=ManufacturerProductSerializer)
