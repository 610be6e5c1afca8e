from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from catalog.version import catalogue_changed
        from users.signals import manufacturer_status_changed

        # A suspended (or reinstated) manufacturer's products leave (or come back to) the
        # storefront: its cached pages and counts are keyed on the catalogue's version.
        manufacturer_status_changed.connect(
            lambda **kwargs: catalogue_changed(), weak=False, dispatch_uid="catalogue_on_seller"
        )
