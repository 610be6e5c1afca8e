"""For the tests of the migrations that moved models from one app to another: they migrate
their own (test) database back to before the move and forward again, then to the latest state
whatever happens (``migrate(executor, executor.loader.graph.leaf_nodes())``), so the next tests
find the database as migrated."""

from django.apps import apps as django_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db.migrations.executor import MigrationExecutor


def migrate(executor: MigrationExecutor, targets) -> None:
    executor.migrate(targets)
    executor.loader.build_graph()  # so the loader sees what is applied now


def state_at(executor: MigrationExecutor, node: tuple[str, str], *, left_out: tuple[str, ...]):
    """The models as they were at ``node``: every other app at its latest, but the apps
    ``left_out`` (those of the move, and those whose migrations come after it)."""
    others = [leaf for leaf in executor.loader.graph.leaf_nodes() if leaf[0] not in left_out]
    return executor.loader.project_state([*others, node]).apps


def content_types_and_permissions_made() -> None:
    """What ``migrate`` makes after it runs (post_migrate), made again: a transactional test
    before this one may have flushed the database, content types and permissions included."""
    for app_config in django_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
