"""ModelAdmin plumbing shared by every app's admin.

- ``ScopedAdminMixin``: every path of a vendor-owned model goes through the model's selector:
  the changelist, the change/delete/history pages by direct URL (Django fetches the object
  through ``get_queryset``), the object permissions (also called by unfold's detail actions with
  an object id), and detail actions (``get_scoped_or_403``).
- ``ReadOnlyAdminMixin`` / ``HistoryInlineMixin``: records nobody edits here.
- ``htmx_redirect``, ``report_done_skipped``: what every dialog action and bulk action answers.
- ``bulk_action_page``: the confirmation page of a bulk action that asks for a reason.
- ``Dialog`` / ``dialog_action``: an unfold detail or row action confirmed in a dialog (it runs
  only on the dialog's POST, with its CSRF token), declared in one line.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.decorators import action, display

from core.money import money_format


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

    def get_scoped_or_403(self, request: HttpRequest, object_id) -> Model:
        """The object of a detail action, if this user may see it; else 403 (also for an id
        that is no id at all: the URL takes any path there)."""
        try:
            obj = self.get_queryset(request).filter(pk=object_id).first()
        except (ValueError, TypeError, ValidationError, OverflowError):
            raise PermissionDenied from None
        if obj is None:
            raise PermissionDenied
        return obj

    def change_url(self, object_id) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)


class ReadOnlyAdminMixin:
    """Nothing is added, changed or deleted here (records, ledgers, histories)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryInlineMixin(ReadOnlyAdminMixin):
    """A read-only history tab (stock ledger, status changes) on an already scoped object's
    page, shown whether or not the user holds the history model's own permissions."""

    extra = 0
    max_num = 0
    can_delete = False
    tab = True

    def by(self, obj) -> str:
        # A name, not a link: manufacturers cannot open user pages.
        return obj.actor.display_name if obj.actor else _("System")

    by.short_description = _("By")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_view_permission(self, request, obj=None):
        # Inlines have no URL of their own: they render only inside the parent's page, which
        # its admin has already scoped (Django also asks this without an object).
        return True


def htmx_redirect(url: str) -> HttpResponse:
    """What an unfold dialog action answers: the browser goes to ``url``."""
    return HttpResponse(headers={"HX-Redirect": url})


def report_done_skipped(
    request: HttpRequest,
    *,
    done: int,
    skipped: Sequence[tuple[object, str]] | int,
    noun: tuple[str, str],
    verb: str,
    why: str = "",
) -> None:
    """ "3 products approved." and "1 product skipped: <why>" after a bulk action.

    ``noun`` is (singular, plural); ``skipped`` is a count, or (object, reason) pairs whose
    first reason is shown when ``why`` is not given.
    """
    if done:
        messages.success(
            request,
            ngettext("%(n)d %(one)s %(verb)s.", "%(n)d %(many)s %(verb)s.", done)
            % {"n": done, "one": noun[0], "many": noun[1], "verb": verb},
        )
    count = skipped if isinstance(skipped, int) else len(skipped)
    if count:
        reason = why or (skipped[0][1] if not isinstance(skipped, int) else "")
        messages.warning(
            request,
            ngettext("%(n)d %(one)s skipped: %(why)s", "%(n)d %(many)s skipped: %(why)s", count)
            % {"n": count, "one": noun[0], "many": noun[1], "why": reason},
        )


def bulk_action_page(
    modeladmin,
    request: HttpRequest,
    *,
    template: str,
    title: str,
    form,
    objects,
    action_name: str,
    **extra,
) -> TemplateResponse:
    """The page a bulk action shows to ask for its reason (``templates/admin/bulk_reason.html``
    is the page's frame): it posts the same action and selection back with the form."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "objects": objects,
        "form": form,
        "action_name": action_name,
        "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        **extra,
    }
    return TemplateResponse(request, template, context)


@dataclass(frozen=True)
class Dialog:
    """What an action's confirmation dialog says, and the form it asks for (if any)."""

    title: str
    description: str
    submit: str
    form_class: type | None = None

    def as_unfold(self) -> dict:
        options = {
            "title": self.title,
            "description": self.description,
            "form_submit_text": self.submit,
        }
        if self.form_class is not None:
            options["form_class"] = self.form_class
        return options


def dialog_action(description: str, icon: str, url_path: str, permission: str, dialog: Dialog):
    """unfold's ``@action`` for a detail or row action confirmed in ``dialog``; the method then
    takes ``(self, request, form, object_id)`` and answers with ``htmx_redirect``."""
    return action(
        description=description,
        icon=icon,
        url_path=url_path,
        permissions=[permission],
        dialog=dialog.as_unfold(),
    )


def money_display(field: str, description) -> Callable:
    """A read-only admin field showing the amount ``field`` with its currency ("₦1,500.00"), for
    detail pages whose amounts would otherwise show as bare numbers."""

    @display(description=description)
    def show(self, obj) -> str:
        return money_format(getattr(obj, field))

    return show
