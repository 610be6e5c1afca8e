"""Email settings: without a mail server, emails go to the console, one line each."""


def test_the_default_mail_backend_without_a_mail_server_is_the_one_line_one(settings):
    from backoffice.settings import messaging

    if not messaging.EMAIL_HOST:
        assert messaging.EMAIL_BACKEND == "core.mail.OneLineConsoleBackend"
