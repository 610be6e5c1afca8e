from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = "People"

    def ready(self) -> None:
        from users.jwt_sessions import sessions_revoke_on_password_change
        from users.mfa import session_note_absence
        from users.models import User

        # Every password change, whichever page or command made it, ends the refresh tokens.
        post_save.connect(
            sessions_revoke_on_password_change, sender=User, dispatch_uid="users-revoke-tokens"
        )
        # A signed-in session notes whether its user has a second factor to give (users.mfa).
        user_logged_in.connect(session_note_absence, dispatch_uid="users-mfa-absence")
