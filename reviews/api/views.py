"""Product reviews, on the three URL styles the seeds use.

- ``/products/reviews/?product_id=&review_id=&rating=`` (seed one, query parameters): GET one
  review or a product's reviews, POST (``product_id``), PATCH / DELETE (``review_id``); a
  missing id or a bad ``rating`` is a 400.
- ``/products/review-list/<product_id>/reviews/`` (GET, POST) and
  ``/products/reviews-update/<review_id>/`` (GET, PATCH, DELETE): the seed's table.
- ``/api/reviews/`` and ``/api/reviews/{id}/`` (seed two).

Anybody reads published reviews of public products; the author also reads their own review
whatever its status. Writing needs a JWT; only the author edits (others get 403 and nothing
changes) and only staff delete. Pages of 10, ``page_size`` up to 100.
"""

import uuid

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from catalog.api.base import CatalogPagination, IsStaff, LenientReadsMixin
from catalog.api.docs import NOT_FOUND, UNAUTHENTICATED, error
from catalog.models import Product
from catalog.selectors import products_public
from core.api import FilterBackend
from reviews.api import docs
from reviews.api.filters import ReviewFilter
from reviews.api.inputs import ReviewWriteSerializer
from reviews.api.serializers import ReviewSerializer
from reviews.models import Review
from reviews.selectors import reviews_public, reviews_readable_by
from reviews.services import review_create, review_delete, review_update

PRODUCT_ID = OpenApiParameter(
    "product_id", OpenApiTypes.UUID, OpenApiParameter.QUERY, description="The product's id."
)
REVIEW_ID = OpenApiParameter(
    "review_id", OpenApiTypes.INT, OpenApiParameter.QUERY, description="The review's id."
)
PRODUCT_PATH = OpenApiParameter(
    "product_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The product's id."
)
NOT_AUTHOR = error("Only the author edits a review.")
STAFF_ONLY = error("Only staff delete reviews.")


class ReviewPagination(CatalogPagination):
    page_size = 10


def _query_id(request: Request, name: str, parse) -> object | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return parse(raw)
    except ValueError:
        raise ValidationError({name: [f"“{raw}” is not a valid {name}."]}) from None


_READ_ERRORS = {404: NOT_FOUND}
_WRITE_ERRORS = {
    400: error("Invalid input: rating outside 1-5, a second review of the product ..."),
    401: UNAUTHENTICATED,
}
_CREATE = extend_schema(
    summary="Review a product",
    request=ReviewWriteSerializer,
    responses={201: ReviewSerializer, 404: NOT_FOUND, **_WRITE_ERRORS},
    examples=[docs.REVIEW_CREATE, docs.REVIEW_EXAMPLE, docs.REVIEW_BAD_RATING],
)
_EDIT = {
    "request": ReviewWriteSerializer,
    "responses": {200: ReviewSerializer, 403: NOT_AUTHOR, 404: NOT_FOUND, **_WRITE_ERRORS},
    "examples": [docs.REVIEW_CREATE, docs.REVIEW_EXAMPLE],
}
_DELETE = {
    "responses": {204: None, 401: UNAUTHENTICATED, 403: STAFF_ONLY, 404: NOT_FOUND}
}


