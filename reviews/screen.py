"""The review screen: whether a comment is published at once or waits for staff.

A comment with a link, a blocked word or written in capitals is held (``settings.REVIEW_*``);
the reason is what staff read in the moderation queue.
"""

import re
from enum import StrEnum
from functools import lru_cache

from django.conf import settings


class ReviewHold(StrEnum):
    """Why the screen held a review for moderation (the text staff see as its reason)."""

    LINK = "Held for moderation: the comment contains a link."
    BLOCKED_WORD = "Held for moderation: the comment contains a blocked word."
    ALL_CAPS = "Held for moderation: the comment is written in capitals."


_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*\.(?:com|net|org|info|biz|io|co|me|ru|xyz|top|shop|site|online"
    r"|link|click|store|app)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=8)
def _blocked_pattern(words: tuple[str, ...]) -> re.Pattern | None:
    words = tuple(w.strip() for w in words if w.strip())
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def review_screen(*, text: str) -> ReviewHold | None:
    """The reason to hold ``text`` for moderation, or None to publish it at once."""
    if settings.REVIEW_SCREEN_LINKS and _LINK.search(text):
        return ReviewHold.LINK
    blocked = _blocked_pattern(tuple(settings.REVIEW_BLOCKED_WORDS))
    if blocked is not None and blocked.search(text):
        return ReviewHold.BLOCKED_WORD
    if settings.REVIEW_SCREEN_ALL_CAPS:
        cased = [c for c in text if c.isupper() or c.islower()]
        if len(cased) >= settings.REVIEW_ALL_CAPS_MIN_LETTERS and all(c.isupper() for c in cased):
            return ReviewHold.ALL_CAPS
    return None
