"""Imports moved out of the catalogue with their table, rows, content type and permissions
(``catalog.0012_imports_move_out`` and ``imports.0001_initial``): on a database that holds
imports, migrating forward keeps every row and every id, the groups keep their grants, and the
sweeper's schedule names the task where it now lives.

The upgrade runs on a database of its own, in a process of its own (``core.tests.scratch_db``):
the suite's test database is never migrated back and forth.
"""

import json
import pydoc
from importlib import import_module

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_q.models import Schedule

from core.tests.scratch_db import migrate_to_before, run_story
from imports.models import ProductImport
from imports.tasks import product_imports_recover_task

BEFORE_MOVE = ("catalog", "0011_reviews_move_out")
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

    # What ``migrate`` had made on a database before the move (post_migrate, and catalog.0004
    # for the Manufacturers group): the catalogue's content type and its permissions.
    kind, _ = ContentType_.objects.get_or_create(app_label="catalog", model="productimport")
    for action in ("add", "change", "delete", "view"):
        Permission_.objects.get_or_create(
            content_type=kind, codename=f"{action}_productimport",
            defaults={"name": f"Can {action} import"},
        )
    permissions = Permission_.objects.filter(content_type=kind)
    clerks = Group_.objects.create(name="Import clerks")
    clerks.permissions.add(*permissions)
    manufacturers, _ = Group_.objects.get_or_create(name="Manufacturers")
    manufacturers.permissions.add(*permissions.filter(
        codename__in=["view_productimport", "add_productimport"]))
    maker.groups.add(manufacturers)  # as users.services.user_create does
    apps.get_model("admin", "LogEntry").objects.create(
        user=maker, content_type=kind, object_id=str(done.pk), object_repr=done.original_name,
        action_flag=1, change_message="Uploaded",
    )
    return {
        "imports": list(OldImport.objects.order_by("pk").values()),
        "type": kind.pk,
        "permissions": dict(permissions.values_list("codename", "pk")),
        "done": done.pk,
        "sweepers": list(apps.get_model("django_q", "Schedule").objects
                         .filter(name="Fail stalled catalogue imports")
                         .values_list("pk", "func")),
    }


def move_story() -> dict:
    """The upgrade of a database that holds imports, run by ``run_story`` on a database of its
    own: migrated to just before the move, given imports, then ``manage.py migrate`` as an
    upgrade runs it; then the move undone (``migrate imports zero``). What each step found,
    as JSON."""
    from django.core.management import call_command

    executor = MigrationExecutor(connection)
    migrate_to_before(executor, before=BEFORE_MOVE, moving_app="imports")
    before = _imports_before_the_move(
        executor.loader.project_state(list(executor.loader.applied_migrations)).apps
    )

    call_command("migrate", verbosity=0)
    ContentType.objects.clear_cache()
    done = ProductImport.objects.get(pk=before["done"])
    maker = done.manufacturer
    entry = LogEntry.objects.get(object_id=str(before["done"]))
    after = {
        # The image addresses too (left out of every other read of an import).
        "imports": list(ProductImport.objects.defer(None).order_by("pk").values()),
        "maker": maker.email,
        "type": ContentType.objects.get_for_model(ProductImport).pk,
        "catalog_types_left": ContentType.objects.filter(
            app_label="catalog", model="productimport").count(),
        "permissions": dict(
            Permission.objects.filter(content_type__app_label="imports")
            .values_list("codename", "pk")
        ),
        "clerks": sorted(Group.objects.get(name="Import clerks")
                         .permissions.values_list("pk", flat=True)),
        "maker_may": [maker.has_perm("imports.view_productimport"),
                      maker.has_perm("imports.add_productimport")],
        "log_type": entry.content_type_id,
        "log_url": entry.get_admin_url(),
        "sweepers": list(Schedule.objects.filter(name="Fail stalled catalogue imports")
                         .values_list("pk", "func")),
    }

    call_command("migrate", "imports", "zero", verbosity=0)
    ContentType.objects.clear_cache()
    undone = {
        "type": ContentType.objects.get(app_label="catalog", model="productimport").pk,
        "sweepers": list(Schedule.objects.filter(name="Fail stalled catalogue imports")
                         .values_list("pk", "func")),
    }
    return json.loads(json.dumps(
        {"before": before, "after": after, "undone": undone}, default=str
    ))


def test_imports_move_with_their_rows_content_type_permissions_and_sweeper():
    story = run_story("imports.tests.test_migration:move_story")
    before, after = story["before"], story["after"]
    assert set(before["permissions"]) == CODENAMES
    [(sweeper, old_path)] = before["sweepers"]  # catalog.0006 made it
    assert old_path == OLD_SWEEPER

    # The same rows, read through the imports app's model.
    assert after["imports"] == before["imports"]
    assert after["maker"] == "maker@move.test"
    # The same content type and permissions (ids kept), now the imports app's.
    assert after["type"] == before["type"]
    assert after["catalog_types_left"] == 0
    assert after["permissions"] == before["permissions"]
    # The groups still hold them, by the names code asks with; the admin's history stays.
    assert set(after["clerks"]) == set(before["permissions"].values())
    assert after["maker_may"] == [True, True]  # through the Manufacturers group
    assert after["log_type"] == before["type"]
    assert after["log_url"] == f"/admin/imports/productimport/{before['done']}/change/"
    # The sweeper runs the task where it lives now.
    assert after["sweepers"] == [[sweeper, NEW_SWEEPER]]
    assert pydoc.locate(NEW_SWEEPER) is product_imports_recover_task
    # Undone: the content type and the schedule go back, with the same ids.
    assert story["undone"] == {"type": before["type"], "sweepers": [[sweeper, OLD_SWEEPER]]}


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
