"""Categories: the storefront's flat list with children, and staff's create / update / delete.

``GET /products/categories-nested/`` and ``GET /api/categories/`` answer every category in one
envelope (``results`` flat, each with ``parent_id`` and ``children``) so a sub-category can be
found by slug among ``results``. The storefront sees active categories; staff (signed in) see
all of them on ``/api/categories/``. Writes are staff only and go through the category
services; deleting a category that holds products (in its subtree) is refused with 409.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from catalog.api import docs
from catalog.api.base import IsStaff, LenientReadsMixin
from catalog.api.inputs import CategoryWriteSerializer
from catalog.api.serializers import CategoryEntrySerializer
from catalog.models import Category
from catalog.selectors import categories_public, category_tree_entries
from catalog.services import category_create, category_delete, category_move, category_update
from core.api import WholeListPagination

STAFF_ONLY = docs.error("Staff only.")


def _entry(category: Category, queryset: QuerySet[Category]) -> dict:
    """One category with its parent's id and its children (from ``queryset``)."""
    parent_path = category.path[: -Category.steplen]
    family = queryset.filter(
        path__startswith=category.path, depth=category.depth + 1
    ) | queryset.filter(pk=category.pk)
    entries = {c.pk: c for c in category_tree_entries(queryset=family)}
    entry = entries[category.pk]
    parent = Category.objects.filter(path=parent_path).first() if parent_path else None
    entry.parent_id = parent.pk if parent else None
    return CategoryEntrySerializer(entry).data


_WRITE_ERRORS = {
    400: docs.error("Invalid input (e.g. the name is taken among its siblings)."),
    401: docs.UNAUTHENTICATED,
    403: STAFF_ONLY,
}


@extend_schema_view(
    list=extend_schema(
        summary="Every category, flat, with children",
        description="One page: `results` holds every category (active ones; staff see "
        "all), `next` and `previous` are null.",
    ),
    retrieve=extend_schema(
        summary="One category", responses={200: CategoryEntrySerializer, 404: docs.NOT_FOUND}
    ),
    create=extend_schema(
        summary="Create a category (staff)",
        request=CategoryWriteSerializer,
        responses={201: CategoryEntrySerializer, **_WRITE_ERRORS},
        examples=[docs.CATEGORY_CREATE],
    ),
    update=extend_schema(
        summary="Change a category (staff)",
        request=CategoryWriteSerializer,
        responses={200: CategoryEntrySerializer, 404: docs.NOT_FOUND, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a category (staff)",
        description="A new `parent` moves the category with its sub-categories.",
        request=CategoryWriteSerializer,
        responses={200: CategoryEntrySerializer, 404: docs.NOT_FOUND, **_WRITE_ERRORS},
    ),
    destroy=extend_schema(
        summary="Delete a category and its sub-categories (staff)",
        responses={
            204: None,
            401: docs.UNAUTHENTICATED,
            403: STAFF_ONLY,
            404: docs.NOT_FOUND,
            409: docs.error("Products are in it or its sub-categories."),
        },
        examples=[docs.CATEGORY_IN_USE],
    ),
)
@extend_schema(tags=[docs.TAG_CATEGORIES])
class CategoryViewSet(LenientReadsMixin, viewsets.ModelViewSet):
    serializer_class = CategoryEntrySerializer
    pagination_class = WholeListPagination
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    queryset = Category.objects.none()
    #: True on the storefront's route: active categories whoever asks.
    public_only = False

    def get_permissions(self):
        if self.action in ("list", "retrieve", None):
            return [AllowAny()]
        return [IsStaff()]

    def get_queryset(self) -> QuerySet[Category]:
        if getattr(self, "swagger_fake_view", False):
            return Category.objects.none()
        user = self.request.user
        if self.public_only or not (user.is_authenticated and user.is_staff):
            return categories_public()
        return Category.objects.order_by("path")

    def list(self, request: Request, *args, **kwargs) -> Response:
        entries = self.paginate_queryset(category_tree_entries(queryset=self.get_queryset()))
        return self.get_paginated_response(CategoryEntrySerializer(entries, many=True).data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.get_queryset()
        return Response(_entry(get_object_or_404(queryset, pk=kwargs["pk"]), queryset))

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = CategoryWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        category = category_create(
            name=values["name"],
            parent=values.get("parent"),
            description=values.get("description", ""),
            is_active=values.get("is_active", True),
            slug=values.get("slug", ""),
        )
        return Response(_entry(category, self.get_queryset()), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        partial = kwargs.pop("partial", False)
        queryset = self.get_queryset()
        category = get_object_or_404(queryset, pk=kwargs["pk"])
        data = CategoryWriteSerializer(instance=category, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        category = category_update(
            category=category,
            name=values.get("name", category.name),
            description=values.get("description", category.description),
            is_active=values.get("is_active", category.is_active),
            slug=values.get("slug") or category.slug,
        )
        if "parent" in values:
            current = Category.objects.get_parent(category) if category.depth > 1 else None
            target = values["parent"]
            if (target and target.pk) != (current and current.pk):
                category = category_move(category=category, target=target, position="last-child")
        return Response(_entry(category, queryset))

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        category = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        category_delete(category=category)
        return Response(status=status.HTTP_204_NO_CONTENT)
