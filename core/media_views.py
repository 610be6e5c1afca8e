"""This site serving its own uploaded files at MEDIA_URL, when they live on its disk (no
bucket): in production mode too, so one host needs no separate file server
(docs/production.md#media).

Only the public folders (``core.media.MEDIA_PUBLIC_PREFIXES``: product images, profile
pictures) are served; import files and documents are never reachable here. The file is read
through the storage API by a checked name (no "..", no absolute path, no directory listing: a
folder is a 404), with its type from the name (``nosniff`` is on site-wide), ``Cache-Control``,
an ``ETag`` and ``Last-Modified``, and 304 for a matching conditional request.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponseNotFound, HttpResponseNotModified
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.views.decorators.http import require_safe

from core.media import MEDIA_CACHE_CONTROL, media_is_public, media_name_checked


def _not_found() -> HttpResponseNotFound:
    # A file server's bare 404: no page to render (and nothing of the path echoed back).
    return HttpResponseNotFound(b"Not found.", content_type="text/plain; charset=utf-8")


@require_safe
def media_serve(request, path: str):
    name = media_name_checked(path)
    if name is None or not media_is_public(name):
        return _not_found()
    try:
        size = default_storage.size(name)
        modified = default_storage.get_modified_time(name).timestamp()
        handle = default_storage.open(name, "rb")  # a folder raises IsADirectoryError
    except (OSError, ValueError):
        return _not_found()
    etag = f'"{int(modified * 1_000_000):x}-{size:x}"'
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if_none_match = request.headers.get("If-None-Match")
    if (if_none_match and etag in parse_etags(if_none_match)) or (
        not if_none_match and since is not None and int(modified) <= since
    ):
        handle.close()
        response = HttpResponseNotModified()
    else:
        content_type, encoding = mimetypes.guess_type(name)
        response = FileResponse(handle, content_type=content_type or "application/octet-stream")
        response["Content-Length"] = str(size)
        if encoding:  # a stored .gz stays what it is, not decoded by the browser
            response["Content-Type"] = "application/octet-stream"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = MEDIA_CACHE_CONTROL
    return response
