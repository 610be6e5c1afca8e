"""Imports moved out of the catalogue with their table, rows, content type and permissions
(``catalog.0012_imports_move_out`` and ``imports.0001_initial``): on a database that holds
imports, migrating forward keeps every row and every id, the groups keep their grants, and the
sweeper's schedule names the task where it now lives.

The test migrates its own (test) database back to before the move and forward again
(``core.tests.migrating``).
"""

import pydoc
from importlib import import_module

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_q.models import Schedule

from core.tests.migrating import content_types_and_permissions_made, migrate, state_at
from imports.models import ProductImport
from imports.tasks import product_imports_recover_task

BEFORE_MOVE = ("catalog", "0011_reviews_move_out")
MOVE = ("imports", "0001_initial")
CODENAMES = {
    "view_productimport", "add_productimport", "change_productimport", "delete_productimport",
}
OLD_SWEEPER = "catalog.tasks.product_imports_recover_task"
NEW_SWEEPER = "imports.tasks.product_imports_recover_task"


def _imports_before_the_move(apps) -> dict:
    """A manufacturer and two of their imports (one with errors, one written with image
    addresses), a group holding the import permissions, the Manufacturers group's grants, an
    admin history row and the sweeper's schedule, written through the models as they were
    then."""
    ContentType_ = apps.get_model("contenttypes", "ContentType")
    Permission_ = apps.get_model("auth", "Permission")
    Group_ = apps.get_model("auth", "Group")
    User = apps.get_model("users", "User")
    OldImport = apps.get_model("catalog", "ProductImport")

    maker = User.objects.create(email="maker@move.test", is_manufacturer=True,
                                manufacturer_status="active")
    OldImport.objects.create(
        created_by=maker, manufacturer=maker, file="imports/2026/12/bags.csv",
        original_name="bags.csv", status="previewed", rows_total=3, rows_done=3,
        error_count=1, errors=[{"row": 3, "column": "stock", "message": "“lots” is not a "
                                "whole number."}],
    )
    done = OldImport.objects.create(
        created_by=maker, manufacturer=maker, file="imports/2026/12/bags-fixed.csv",
        original_name="bags-fixed.csv", status="completed", rows_total=3, rows_done=3,
        created_count=3, is_applied=True, attempts=1,
        image_urls={"0b1c2d3e-0000-4000-8000-000000000001": ["https://cdn.example/a.png"]},
        changes=[{"row": 2, "action": "create", "handle": "tote"}], message="3 rows imported.",
    )

    kind = ContentType_.objects.get(app_label="catalog", model="productimport")
    permissions = Permission_.objects.filter(content_type=kind)
    clerks = Group_.objects.create(name="Import clerks")
    clerks.permissions.add(*permissions)
    manufacturers, _ = Group_.objects.get_or_create(name="Manufacturers")  # catalog.0004
    manufacturers.permissions.add(*permissions.filter(
        codename__in=["view_productimport", "add_productimport"]))
    apps.get_model("admin", "LogEntry").objects.create(
        user=maker, content_type=kind, object_id=str(done.pk), object_repr=done.original_name,
        action_flag=1, change_message="Uploaded",
    )
    # What catalog.0006 made (a flush by an earlier transactional test may have taken it).
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        func=OLD_SWEEPER, defaults={"name": "Fail stalled catalogue imports",
                                    "schedule_type": "I", "minutes": 5, "repeats": -1},
    )
    return {
        "imports": list(OldImport.objects.order_by("pk").values()),
        "type": kind.pk,
        "permissions": dict(permissions.values_list("codename", "pk")),
        "done": done.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_imports_move_with_their_rows_content_type_permissions_and_sweeper():
    content_types_and_permissions_made()
    executor = MigrationExecutor(connection)
    try:
        migrate(executor, [BEFORE_MOVE, ("imports", None)])
        state = state_at(executor, BEFORE_MOVE, left_out=("catalog", "imports"))
        before = _imports_before_the_move(state)
        assert set(before["permissions"]) == CODENAMES

        migrate(executor, [MOVE])
        ContentType.objects.clear_cache()

        # The same rows, read through the imports app's model (the image addresses too).
        moved = ProductImport.objects.defer(None).order_by("pk")
        assert list(moved.values()) == before["imports"]
        assert ProductImport.objects.get(pk=before["done"]).manufacturer.email == (
            "maker@move.test")
        # The same content type and permissions (ids kept), now the imports app's.
        assert ContentType.objects.get_for_model(ProductImport).pk == before["type"]
        assert not ContentType.objects.filter(app_label="catalog",
                                              model="productimport").exists()
        assert dict(
            Permission.objects.filter(content_type__app_label="imports")
            .values_list("codename", "pk")
        ) == before["permissions"]
        # The groups still hold them, by the names code asks with; the admin's history stays.
        clerks = Group.objects.get(name="Import clerks")
        assert set(clerks.permissions.values_list("pk", flat=True)) == set(
            before["permissions"].values())
        maker = ProductImport.objects.get(pk=before["done"]).manufacturer
        maker.groups.add(Group.objects.get(name="Manufacturers"))
        assert maker.has_perm("imports.view_productimport")
        assert maker.has_perm("imports.add_productimport")
        entry = LogEntry.objects.get(object_id=str(before["done"]))
        assert entry.content_type_id == before["type"]
        assert entry.get_admin_url() == f"/admin/imports/productimport/{before['done']}/change/"
        # The sweeper runs the task where it lives now.
        sweeper = Schedule.objects.get(name="Fail stalled catalogue imports")
        assert sweeper.func == NEW_SWEEPER
        assert pydoc.locate(sweeper.func) is product_imports_recover_task

        # Backwards: the content type and the schedule go back, with the same ids.
        migrate(executor, [BEFORE_MOVE, ("imports", None)])
        ContentType.objects.clear_cache()
        assert ContentType.objects.get(app_label="catalog", model="productimport").pk == (
            before["type"])
        assert Schedule.objects.get(pk=sweeper.pk).func == OLD_SWEEPER
    finally:
        migrate(executor, executor.loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_moving_again_changes_nothing():
    """The migration's own step run twice (as when a database was moved by hand, or half of
    it), on the current models: the content type, its permissions and the one schedule stay."""
    from django.apps import apps

    move = import_module("imports.migrations.0001_initial")
    kind = ContentType.objects.get_for_model(ProductImport)
    permissions = set(Permission.objects.filter(content_type=kind).values_list("pk", flat=True))
    Schedule.objects.create(func=OLD_SWEEPER, name="A second sweeper", schedule_type="I",
                            minutes=5, repeats=-1)  # beside the moved one

    move.to_imports(apps, None)
    move.to_imports(apps, None)

    assert ContentType.objects.get_for_model(ProductImport).pk == kind.pk
    assert set(Permission.objects.filter(content_type=kind).values_list("pk", flat=True)) == (
        permissions)
    assert list(Schedule.objects.filter(func__endswith=".product_imports_recover_task")
                .values_list("func", flat=True)) == [NEW_SWEEPER]
