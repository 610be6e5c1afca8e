from core.text import text_excerpt


def test_text_excerpt_keeps_short_text_and_cuts_long_text_to_the_limit():
    assert text_excerpt("x" * 80, limit=80) == "x" * 80
    assert text_excerpt("x" * 81, limit=80) == "x" * 79 + "…"
    assert len(text_excerpt("y" * 500, limit=60)) == 60
