"""Writes of the category tree (django-treebeard, materialised path)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Substr

from catalog.errors import CatalogError, CatalogErrorCode
from catalog.models import Category, Product
from catalog.selectors import category_subtree
from catalog.services.slugs import first_free, slug_base, unique_slug
from catalog.version import catalogue_changed


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
    catalogue_changed()
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
    catalogue_changed()
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
    catalogue_changed()
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
    catalogue_changed()
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
    """The category at the end of ``names`` (root first), creating missing levels
    (``category_paths_ensure``). ``cache`` (lower-cased path tuple -> Category) lets a caller
    creating many products resolve each path once."""
    key = _path_key(names)
    if cache is not None and key in cache:
        return cache[key]
    category = Category.objects.get(pk=category_paths_ensure(paths=[names])[key])
    if cache is not None:
        cache[key] = category
    return category


def _path_key(names) -> tuple[str, ...]:
    cleaned = tuple(n.strip() for n in names)
    if not cleaned or any(not n for n in cleaned):
        raise CatalogError(
            "A category path needs a name at every level, e.g. “Electronics > Phones”.",
            code=CatalogErrorCode.CATEGORY_PATH_INVALID,
            field="category",
        )
    return tuple(n.lower() for n in cleaned)


@dataclass(slots=True)
class _Node:
    pk: int | None
    path: str
    numchild: int
    last_step: int = 0  # the highest step among its children (0: none yet)


@transaction.atomic
def category_paths_ensure(*, paths: Iterable[Sequence[str]]) -> dict[tuple[str, ...], int]:
    """The category id of every path in ``paths`` (names root first), keyed by the lower-cased
    path tuple; the missing levels are created, all of them in a few statements.

    The rules of one ``category_create`` hold: names match case-insensitively among siblings, a
    new node is its parent's last child, its slug is the name's with -2, -3 ... when taken. The
    materialised paths, depths and child counts of the new nodes are computed here in one pass
    and bulk-inserted (treebeard's ``add_child`` costs about 12 queries a node). Reads: one query
    per level for the siblings that can match, one for the slugs when nodes are created.
    """
    catalogue_changed()
    names_of: dict[tuple[str, ...], tuple[str, ...]] = {}
    for names in paths:
        key = _path_key(names)
        for depth in range(1, len(key) + 1):
            names_of.setdefault(key[:depth], tuple(n.strip() for n in names[:depth]))
    nodes = _load_levels(names_of)
    missing = [key for key in names_of if key not in nodes]  # parents before children
    if missing:
        _create_nodes(missing, names_of, nodes)
    return {key: nodes[key].pk for key in names_of}


def _load_levels(names_of: dict) -> dict[tuple[str, ...], _Node]:
    """The existing nodes on the wanted paths, one query per level: the children of the nodes
    found at the level above (by the first ``steplen * depth`` characters of their path)."""
    top = _Node(pk=None, path="", numchild=0)  # above the roots
    nodes: dict[tuple[str, ...], _Node] = {(): top}
    steplen = Category.steplen
    parents = {(): top}
    for depth in range(1, max((len(k) for k in names_of), default=0) + 1):
        level = Category.objects.filter(depth=depth)
        if depth > 1:
            known = {p.path: key for key, p in parents.items()}
            level = level.annotate(
                parent_path=Substr("path", 1, steplen * (depth - 1))
            ).filter(parent_path__in=list(known))
        else:
            known = {"": ()}
        found = {}
        for pk, path, numchild, name in level.order_by("path").values_list(
            "pk", "path", "numchild", "name"
        ):
            parent_key = known[path[: steplen * (depth - 1)]]
            parent = parents[parent_key]
            parent.last_step = max(parent.last_step, Category._str2int(path[-steplen:]))
            key = (*parent_key, name.strip().lower())
            if key in names_of and key not in found:  # the first by path, as a lookup would
                found[key] = _Node(pk=pk, path=path, numchild=numchild)
        nodes.update(found)
        parents = {key: node for key, node in found.items() if len(key) == depth}
        if not parents:
            break
    return nodes


def _create_nodes(missing: list, names_of: dict, nodes: dict) -> None:
    taken = set(Category.objects.values_list("slug", flat=True))
    existing_parents: dict[int, int] = {}  # pk -> children added
    created = []
    for key in missing:
        parent = nodes[key[:-1]]
        parent.last_step += 1
        step = Category._int2str(parent.last_step)
        if len(step) > Category.steplen:
            raise CatalogError(
                f"“{names_of[key[:-1]][-1] if key[:-1] else 'The top level'}” has too many "
                "sub-categories.", code=CatalogErrorCode.CATEGORY_PATH_INVALID, field="category",
            )
        path = Category._get_path(parent.path, len(key), parent.last_step)
        name = names_of[key][-1]
        slug = first_free(slug_base(name, max_length=140), taken)
        taken.add(slug)
        if parent.pk is not None:  # an existing node: its numchild is updated below
            existing_parents[parent.pk] = existing_parents.get(parent.pk, 0) + 1
        node = _Node(pk=None, path=path, numchild=0)
        parent.numchild += 1
        nodes[key] = node
        created.append((node, Category(path=path, depth=len(key), numchild=0, name=name,
                                       slug=slug, description="", is_active=True)))
    for node, category in created:
        category.numchild = node.numchild
    Category.objects.bulk_create([c for _, c in created], batch_size=500)
    for node, category in created:
        node.pk = category.pk
    by_delta: dict[int, list[int]] = {}
    for pk, added in existing_parents.items():
        by_delta.setdefault(added, []).append(pk)
    for added, pks in by_delta.items():
        Category.objects.filter(pk__in=pks).update(numchild=F("numchild") + added)
