"""Users, their role profiles and their single-use account tokens.

Email is the login. It is stored in lower case and unique regardless of case (a functional
unique constraint backs the normalisation). A user can be a customer, a manufacturer, or both;
``is_staff`` keeps its seed meaning: an admin user.

Deleting a user removes what is only theirs (profiles, account tokens, social accounts). Rows that
must outlive an account (orders, reviews) point at the user with ``on_delete=SET_NULL``.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from core.roles import ManufacturerStatus


class CaseInsensitiveEmailField(models.EmailField):
    """An email column that can be looked up as ``email__lower=...`` (uses the Lower index)."""


CaseInsensitiveEmailField.register_lookup(Lower)


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return (email or "").strip().lower()

    def get_by_natural_key(self, username: str):
        return self.get(email__lower=self.normalize_email(username))

    def create_user(self, email: str, password: str | None = None, **extra):
        """The user row alone: normalised email, hashed (or unusable) password, valid fields.

        Code creates users with ``users.services.user_create``, which builds on this (a taken
        email as a field error, then the role profiles and the Manufacturers group). Django's
        ``createsuperuser`` comes here through ``create_superuser``: an admin holds no customer
        or manufacturer role, so there is no profile to make.
        """
        user = self.model(email=self.normalize_email(email), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email=email, password=password, **extra)


class User(AbstractUser):
    username = None
    email = CaseInsensitiveEmailField(_("email address"), max_length=254)
    phone = PhoneNumberField(
        _("phone number"),
        blank=True,
        null=True,
        unique=True,
        help_text=_("International format, e.g. +233201234567."),
    )
    # A second number the storefront shows on the profile; not unique and not used to sign in
    # or to recover the email (forgot-email looks up ``phone`` only).
    phone2 = PhoneNumberField(
        _("second phone number"),
        blank=True,
        null=True,
        help_text=_("International format, e.g. +233201234567."),
    )
    is_customer = models.BooleanField(_("customer"), default=False)
    is_manufacturer = models.BooleanField(_("manufacturer"), default=False)
    is_google_user = models.BooleanField(
        _("signed up with Google"), default=False, editable=False
    )
    # Vendor onboarding (users.onboarding): meaningful for manufacturers only. New rows start
    # pending, so a path that forgets the rule waits for review rather than getting in;
    # users.services.user_create sets the starting status on purpose.
    manufacturer_status = models.CharField(
        _("manufacturer status"),
        max_length=10,
        choices=ManufacturerStatus.choices,
        default=ManufacturerStatus.PENDING,
        editable=False,
    )
    manufacturer_status_reason = models.TextField(
        _("reason"),
        blank=True,
        editable=False,
        help_text=_("Why the application was rejected or the account suspended; shown to them."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="users_user_email_ci_unique",
                violation_error_message=_("A user with this email address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_email(self.email)

    @property
    def display_name(self) -> str:
        return name_or_email(first_name=self.first_name, last_name=self.last_name, email=self.email)

    @property
    def roles(self) -> list[str]:
        """Human labels of the roles, most powerful first."""
        labels = []
        if self.is_staff:
            labels.append("staff")
        if self.is_manufacturer:
            labels.append("manufacturer")
        if self.is_customer:
            labels.append("customer")
        return labels


class CustomerProfile(models.Model):
    user = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="customer_profile"
    )
    profile_picture = models.ImageField(upload_to="profiles/customers/", blank=True)
    contact_details = models.JSONField(default=dict, blank=True)
    loyalty_points = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("customer profile")
        verbose_name_plural = _("customer profiles")

    def __str__(self) -> str:
        return f"Customer {self.user_id}: {self.user.email}"


def name_or_email(*, first_name: str, last_name: str, email: str) -> str:
    """A user's full name (as ``get_full_name``), or their email without one."""
    return f"{first_name} {last_name}".strip() or email


def seller_public_name(
    *, profile_name: str | None, first_name: str, last_name: str, email: str
) -> str:
    """The seller's name buyers see: their profile's company name; without a profile (staff
    selling), the user's own name or email. For instances and value rows alike."""
    if profile_name is not None:
        return profile_name
    return name_or_email(first_name=first_name, last_name=last_name, email=email)


class ManufacturerProfile(models.Model):
    user = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="manufacturer_profile"
    )
    display_name = models.CharField(
        _("company name"), max_length=200, help_text=_("Shown to buyers as the seller's name.")
    )
    bank_details = models.JSONField(default=dict, blank=True)
    profile_picture = models.ImageField(upload_to="profiles/manufacturers/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("manufacturer profile")
        verbose_name_plural = _("manufacturer profiles")

    def __str__(self) -> str:
        return self.display_name


class AccountTokenPurpose(models.TextChoices):
    PASSWORD_RESET = "password_reset", _("Password reset")
    ONE_TIME_LOGIN = "one_time_login", _("One-time login")
    SECOND_FACTOR = "second_factor", _("API login's second step")


class AccountToken(models.Model):
    """A single-use secret sent to a user by email (password reset, one-time login link).

    Only the SHA-256 hash of the secret is stored; the secret itself exists only in the email.
    A user holds at most one live token per purpose: issuing a new one replaces the old one.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_tokens")
    purpose = models.CharField(_("purpose"), max_length=20, choices=AccountTokenPurpose.choices)
    token_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("account token")
        verbose_name_plural = _("account tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose"], name="users_accounttoken_one_per_purpose"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} for user {self.user_id}"


class RefreshTokenFamily(models.Model):
    """The session an issued refresh token belongs to: every token rotated from one sign-in
    shares the family id (also a signed claim of the token). Presenting a token that was
    already rotated means two parties hold the session; the whole family is then revoked,
    the newest token included (``users.jwt_sessions.session_rotate``)."""

    token = models.OneToOneField(
        OutstandingToken, primary_key=True, on_delete=models.CASCADE, related_name="family"
    )
    family = models.UUIDField(_("session family"), db_index=True)

    class Meta:
        verbose_name = _("refresh token family")
        verbose_name_plural = _("refresh token families")

    def __str__(self) -> str:
        return f"{self.family} / {self.token_id}"


class SignInThrottleScope(models.TextChoices):
    ADDRESS = "address", _("Client address")
    PAIR = "pair", _("Address and email")
    ACCOUNT = "account", _("Email (backoff)")


class SignInThrottle(models.Model):
    """Failed password sign-ins counted by ``users.signin_policy``: one row per client address,
    per address and email, and per email. ``blocked_until`` is when the next attempt is heard
    again (a lockout for an address or a pair, a growing delay for an email). Deleting a row
    lifts what it holds."""

    scope = models.CharField(_("counted per"), max_length=10, choices=SignInThrottleScope.choices)
    client_ip = models.CharField(_("client address"), max_length=45, blank=True)
    email = models.CharField(_("email"), max_length=254, blank=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"))
    blocked_until = models.DateTimeField(_("refused until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in lockout")
        verbose_name_plural = _("sign-in lockouts")
        ordering = ["-last_failure_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "client_ip", "email"], name="users_signinthrottle_one_per_key"
            ),
        ]

    def __str__(self) -> str:
        return " / ".join(part for part in (self.client_ip, self.email) if part)
