"""Writes of the category tree (django-treebeard, materialised path)."""

from django.db import transaction
from django.utils.text import slugify

from catalog.errors import CatalogError, CatalogErrorCode
from catalog.models import Category, Product
from catalog.selectors import category_subtree


def _first_free(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def slug_base(text: str, *, max_length: int) -> str:
    return (slugify(text) or "item")[: max_length - 8].strip("-") or "item"


def unique_slug(model, text: str, *, max_length: int, exclude_pk=None, field: str = "slug",
                **scope) -> str:
    """``text`` slugified, with -2, -3 ... added if ``field`` already holds it (within
    ``scope``, e.g. manufacturer_id=...)."""
    base = slug_base(text, max_length=max_length)
    taken = model.objects.filter(**{f"{field}__startswith": base}, **scope)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    return _first_free(base, set(taken.values_list(field, flat=True)))


def _children_of(parent: Category | None):
    if parent is None:
        return Category.objects.filter(depth=1)
    return Category.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)


def category_check_name(*, name: str, parent: Category | None, exclude_pk=None) -> None:
    siblings = _children_of(parent).filter(name__iexact=name)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        where = f"“{parent.name}”" if parent else "the top level"
        raise CatalogError(
            f"A category named “{name}” already exists in {where}.",
            code=CatalogErrorCode.CATEGORY_NAME_TAKEN,
            field="name",
        )


@transaction.atomic
def category_create(
    *,
    name: str,
    parent: Category | None = None,
    description: str = "",
    is_active: bool = True,
    slug: str = "",
) -> Category:
    name = name.strip()
    category_check_name(name=name, parent=parent)
    fields = {
        "name": name,
        "description": description,
        "is_active": is_active,
        "slug": slug or unique_slug(Category, name, max_length=140),
    }
    if parent is None:
        return Category.objects.add_root(fields)
    # treebeard needs the parent's current numchild, which a stale instance may not have.
    return Category.objects.add_child(Category.objects.get(pk=parent.pk), fields)


@transaction.atomic
def category_update(
    *,
    category: Category,
    name: str,
    description: str,
    is_active: bool,
    slug: str = "",
) -> Category:
    name = name.strip()
    category_check_name(
        name=name, parent=Category.objects.get_parent(category), exclude_pk=category.pk
    )
    category.name = name
    category.description = description
    category.is_active = is_active
    category.slug = slug or category.slug or unique_slug(
        Category, name, max_length=140, exclude_pk=category.pk
    )
    category.save(update_fields=["name", "description", "is_active", "slug"])
    return category


MOVE_POSITIONS = {"first-child", "last-child", "left", "right"}


@transaction.atomic
def category_move(*, category: Category, target: Category | None, position: str) -> Category:
    """Move a category (with its subtree) as a child of ``target`` or beside it.

    ``target=None`` makes it the last top-level category.
    """
    category = Category.objects.get(pk=category.pk)
    if target is None:
        last_root = Category.objects.get_last_root_node()
        if last_root.pk != category.pk:
            category_check_name(name=category.name, parent=None, exclude_pk=category.pk)
            Category.objects.move(category, last_root, "last-sibling")
        return Category.objects.get(pk=category.pk)
    if position not in MOVE_POSITIONS:
        raise CatalogError(
            f"Unknown position “{position}”.", code=CatalogErrorCode.CATEGORY_INVALID_MOVE
        )
    target = Category.objects.get(pk=target.pk)
    if target.path.startswith(category.path):
        raise CatalogError(
            "A category cannot be moved into itself or one of its sub-categories.",
            code=CatalogErrorCode.CATEGORY_INVALID_MOVE,
        )
    new_parent = target if position.endswith("child") else Category.objects.get_parent(target)
    current_parent = Category.objects.get_parent(category)
    if (new_parent and new_parent.pk) != (current_parent and current_parent.pk):
        category_check_name(name=category.name, parent=new_parent, exclude_pk=category.pk)
    Category.objects.move(category, target, position)
    return Category.objects.get(pk=category.pk)


@transaction.atomic
def category_delete(*, category: Category) -> None:
    """Delete a category and its sub-categories, refused while any product is in them."""
    in_use = Product.objects.filter(category__path__startswith=category.path).count()
    if in_use:
        noun = "product is" if in_use == 1 else "products are"
        raise CatalogError(
            f"“{category.name}” cannot be deleted: {in_use} {noun} in it or its "
            f"sub-categories. Move them to another category first.",
            code=CatalogErrorCode.CATEGORY_HAS_PRODUCTS,
        )
    category_subtree(category=category).delete()


def category_get_or_create_path(
    *, names: list[str], cache: dict[tuple[str, ...], Category] | None = None
) -> Category:
    """The category at the end of ``names`` (root first), creating missing levels.

    Names match case-insensitively among siblings. ``cache`` (path tuple -> Category) lets a
    caller creating many products resolve each path once.
    """
    cleaned = [n.strip() for n in names]
    if not cleaned or any(not n for n in cleaned):
        raise CatalogError(
            "A category path needs a name at every level, e.g. “Electronics > Phones”.",
            code=CatalogErrorCode.CATEGORY_PATH_INVALID,
            field="category",
        )
    parent: Category | None = None
    for depth in range(1, len(cleaned) + 1):
        key = tuple(n.lower() for n in cleaned[:depth])
        if cache is not None and key in cache:
            parent = cache[key]
            continue
        name = cleaned[depth - 1]
        node = _children_of(parent).filter(name__iexact=name).first()
        if node is None:
            node = category_create(name=name, parent=parent)
        if cache is not None:
            cache[key] = node
        parent = node
    return parent
