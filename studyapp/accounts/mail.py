"""Mail in development: each message saved as an ``.eml`` file, and its links printed whole.

Django's console backend prints the encoded message, whose quoted-printable lines wrap a long link
with ``=`` breaks: a password-reset link copied from the terminal then fails. This backend writes each
message to a file of its own (open it in any mail program) and prints, for each, who it is for, its
subject, the file, and every link of its text on a line of its own.
"""

import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend

_LINK = re.compile(r"https?://\S+")


class DevelopmentEmailBackend(EmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        folder = Path(self.file_path)
        for message in email_messages:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
            path = folder / f"{stamp}-{sent}.eml"
            path.write_bytes(message.message().as_bytes())
            links = _LINK.findall(str(message.body))
            lines = [f"Mail to {', '.join(message.to)}: {message.subject}", f"  saved as {path}"]
            if links:
                lines += ["  links:", "", *links, ""]
            sys.stdout.write("\n".join(lines) + "\n")
            sys.stdout.flush()
            sent += 1
        return sent
