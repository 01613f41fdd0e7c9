"""Preview, then confirm: an upload is checked and shown, and the confirm form carries what was
checked, signed (``django.core.signing``), so the confirm reads back exactly what the person saw and
nothing is trusted from the browser. Used by the roster import and the question import."""

from django.contrib import messages
from django.core import signing
from django.http import HttpRequest


def read_signed_preview(request: HttpRequest, value: str, *, salt: str, max_age: int) -> object | None:
    """The payload a confirm form carries; None, with a message saying why nothing was imported,
    when it is too old or was changed or cut short."""
    try:
        return signing.loads(value, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        messages.error(request, "That preview is more than an hour old, so nothing was imported: upload the file again.")
    except signing.BadSignature:
        messages.error(
            request, "That preview could not be read (it was changed or is incomplete), so nothing was imported: upload the file again."
        )
    return None
