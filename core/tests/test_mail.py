"""The development mail backend (``core.mail``): one line per email on the console."""

import io

from django.core.mail import EmailMultiAlternatives

from core.mail import OneLineConsoleBackend


def test_development_emails_print_one_line_each():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        "Order MT-1 placed", "Plain body\nwith lines", to=["ama@example.com", "kofi@example.com"]
    )
    message.attach_alternative("<p>HTML body</p>", "text/html")

    sent = OneLineConsoleBackend(stream=stream).send_messages([message])

    assert sent == 1
    assert stream.getvalue() == (
        'email to ama@example.com, kofi@example.com: "Order MT-1 placed" (html)\n'
    )
