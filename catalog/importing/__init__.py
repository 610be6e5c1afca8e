"""Bulk CSV/XLSX catalogue import: read a file, plan every change (validating every row), then
write the plan in one transaction with bulk statements.

django-import-export reads the file formats (tablib) and writes exports; the import itself is
planned and written here in bulk, because import-export's row-by-row save (one lookup and one
save per row, the whole import run twice in the request) is what makes large files slow.
"""
