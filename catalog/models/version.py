"""The catalogue's version: one row, moved on by every catalogue write (``catalog.version``).

Storefront reads key their caches and their ETag / Last-Modified on it, so a cached list page
or count is never served after the catalogue changed. It lives in the database (not the cache)
so that every web process and the worker see the same value.
"""

from django.db import models


class CatalogueVersion(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    value = models.BigIntegerField(default=1)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "catalogue version"

    def __str__(self) -> str:
        return str(self.value)
