"""``result|martaf_row_cells:result_headers``: a changelist row's cells, each checkbox named.

unfold (0.91) gives every row's checkbox the same accessible name and its cell the same mobile
label, "Select record": a screen reader hears "Select record" fifty times, and on a phone each
row's card was headed by those words. Here the checkbox is named after its row ("Select
MT-ZY3C8-XAB5Y", the object as the admin names it, as Django's own admin does) and so is its
cell; admin.css heads the card with the row's first column. A list without actions has no
checkbox, and unfold then gives its first column the label: the column's own name goes back.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _attribute(name: str, value: str) -> str:
    return f'{name}="{escape(value)}"'


@register.filter
def martaf_row_cells(result, headers) -> list:
    cells = [str(cell) for cell in result]
    if not cells:
        return cells
    unfold_label = _attribute("data-label", _("Select record"))
    first = cells[0]
    if "action-select" in first:
        name = str(result.instance)
        first = first.replace(unfold_label, _attribute("data-label", name), 1)
        first = first.replace(
            _attribute("aria-label", _("Select record")),
            _attribute("aria-label", _("Select %(name)s") % {"name": name}),
            1,
        )
    elif headers:
        first = first.replace(unfold_label, _attribute("data-label", str(headers[0]["text"])), 1)
    return [mark_safe(first), *(mark_safe(cell) for cell in cells[1:])]  # noqa: S308 (rendered cells)
