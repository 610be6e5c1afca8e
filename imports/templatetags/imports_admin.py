"""Template helpers of the import pages."""

from django import template

from imports.admin_status import import_status

register = template.Library()


@register.simple_tag
def import_status_of(product_import):
    """``{% import_status_of imp as badge %}``: the import's status in the one vocabulary
    (``imports.admin_status``)."""
    return import_status(product_import)
