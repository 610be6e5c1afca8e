"""What every admin list shares: unfold's list tags made to do their fixed work once.

A list page of 50 or 100 rows spent most of its time in three renders unfold 0.91 repeats
for every row, each through the template engine:

- the column headers (each cell carries its column's name for the narrow-screen layout), and
  with them the "select all" checkbox: built again for every row. They are the same for every
  row of one list: ``result_headers_once`` keeps them on the list (the request's
  ``ChangeList``) after the first row;
- the row's checkbox: the same markup but for the row's id. ``RowCheckbox`` renders it once
  per language with a stand-in id and puts each row's id in its place;
- the badges (``@display(label=...)``): the same few words in the same few colours on every
  page. ``label_once`` keeps each badge's markup (per text, colour map and language).

Each keeps unfold's own template output: the page is the same, byte for byte, as without them
(``backoffice/tests/test_changelist.py`` renders both ways). ``install()`` runs at start-up.
"""

from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from unfold import admin as unfold_admin
from unfold.templatetags import unfold_list

_result_headers = unfold_list.result_headers
_display_for_label = unfold_list.display_for_label

#: A page's badges are a few dozen texts; past this many kept, the store starts again.
LABELS_KEPT = 2000
_labels: dict = {}


def result_headers_once(cl):
    headers = cl.__dict__.get("_headers_once")
    if headers is None:
        headers = cl.__dict__["_headers_once"] = list(_result_headers(cl))
    return iter(headers)


def _plain(value):
    """``value`` as a key: lazy texts as text; None when it cannot be one."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, tuple):
        parts = tuple(_plain(part) for part in value)
        return None if None in parts else parts
    if isinstance(value, str | int):
        return value
    return None


def label_once(value, empty_value_display, label):
    key = _plain(value)
    if key is None or not isinstance(label, dict | bool | str):
        return _display_for_label(value, empty_value_display, label)
    key = (key, id(label), get_language())
    kept = _labels.get(key)
    # The colour map is held with its markup, so its id cannot be another map's meanwhile.
    if kept is None or kept[0] is not label:
        if len(_labels) >= LABELS_KEPT:
            _labels.clear()
        kept = _labels[key] = (label, _display_for_label(value, empty_value_display, label))
    return kept[1]


class RowCheckbox(type(unfold_admin.checkbox)):
    """unfold's row checkbox, rendered once per name and language; each row's id replaces a
    stand-in in that markup (the id is the only thing that differs from row to row)."""

    STAND_IN = "martaf-row-id-7f3a"

    def __init__(self, widget):
        super().__init__()
        self.original = widget
        self.attrs = widget.attrs
        self.check_test = widget.check_test
        self._kept: dict = {}

    def render(self, name, value, attrs=None, renderer=None):
        if attrs is not None or renderer is not None:
            return super().render(name, value, attrs, renderer)
        key = (name, get_language())
        markup = self._kept.get(key)
        if markup is None:
            markup = super().render(name, self.STAND_IN, None, None)
            if markup.count(self.STAND_IN) != 1:  # never seen: fall back to the full render
                return super().render(name, value, attrs, renderer)
            self._kept[key] = markup
        return mark_safe(markup.replace(self.STAND_IN, conditional_escape(str(value))))  # noqa: S308


def install() -> None:
    """Put the three into unfold's list tags and admin (idempotent)."""
    unfold_list.result_headers = result_headers_once
    unfold_list.display_for_label = label_once
    if not isinstance(unfold_admin.checkbox, RowCheckbox):
        unfold_admin.checkbox = RowCheckbox(unfold_admin.checkbox)
