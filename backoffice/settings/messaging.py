"""Email and SMS: the mail server, Twilio, and the notifications app's outbox retry policy."""

from core.env import env_bool, env_int, env_str

from .database import Q_CLUSTER

# --- Email and SMS ----------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MARTAF <no-reply@martaf.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    # Seconds a connection to the mail server may wait on it (connect, each reply): short, so
    # a mail server that stalls fails the attempt (retried by the outbox) instead of holding a
    # worker for the task timeout.
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
else:
    # Without a mail server emails go to the console, one line each (core.mail); set
    # EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend to see them whole.
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "core.mail.OneLineConsoleBackend")

TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER")

# --- Notifications: SMS backend and the email/SMS outbox (notifications app) -------------------

# Twilio as soon as its account is configured, else SMS are only written to the log.
SMS_BACKEND = env_str("SMS_BACKEND") or (
    "notifications.sms.TwilioSMSBackend"
    if TWILIO_ACCOUNT_SID
    else "notifications.sms.LoggingSMSBackend"
)
# Seconds Twilio's HTTP client waits (connect and read), as short as the mail server's.
TWILIO_TIMEOUT_SECONDS = env_int("TWILIO_TIMEOUT_SECONDS", 10)
# A failed email/SMS is retried after 1, 2, 4, 8 ... minutes (capped), then stays "failed".
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600)
# How long a worker may hold a message it is sending before the sweeper hands it out again;
# longer than any task may run (Q_CLUSTER["retry"] > ["timeout"]).
OUTBOX_SENDING_LEASE_SECONDS = Q_CLUSTER["retry"]

PHONENUMBER_DEFAULT_REGION = env_str("PHONENUMBER_DEFAULT_REGION") or None
PHONENUMBER_DB_FORMAT = "E164"
