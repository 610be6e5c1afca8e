"""Text shown in a narrow place: list columns, message previews."""


def text_excerpt(text: str, *, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
