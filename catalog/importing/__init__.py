"""The catalogue's import and export wing: CSV/XLSX files in, the same format out.

The whole life of an import lives here, above the catalogue's services (which never import it):

- ``lifecycle``: create, check (the preview), confirm, apply (the write), retry; the one path
  for the admin, ``manage.py import_products`` and the django-q2 tasks;
- ``runs``: the runs working on an import, their leases, cancel, and the sweeper;
- ``reader`` -> ``plan`` (with ``cells``, ``columns``, ``existing``) -> ``write``: read the file,
  plan every change (validating every row), write the plan in one transaction with bulk
  statements;
- ``preview``: what the import says (the stored preview, the notices and banners);
- ``images``: the image addresses, checked at preview and fetched after the write;
- ``resources`` and ``export``: the catalogue export, in the import's format.

django-import-export reads the file formats (tablib) and writes exports; the import itself is
planned and written here in bulk, because import-export's row-by-row save (one lookup and one
save per row, the whole import run twice in the request) is what makes large files slow.

Callers import the services from here (``from catalog.importing import import_start``).
"""

from catalog.importing.export import catalogue_export
from catalog.importing.images import import_fetch_images
from catalog.importing.lifecycle import (
    import_apply,
    import_check,
    import_confirm,
    import_create,
    import_retry,
    import_start,
)
from catalog.importing.runs import import_cancel, imports_fail_stalled

__all__ = [
    "catalogue_export",
    "import_apply",
    "import_cancel",
    "import_check",
    "import_confirm",
    "import_create",
    "import_fetch_images",
    "import_retry",
    "import_start",
    "imports_fail_stalled",
]
