"""The review screen: what it holds for moderation and why."""

import pytest

from reviews.screen import ReviewHold, review_screen


@pytest.mark.parametrize(
    "text, hold",
    [
        ("Great phone, fast delivery.", None),
        ("Details at https://example.org/x", ReviewHold.LINK),
        ("see www.example.org", ReviewHold.LINK),
        ("order from cheapphones.com now", ReviewHold.LINK),
        ("Version 2.0 is better, e.g. the camera", None),
        ("THIS PHONE IS TERRIBLE", ReviewHold.ALL_CAPS),
        ("GOOD PHONE!", None),  # too short to count as shouting
        ("GREAT phone, really great", None),
        ("ЭТО ОТЛИЧНЫЙ ТЕЛЕФОН", ReviewHold.ALL_CAPS),
        ("", None),
    ],
)
def test_the_screen(text, hold):
    assert review_screen(text=text) == hold


def test_blocked_words_are_whole_words_or_phrases_in_any_case(settings):
    settings.REVIEW_BLOCKED_WORDS = ["scam", "buy now"]

    assert review_screen(text="Total SCAM.") == ReviewHold.BLOCKED_WORD
    assert review_screen(text="please Buy  now") is None  # two spaces: not the phrase
    assert review_screen(text="please buy now!") == ReviewHold.BLOCKED_WORD
    assert review_screen(text="Loved the scampi") is None


def test_each_check_can_be_switched_off(settings):
    settings.REVIEW_SCREEN_LINKS = False
    settings.REVIEW_SCREEN_ALL_CAPS = False

    assert review_screen(text="https://example.org") is None
    assert review_screen(text="THIS PHONE IS TERRIBLE") is None
