"""Helpers for migrations that move models from one app to another with their tables.

The models keep their tables: the source app forgets them and the target app creates them in
the migration state only (``SeparateDatabaseAndState``, ``db_table``), so no SQL runs and no
row moves. What must move is their content types: ``content_types_move`` renames the rows of
``<source>.<model>`` to the target app, so the permissions hanging on them (with their ids), the
groups and users that hold them and the admin's history stay as they were. On a fresh database
there is nothing to rename when a content type was never made; Django makes it for the target
app after the migrations.
"""


def _fold(apps, stray, *, into) -> None:
    """``stray`` is a content type Django made for the target app while the source's still
    existed (after the move was reversed): its permissions' holders and its admin history join
    ``into``'s, then it goes, so the older ids (the ones in use) survive."""
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")
    kept = {perm.codename: perm for perm in Permission.objects.filter(content_type=into)}
    for perm in Permission.objects.filter(content_type=stray):
        keep = kept.get(perm.codename)
        if keep is None:
            perm.content_type = into
            perm.save(update_fields=["content_type"])
            continue
        keep.group_set.add(*perm.group_set.all())
        keep.user_set.add(*perm.user_set.all())
        perm.delete()
    LogEntry.objects.filter(content_type=stray).update(content_type=into)
    stray.delete()


def content_types_move(apps, *, models: tuple[str, ...], source: str, target: str) -> None:
    """Give the content types of ``models`` (lower-case model names) of app ``source`` to app
    ``target``, keeping their ids; idempotent (a model already moved, or never made, is
    skipped). A migration that uses it depends on ``contenttypes``, ``auth`` and ``admin``."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in models:
        moving = ContentType.objects.filter(app_label=source, model=model).first()
        if moving is None:
            continue  # never made, or moved already
        stray = ContentType.objects.filter(app_label=target, model=model).first()
        if stray is not None:
            _fold(apps, stray, into=moving)
        moving.app_label = target
        moving.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()
