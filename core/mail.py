"""A development mail backend: one line per email on the console instead of the whole MIME
message (seeding the demo sends about 135; their HTML buried the server's banner).

``EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend`` prints them whole again.
"""

from django.core.mail.backends.console import EmailBackend


def email_summary(message) -> str:
    """``email to ama@example.com: "Order MT-... placed" (html, 1 attachment)``."""
    parts = []
    if any(mimetype == "text/html" for _content, mimetype in getattr(message, "alternatives", [])):
        parts.append("html")
    if message.attachments:
        count = len(message.attachments)
        parts.append(f"{count} attachment" + ("" if count == 1 else "s"))
    extra = f" ({', '.join(parts)})" if parts else ""
    return f"email to {', '.join(message.recipients())}: \"{message.subject}\"{extra}"


class OneLineConsoleBackend(EmailBackend):
    def write_message(self, message) -> None:
        self.stream.write(email_summary(message) + "\n")
