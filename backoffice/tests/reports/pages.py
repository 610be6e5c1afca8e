"""How the report tests open a report page and read its CSV export."""

import csv
import io


def url(slug: str, **params) -> str:
    from urllib.parse import urlencode

    base = f"/admin/reports/{slug}/"
    return f"{base}?{urlencode(params)}" if params else base


def rows_of(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))
