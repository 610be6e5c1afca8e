from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Catalogue imports"

    def ready(self) -> None:
        from catalog.admin.products.extensions import product_actions_register
        from imports.admin_products import (
            export_catalogue,
            export_selected,
            has_import_permission,
            import_products,
        )

        # The product list's Import and Export buttons and its "Export selected" action: the
        # catalogue's product admin offers them, but cannot import this app.
        product_actions_register(
            listed=[import_products, export_catalogue],
            selected=[export_selected],
            permissions=[has_import_permission],
        )
