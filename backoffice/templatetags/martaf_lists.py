"""``result|martaf_row_cells``: a changelist row's cells, each checkbox named.

unfold (0.91) gives every row's checkbox the same accessible name and its cell the same mobile
label, "Select record": a screen reader hears "Select record" fifty times, and on a phone each
row's card was headed by those words. Here the checkbox is named after its row ("Select
MT-ZY3C8-XAB5Y", the object as the admin names it, as Django's own admin does) and so is its
cell; admin.css heads the card with the row's first column.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _attribute(name: str, value: str) -> str:
    return f'{name}="{escape(value)}"'


@register.filter
def martaf_row_cells(result) -> list:
    cells = list(result)
    if not cells or "action-select" not in cells[0]:
        return cells
    name = str(result.instance)
    first = str(cells[0]).replace(
        _attribute("data-label", _("Select record")), _attribute("data-label", name), 1
    )
    first = first.replace(
        _attribute("aria-label", _("Select record")),
        _attribute("aria-label", _("Select %(name)s") % {"name": name}),
        1,
    )
    # The cell as unfold rendered it (format_html), with two attributes escaped above.
    return [mark_safe(first), *cells[1:]]
