"""Template helpers of the catalogue's admin pages."""

from django import template

register = template.Library()


@register.simple_tag
def import_status_of(product_import):
    """``{% import_status_of imp as badge %}``: the import's status in the one vocabulary
    (``catalog.admin.import_status``)."""
    # Imported here, not at load time: template libraries load while unfold's admin module is
    # still importing, and the catalog admin package imports unfold.
    from catalog.admin.import_status import import_status

    return import_status(product_import)
