"""OpenAPI documentation of the accounts API: its tag, error responses, one schema decorator."""

from drf_spectacular.utils import OpenApiResponse, extend_schema

from users.api.serializers import AccountErrorSerializer

TAGS = ["Accounts"]


def error(description: str, serializer=AccountErrorSerializer) -> OpenApiResponse:
    return OpenApiResponse(serializer, description=description)


THROTTLED = error("Too many requests (rate limit); retry after the Retry-After seconds.")
SIGNED_OUT = "Not signed in or token expired."


def account_schema(summary: str, *, responses: dict, throttled: bool = False, **kwargs):
    """``extend_schema`` for an accounts route: the Accounts tag; a plain string among the
    ``responses`` describes an error (``{"detail", "code"}``); ``throttled`` adds the 429."""
    responses = {
        status: error(answer) if isinstance(answer, str) else answer
        for status, answer in responses.items()
    }
    if throttled:
        responses[429] = THROTTLED
    return extend_schema(tags=TAGS, summary=summary, responses=responses, **kwargs)
