"""The report URLs, mounted by the admin site under /admin/reports/ behind ``admin_view``."""

from django.urls import URLPattern, path

from backoffice.reports.views import REPORTS, report_view


def report_urls(admin_site) -> list[URLPattern]:
    return [
        path(
            f"reports/{report.slug}/",
            admin_site.admin_view(report_view),
            {"report": report},
            name=report.url_name,
        )
        for report in REPORTS
    ]
