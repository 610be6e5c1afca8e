"""The category tree."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from catalog import limits


class Category(MP_Node):
    """A node of the unlimited-depth category tree (materialised path: a subtree is one query)."""

    name = models.CharField(_("name"), max_length=limits.CATEGORY_NAME_MAX)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    steplen = 4  # up to 1.6M siblings per level; depth is unlimited in practice
    node_order_by: list[str] = []  # siblings keep the order staff give them

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["path"]
        indexes = [
            # The few switched-off categories, for "hidden below an inactive ancestor"
            # (catalog.selectors.categories_hidden) without scanning the whole tree per node.
            models.Index(
                fields=["path"], name="catalog_category_inactive", condition=Q(is_active=False)
            ),
        ]

    def __str__(self) -> str:
        return self.name
