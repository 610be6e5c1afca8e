"""Actions of the product list that apps above the catalogue own.

The product list has "Import" and "Export catalogue" buttons and an "Export selected (CSV)"
action, but catalogue files belong to the ``imports`` app, above the catalogue, which the
catalogue must not import. So the product admin (``ProductAdmin``, not the approval queue)
takes such actions from this registry: an app registers them in its ``AppConfig.ready()``,
before the admin's URLs are first built, and the list shows them after its own, in the order
registered.

Each action is an unfold action (``unfold.decorators.action``) written as a function of the
model admin:

- ``listed``: a button over the list, ``(model_admin, request)``, reached at
  ``admin:catalog_product_<function name>`` (unfold's ``actions_list``);
- ``selected``: an action on the rows ticked in the list, ``(model_admin, request, queryset)``,
  the queryset being the admin's, already scoped (Django's ``actions``);
- ``permissions``: the ``has_<name>_permission(model_admin, request, obj=None)`` checks that
  the actions name (``permissions=["<name>"]``) beyond the admin's own (``"view"`` ...).
"""

from collections.abc import Callable, Iterable

_LISTED: dict[str, Callable] = {}
_SELECTED: dict[str, Callable] = {}
_PERMISSIONS: dict[str, Callable] = {}


def _by_name(functions: Iterable[Callable]) -> dict[str, Callable]:
    return {function.__name__: function for function in functions}


def product_actions_register(
    *,
    listed: Iterable[Callable] = (),
    selected: Iterable[Callable] = (),
    permissions: Iterable[Callable] = (),
) -> None:
    """Add these actions (and the permission checks they ask for) to the product list;
    registering a name again replaces it."""
    _LISTED.update(_by_name(listed))
    _SELECTED.update(_by_name(selected))
    _PERMISSIONS.update(_by_name(permissions))


def product_listed_actions() -> list[str]:
    """The names of the registered buttons over the list, in the order registered."""
    return list(_LISTED)


def product_selected_actions() -> list[Callable]:
    """The registered actions on the selected rows, in the order registered."""
    return list(_SELECTED.values())


def product_admin_method(name: str) -> Callable | None:
    """The registered button or permission check called ``name`` (an attribute of the product
    admin for unfold), or None."""
    return _LISTED.get(name) or _PERMISSIONS.get(name)