@extend_schema_view(
    list=extend_schema(summary="Published reviews", responses=ReviewSerializer(many=True)),
    retrieve=extend_schema(summary="One review", responses={200: ReviewSerializer, **_READ_ERRORS}),
    create=_CREATE,
    update=extend_schema(summary="Edit your review", **_EDIT),
    partial_update=extend_schema(summary="Edit your review", **_EDIT),
    destroy=extend_schema(summary="Delete a review (staff)", **_DELETE),
)
@extend_schema(tags=[docs.TAG_REVIEWS])
class ReviewViewSet(LenientReadsMixin, viewsets.GenericViewSet):
    serializer_class = ReviewSerializer
    pagination_class = ReviewPagination
    filter_backends = [FilterBackend]
    filterset_class = ReviewFilter
    lookup_value_regex = r"\d+"
    queryset = Review.objects.none()

    def get_permissions(self):
        if self.action in ("list", "retrieve", "product_list", "seed_get", None):
            return [AllowAny()]
        if self.action in ("destroy", "seed_destroy"):
            return [IsStaff()]
        return [IsAuthenticated()]

    def get_queryset(self) -> QuerySet[Review]:
        if getattr(self, "swagger_fake_view", False):
            return Review.objects.none()
        return reviews_public()

    # -- helpers --

    def _public_product(self, product_id) -> Product:
        return get_object_or_404(products_public(), pk=product_id)

    def _readable(self, review_id) -> Review:
        return get_object_or_404(reviews_readable_by(user=self.request.user), pk=review_id)

    def _page(self, queryset: QuerySet[Review]) -> Response:
        page = self.paginate_queryset(self.filter_queryset(queryset))
        return self.get_paginated_response(ReviewSerializer(page, many=True).data)

    def _create(self, request: Request, product_id) -> Response:
        data = ReviewWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product_id = product_id or data.validated_data.get("product")
        if product_id is None:
            raise ValidationError({"product": ["This field is required."]})
        review = review_create(
            product=self._public_product(product_id),
            author=request.user,
            rating=data.validated_data["rating"],
            comment=data.validated_data.get("comment", ""),
        )
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    def _update(self, request: Request, review_id, *, partial: bool) -> Response:
        review = self._readable(review_id)
        data = ReviewWriteSerializer(instance=review, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        review = review_update(
            review=review,
            actor=request.user,
            rating=data.validated_data.get("rating"),
            comment=data.validated_data.get("comment"),
        )
        return Response(ReviewSerializer(review).data)

    def _destroy(self, review_id) -> Response:
        review_delete(review=get_object_or_404(Review.objects.all(), pk=review_id),
                      actor=self.request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # -- /api/reviews/ and /products/reviews-update/<review_id>/ --

    def list(self, request: Request) -> Response:
        return self._page(self.get_queryset())

    def create(self, request: Request) -> Response:
        return self._create(request, None)

    def retrieve(self, request: Request, pk=None, review_id=None) -> Response:
        return Response(ReviewSerializer(self._readable(pk or review_id)).data)

    def update(self, request: Request, pk=None, review_id=None) -> Response:
        return self._update(request, pk or review_id, partial=False)

    def partial_update(self, request: Request, pk=None, review_id=None) -> Response:
        return self._update(request, pk or review_id, partial=True)

    def destroy(self, request: Request, pk=None, review_id=None) -> Response:
        return self._destroy(pk or review_id)

    # -- /products/review-list/<product_id>/reviews/ --

    @extend_schema(
        summary="A product's published reviews",
        parameters=[PRODUCT_PATH],
        responses={200: ReviewSerializer(many=True), **_READ_ERRORS},
    )
    def product_list(self, request: Request, product_id: str) -> Response:
        product = self._public_product(product_id)
        return self._page(self.get_queryset().filter(product=product))

    @extend_schema(
        summary="Review a product",
        parameters=[PRODUCT_PATH],
        request=ReviewWriteSerializer,
        responses={201: ReviewSerializer, 404: NOT_FOUND, **_WRITE_ERRORS},
        examples=[docs.REVIEW_CREATE, docs.REVIEW_EXAMPLE, docs.REVIEW_BAD_RATING],
    )
    def product_create(self, request: Request, product_id: str) -> Response:
        return self._create(request, product_id)

    # -- /products/reviews/?product_id=&review_id= --

    @extend_schema(
        summary="One review (review_id) or a product's reviews (product_id)",
        parameters=[PRODUCT_ID, REVIEW_ID],
        responses={
            200: docs.REVIEW_OR_PAGE,
            400: error("Neither product_id nor review_id, or a bad rating."),
            **_READ_ERRORS,
        },
    )
    def seed_get(self, request: Request) -> Response:
        review_id = _query_id(request, "review_id", int)
        if review_id is not None:
            return Response(ReviewSerializer(self._readable(review_id)).data)
        product_id = _query_id(request, "product_id", uuid.UUID)
        if product_id is None:
            raise ValidationError({"detail": "Give product_id or review_id."})
        return self.product_list(request, product_id)

    @extend_schema(
        summary="Review a product (product_id in the query or `product` in the body)",
        parameters=[PRODUCT_ID],
        request=ReviewWriteSerializer,
        responses={201: ReviewSerializer, 404: NOT_FOUND, **_WRITE_ERRORS},
        examples=[docs.REVIEW_CREATE, docs.REVIEW_EXAMPLE, docs.REVIEW_BAD_RATING],
    )
    def seed_create(self, request: Request) -> Response:
        return self._create(request, _query_id(request, "product_id", uuid.UUID))

    @extend_schema(summary="Edit your review (review_id)", parameters=[REVIEW_ID], **_EDIT)
    def seed_update(self, request: Request) -> Response:
        return self._update(request, self._required_review_id(request), partial=True)

    @extend_schema(
        summary="Delete a review (staff; review_id)", parameters=[REVIEW_ID], **_DELETE
    )
    def seed_destroy(self, request: Request) -> Response:
        return self._destroy(self._required_review_id(request))

    def _required_review_id(self, request: Request) -> int:
        review_id = _query_id(request, "review_id", int)
        if review_id is None:
            raise ValidationError({"review_id": ["This query parameter is required."]})
        return review_id
