"""Shared helpers for the PDF documents of events: HTML templates rendered by WeasyPrint, QR codes.

The templates use the machine's DejaVu fonts (`font-family: "DejaVu Sans"`), which WeasyPrint embeds as
subsets, so Cyrillic and Kazakh letters (ә ғ қ ң ө ұ ү һ і) print and can be read back from the PDF.
"""

import segno
from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango costs time every page does not need

    html = render_to_string(template_name, context)
    return HTML(string=html).write_pdf()


def qr_data_uri(data: str) -> str:
    """An SVG QR code as a data URI for an <img>; medium error correction survives a crumpled ticket."""
    return segno.make(data, error="m").svg_data_uri(scale=4, border=2)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
