"""App configs of the project package."""

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class BackofficeAdminConfig(AdminConfig):
    """Replaces ``django.contrib.admin`` so ``admin.site`` is the MARTAF site everywhere."""

    default = False
    default_site = "backoffice.sites.BackofficeAdminSite"


class BackofficeConfig(AppConfig):
    default = True
    name = "backoffice"
    verbose_name = "MARTAF backoffice"

    def ready(self) -> None:
        from backoffice import changelist

        changelist.install()
