"""Serving stored files (agreements, evidence, photos, materials) to the people allowed to see them.

The view checks scope first and then answers with `stored_file_response(record.file)`: a missing record
file, or one gone from the storage, is a 404, never a 500.
"""

from __future__ import annotations

import mimetypes
import os

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def stored_file_response(
    field_file: FieldFile | None,
    *,
    filename: str | None = None,
    as_attachment: bool = True,
    content_type: str | None = None,
) -> FileResponse:
    """The file as a download (or shown in the browser with `as_attachment=False`), under `filename` or
    its stored name. Shown inline, its type comes from its name and the browser may not guess another
    (`nosniff`), so an uploaded file cannot pass for a page."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = filename or os.path.basename(field_file.name)
    response = FileResponse(handle, as_attachment=as_attachment, filename=name, content_type=content_type)
    if not as_attachment:
        if content_type is None:
            response["Content-Type"] = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response["X-Content-Type-Options"] = "nosniff"
    return response
