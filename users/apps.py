from django.apps import AppConfig
from django.db.models.signals import post_save


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = "People"

    def ready(self) -> None:
        from users.jwt_sessions import sessions_revoke_on_password_change
        from users.models import User

        # Every password change, whichever page or command made it, ends the refresh tokens.
        post_save.connect(
            sessions_revoke_on_password_change, sender=User, dispatch_uid="users-revoke-tokens"
        )
