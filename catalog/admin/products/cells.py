"""The product changelist's cells, from unfold's own cell templates rendered once per variant.

unfold renders a template for every header, label and boolean cell: four per row, 200 on a page of
50, about half of the page's server time at 100k products. Here each of those templates is
rendered once per process (per language and variant) with markers where a row's values go, and
every row fills its values in with ``format_html``: the same HTML, escaped as the template would,
at the cost of a string format. A variant is whatever the template branches on (an image or not,
a label's colour); the values themselves are only ever output, never tested.
"""

import functools

from django.contrib.admin import helpers
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from unfold.admin import checkbox

# The product column's picture: a 40 px square thumbnail.
THUMBNAIL = {"squared": True, "width": 40, "height": 40}


def _marker(n: int) -> str:
    return f"MARTAFSLOT{n}X"


def _format_of(html: str, slots: int) -> str:
    """HTML rendered with markers, as a ``format_html`` string with a field per marker."""
    html = html.replace("{", "{{").replace("}", "}}")
    for n in range(slots):
        html = html.replace(_marker(n), "{%d}" % n)
    return html


def _stamp(template: str, context: dict, slots: int) -> str:
    """``template`` rendered with ``context`` (holding markers), as a ``format_html`` string."""
    return _format_of(render_to_string(template, context), slots)


@functools.cache
def _header_format(language: str | None, name: bool, detail: bool, initial: bool, image: bool):
    value = [
        _marker(0) if name else "",
        _marker(1) if detail else "",
        _marker(2) if initial else "",
        {"path": _marker(3), **THUMBNAIL} if image else None,
    ]
    return _stamp("unfold/helpers/display_header.html", {"value": value}, 4)


def header_cell(*, name: str, detail: str, initial: str, image_url: str | None) -> SafeString:
    """unfold's ``display(header=True)`` cell: a title, a line under it, and a thumbnail (or the
    initial in a circle without one)."""
    values = (name, detail, initial, image_url)
    fmt = _header_format(get_language(), *(bool(v) for v in values))
    return format_html(fmt, *(v or "" for v in values))


@functools.cache
def _label_format(language: str | None, label_type: str | None, text: bool) -> str:
    context = {"label": _marker(0) if text else "", "label_type": label_type, "multiple": False}
    return _stamp("unfold/helpers/display_label.html", context, 1)


def label_cell(label_type: str | None, text: str) -> SafeString:
    """unfold's ``display(label=...)`` cell: ``text`` as a badge of colour ``label_type``
    ("success", "warning", "danger", "info"; None: grey)."""
    return format_html(_label_format(get_language(), label_type, bool(text)), text)


@functools.cache
def _boolean_html(language: str | None, value: bool | None) -> str:
    return render_to_string("unfold/helpers/boolean.html", {"value": value})


def boolean_cell(value: bool | None) -> SafeString:
    """unfold's yes/no icon for a boolean field."""
    return mark_safe(_boolean_html(get_language(), value))  # noqa: S308 (unfold's own template)


@functools.cache
def _checkbox_format() -> str:
    return _format_of(checkbox.render(helpers.ACTION_CHECKBOX_NAME, _marker(0)), 1)


def checkbox_cell(pk) -> SafeString:
    """unfold's row checkbox for the bulk actions (its widget template rendered once, not once
    per row)."""
    return format_html(_checkbox_format(), str(pk))
