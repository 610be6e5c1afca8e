"""Helpers for data migrations that decide what the Manufacturers group may do in the admin.

Permissions are normally created after all migrations (post_migrate), so a data migration that
grants them must create its app's permissions first; ``grant_to_manufacturers`` does both.
"""

from django.contrib.auth.management import create_permissions

MANUFACTURERS_GROUP_NAME = "Manufacturers"


def grant_to_manufacturers(apps, app_label: str, codenames: list[str]) -> None:
    """Give the Manufacturers group these permissions of ``app_label`` (idempotent)."""
    app_config = apps.get_app_config(app_label)
    # Migration app configs are stubs; create_permissions skips an app without models_module.
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MANUFACTURERS_GROUP_NAME)
    perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    missing = set(codenames) - set(perms.values_list("codename", flat=True))
    if missing:
        raise LookupError(f"Unknown permissions in {app_label}: {sorted(missing)}")
    group.permissions.add(*perms)


def revoke_from_manufacturers(apps, app_label: str, codenames: list[str]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=MANUFACTURERS_GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
