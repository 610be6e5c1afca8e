"""ModelAdmin plumbing for vendor-owned models: every path goes through the model's selector.

The changelist, the change/delete/history pages by direct URL (Django fetches the object
through ``get_queryset``), the object permissions (also called by unfold's detail actions with
an object id), and anything else that asks ``has_*_permission(request, obj)``.
"""

from collections.abc import Callable

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class ScopedAdminMixin:
    #: ``selector(*, user) -> QuerySet``: what this user may see of the model.
    scope_selector: Callable[..., QuerySet]

    def scoped_queryset(self, request: HttpRequest) -> QuerySet:
        return type(self).scope_selector(user=request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = self.scoped_queryset(request)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def in_scope(self, request: HttpRequest, obj: Model | str | None) -> bool:
        """True for "no object", else whether the object (or its id) is within the scope."""
        if obj is None:
            return True
        pk = obj.pk if isinstance(obj, Model) else obj
        cache = request.__dict__.setdefault("_admin_scope_cache", {})
        key = (self.model._meta.label, str(pk))
        if key not in cache:
            cache[key] = self.scoped_queryset(request).filter(pk=pk).exists()
        return cache[key]

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)


class HistoryInlineMixin:
    """A read-only history tab (stock ledger, status changes) on an already scoped object's
    page, shown whether or not the user holds the history model's own permissions."""

    def by(self, obj) -> str:
        # A name, not a link: manufacturers cannot open user pages.
        return obj.actor.display_name if obj.actor else _("System")

    by.short_description = _("By")

    def has_view_permission(self, request, obj=None):
        # Inlines have no URL of their own: they render only inside the parent's page, which
        # its admin has already scoped (Django also asks this without an object).
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
