"""Forms of the category admin and the category select every catalogue form uses (the
product admin's forms are in ``catalog.admin.products.forms``). They validate; the services
write."""

from django import forms
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    UnfoldAdminSelectWidget,
)

from catalog.models import Category
from catalog.selectors import category_labels
from catalog.services import MOVE_POSITIONS, CatalogError, category_check_name


class CategoryPathChoiceField(forms.ModelChoiceField):
    """A category select whose options read "Electronics > Phones > Android"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Category.objects.order_by("path"))
        kwargs.setdefault("widget", UnfoldAdminSelectWidget)
        super().__init__(*args, **kwargs)
        self._labels: dict[int, str] | None = None

    def label_from_instance(self, obj: Category) -> str:
        if self._labels is None:
            self._labels = category_labels()
        return self._labels.get(obj.pk, obj.name)


POSITION_CHOICES = [
    ("last-child", _("Last child of")),
    ("first-child", _("First child of")),
    ("left", _("Before (same level as)")),
    ("right", _("After (same level as)")),
]
assert {value for value, _label in POSITION_CHOICES} == MOVE_POSITIONS


class CategoryAdminForm(forms.ModelForm):
    parent = CategoryPathChoiceField(
        required=False,
        label=_("Parent"),
        help_text=_("Leave empty for a top-level category."),
    )
    move_target = CategoryPathChoiceField(
        required=False,
        label=_("Move"),
        help_text=_("Pick a category to move this one (with its sub-categories) next to."),
    )
    move_position = forms.ChoiceField(
        choices=POSITION_CHOICES,
        required=False,
        initial="last-child",
        label=_("Position"),
        widget=UnfoldAdminSelectWidget,
    )

    class Meta:
        model = Category
        fields = ["name", "slug", "description", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to make one from the name.")
        if self.instance.pk:
            # A category cannot move into its own subtree: offer only the rest of the tree.
            self.fields["move_target"].queryset = Category.objects.exclude(
                path__startswith=self.instance.path
            ).order_by("path")

    def clean(self):
        data = super().clean()
        name = (data.get("name") or "").strip()
        if not name:
            return data
        if self.instance.pk is None:
            parent = data.get("parent")
        elif data.get("move_target"):
            target = data["move_target"]
            parent = target if data.get("move_position", "").endswith("child") else Category.objects.get_parent(target)
        else:
            parent = Category.objects.get_parent(self.instance)
        try:
            category_check_name(name=name, parent=parent, exclude_pk=self.instance.pk)
        except CatalogError as exc:
            self.add_error("name", exc.messages[0])
        return data

    def _post_clean(self):
        # The tree fields (path, depth) are set by the service, not by this form.
        self.instance.depth = self.instance.depth or 1
        self.instance.path = self.instance.path or "0000"
        super()._post_clean()

    def validate_unique(self):
        # Slug uniqueness is checked below with a clear message; treebeard's path is not ours.
        slug = self.cleaned_data.get("slug")
        if slug and Category.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            self.add_error("slug", _("Another category already uses this slug."))
