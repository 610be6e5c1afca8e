"""The DRF router of every app's API: routes answer with and without their trailing slash
(like ``core.api.optional_slash``), so a POST without it is served, not redirected."""

from rest_framework.routers import SimpleRouter


class OptionalSlashRouter(SimpleRouter):
    def __init__(self) -> None:
        super().__init__()
        # A regex makes the slash optional.
        self.trailing_slash = "/?"
