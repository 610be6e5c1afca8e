"""Catalogue imports: a catalogue file's whole life, CSV/XLSX in and the same format out.

An app above the catalogue (and beside the shop, which it never reads): it drives the
catalogue's services and the catalogue never imports it. Its modules:

- ``models``: ``ProductImport`` (the import history), its statuses and their table of moves;
- ``lifecycle``: create, check (the preview), confirm, apply (the write), retry; the one path
  for the admin, ``manage.py import_products`` and the django-q2 tasks (``tasks``);
- ``runs``: the runs working on an import, their leases, cancel, and the sweeper;
- ``reader`` -> ``plan`` (with ``cells``, ``columns``, ``existing``) -> ``write``: read the file,
  plan every change (validating every row), write the plan in one transaction with bulk
  statements;
- ``preview``: what the import says (the stored preview, the notices and banners);
- ``images``: the image addresses, checked at preview and fetched after the write;
- ``resources`` and ``export``: the catalogue export, in the import's format;
- ``admin`` (the import pages), ``admin_status`` (one status vocabulary for every list of
  imports) and ``admin_products`` (the product list's Import and Export buttons and its
  "Export selected" action, which the catalogue's product admin takes from
  ``catalog.admin.products.extensions``).

django-import-export reads the file formats (tablib) and writes exports; the import itself is
planned and written here in bulk, because import-export's row-by-row save (one lookup and one
save per row, the whole import run twice in the request) is what makes large files slow.
"""
