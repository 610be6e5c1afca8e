"""The catalogue export, the import's own format (``resources.CatalogueExportResource``): what
a manufacturer downloads, edits and imports back to update in place."""

from imports.resources import CatalogueExportResource
from users.models import User


def catalogue_export(*, user: User, products=None, file_format: str = "csv", base_url: str = ""):
    """The user's catalogue (or the given products of it) as CSV text or XLSX bytes."""
    resource = CatalogueExportResource(user=user, base_url=base_url)
    dataset = resource.export(queryset=resource.variations(products))
    return dataset.export(file_format)
