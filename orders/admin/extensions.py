"""Actions of the order admin that apps above orders own.

Cash collected on delivery writes the manufacturers' ledger, which belongs to the ``money``
app, above orders, which orders must not import. So the order admin takes such actions from
this registry: an app registers them in its ``AppConfig.ready()``, before the admin's URLs are
first built, and the order list and page show them after their own, in the order registered.

Each action is an unfold action (``unfold.decorators.action``, or ``core.admin.dialog_action``)
written as a function of the model admin:

- ``detail``: an action on one order's page, ``(model_admin, request, [form,] object_id)``,
  reached at ``admin:orders_order_<function name>`` (unfold's ``actions_detail``);
- ``selected``: an action on the rows ticked in the list, ``(model_admin, request, queryset)``,
  the queryset being the admin's, already scoped (Django's ``actions``);
- ``permissions``: the ``has_<name>_permission(model_admin, request, obj=None)`` checks that
  the actions name (``permissions=["<name>"]``).

``fields``: read-only fields of the order page, ``(model_admin, obj) -> str`` with a
``short_description``, shown in a fieldset of their own (``order_fieldset_register``).
"""

from collections.abc import Callable, Iterable
from types import MethodType

_DETAIL: dict[str, Callable] = {}
_SELECTED: dict[str, Callable] = {}
_PERMISSIONS: dict[str, Callable] = {}


def _by_name(functions: Iterable[Callable]) -> dict[str, Callable]:
    return {function.__name__: function for function in functions}


def order_actions_register(
    *,
    detail: Iterable[Callable] = (),
    selected: Iterable[Callable] = (),
    permissions: Iterable[Callable] = (),
) -> None:
    """Add these actions (and the permission checks they ask for) to the order admin;
    registering a name again replaces it."""
    _DETAIL.update(_by_name(detail))
    _SELECTED.update(_by_name(selected))
    _PERMISSIONS.update(_by_name(permissions))


def order_detail_actions() -> list[str]:
    return list(_DETAIL)


def order_selected_actions() -> list[Callable]:
    return list(_SELECTED.values())


def order_admin_method(name: str) -> Callable | None:
    """The registered detail action or permission check called ``name``, or None."""
    return _DETAIL.get(name) or _PERMISSIONS.get(name)


class ExtensibleOrderAdminMixin:
    """The order admin's actions: its own (``own_actions``, ``own_actions_detail``), then the
    registered ones; unfold finds a registered action's view and permission check as methods
    of the admin, by name."""

    own_actions: list[str] = []
    own_actions_detail: list[str] = []

    @property
    def actions(self):
        return [*self.own_actions, *order_selected_actions()]

    @property
    def actions_detail(self):
        return [*self.own_actions_detail, *order_detail_actions()]

    def __getattr__(self, name: str):
        method = order_admin_method(name)
        if method is None:
            raise AttributeError(name)
        return MethodType(method, self)
