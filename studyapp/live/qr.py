"""The join link as a QR code, drawn on the server as inline SVG (segno): no script, no image
request, nothing fetched."""

from functools import lru_cache

import segno


@lru_cache(maxsize=256)
def svg(url: str) -> str:
    code = segno.make(url, error="m")
    return code.svg_inline(scale=8, border=2, dark="#000", light="#fff", title=None, omitsize=True)
