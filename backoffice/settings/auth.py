"""Users and authentication: the user model, password rules, allauth (email login, Google), and
the accounts API's tokens and links (users app).
"""

from datetime import timedelta

from core.env import env_bool, env_int, env_str

from .base import FRONTEND_URL

# --- Users and authentication -----------------------------------------------------------------

AUTH_USER_MODEL = "users.User"
# Email is unique by a case-insensitive functional constraint (users.User.Meta), which this
# check cannot see.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, with a manufacturer's permissions following their onboarding
    # status (pending: none, suspended: view only).
    "users.backends.ModelBackend",
    "users.backends.AllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# allauth: email is the login, there is no username.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "SCOPE": ["profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
        "APP": {
            "client_id": env_str("GOOGLE_CLIENT_ID"),
            "secret": env_str("GOOGLE_CLIENT_SECRET"),
        },
    }
}

# --- The sign-in policy of every door (users.signin_policy) ---------------------------------

# Failures count per client address, per address+email and per email; each count is forgotten
# SIGNIN_WINDOW_MINUTES after its last failure. An address is refused for the window after
# SIGNIN_ADDRESS_FAILURE_LIMIT failures, an address+email pair after SIGNIN_PAIR_FAILURE_LIMIT;
# an email, after SIGNIN_ACCOUNT_FREE_FAILURES failures from anywhere, waits before its next
# attempt, the wait doubling from SIGNIN_ACCOUNT_DELAY_SECONDS up to
# SIGNIN_ACCOUNT_MAX_DELAY_SECONDS.
SIGNIN_WINDOW_MINUTES = env_int("SIGNIN_WINDOW_MINUTES", 15)
SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("SIGNIN_ADDRESS_FAILURE_LIMIT", 20)
SIGNIN_PAIR_FAILURE_LIMIT = env_int("SIGNIN_PAIR_FAILURE_LIMIT", 5)
SIGNIN_ACCOUNT_FREE_FAILURES = env_int("SIGNIN_ACCOUNT_FREE_FAILURES", 5)
SIGNIN_ACCOUNT_DELAY_SECONDS = env_int("SIGNIN_ACCOUNT_DELAY_SECONDS", 2)
SIGNIN_ACCOUNT_MAX_DELAY_SECONDS = env_int("SIGNIN_ACCOUNT_MAX_DELAY_SECONDS", 300)

# --- Accounts API (users app) ------------------------------------------------------------------

# Without "remember me" the refresh token lives this long (rotation restarts the clock) and its
# cookie is a browser-session cookie; with it, SIMPLE_JWT's REFRESH_TOKEN_LIFETIME and Max-Age.
JWT_SESSION_REFRESH_LIFETIME = timedelta(hours=env_int("JWT_SESSION_REFRESH_HOURS", 24))
# Seed behaviour (False): reset-password answers 401 and forgot-email 404 for an unknown account.
# True: both answer 200 with the same message whether or not the account exists
# (docs/api.md#accounts).
API_PREVENT_ACCOUNT_ENUMERATION = env_bool("PREVENT_ACCOUNT_ENUMERATION", False)
PASSWORD_RESET_TOKEN_MINUTES = env_int("PASSWORD_RESET_TOKEN_MINUTES", 5)
PASSWORD_RESET_URL = env_str(
    "PASSWORD_RESET_URL", f"{FRONTEND_URL}/reset-password-confirm/{{token}}/"
)
ONE_TIME_LOGIN_TOKEN_MINUTES = env_int("ONE_TIME_LOGIN_TOKEN_MINUTES", 24 * 60)
ONE_TIME_LOGIN_URL = env_str(
    "ONE_TIME_LOGIN_URL", f"{FRONTEND_URL}/one-time-login/?uid={{uid}}&token={{token}}"
)
# Where allauth sends the browser after Google sign-in; the storefront page there calls
# GET /accounts/google/login (with credentials) to turn the session into JWTs.
GOOGLE_LOGIN_REDIRECT_URL = env_str(
    "GOOGLE_LOGIN_REDIRECT_URL", f"{FRONTEND_URL}/google/callback"
)
# Vendor onboarding: 1 (default) = a manufacturer who signs up waits, pending, until staff
# approve them in the admin; 0 = admitted at once (the behaviour before vendor onboarding).
MANUFACTURER_SIGNUP_REVIEW = env_bool("MANUFACTURER_SIGNUP_REVIEW", True)
ACCOUNT_ADAPTER = "users.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "users.adapters.SocialAccountAdapter"

# --- Second factor (users.mfa; allauth.mfa stores the TOTP devices and recovery codes) ---------

# Staff must set up TOTP before any admin page opens; manufacturers may turn it on.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", True)
# users.mfa.second_factor_ok: a session's second factor counts as fresh this long.
MFA_FRESH_MINUTES = env_int("MFA_FRESH_MINUTES", 15)
# users.mfa_login: the API login's second step must follow the password step within this.
MFA_LOGIN_TOKEN_SECONDS = env_int("MFA_LOGIN_TOKEN_SECONDS", 300)
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "MARTAF backoffice")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# TOTP keys and recovery-code seeds are Fernet-encrypted at rest (users.mfa_secrets): with
# MFA_ENCRYPTION_KEY (Fernet keys, comma-separated, the first encrypts), else a key derived
# from SECRET_KEY.
MFA_ADAPTER = "users.mfa_secrets.EncryptingMFAAdapter"
MFA_ENCRYPTION_KEY = env_str("MFA_ENCRYPTION_KEY", "")
MFA_RECOVERY_CODE_COUNT = 10
# A code of the 30 seconds before or after is accepted too (a phone's clock drifts).
MFA_TOTP_TOLERANCE = 1
