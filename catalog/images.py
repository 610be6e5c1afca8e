"""Product image checks and renditions (Pillow).

An upload must be a real image in an allowed format, within the size limits; it is stored as
uploaded ("original") plus a medium and a thumbnail rendition. A text file renamed .jpg is
refused here, before anything is written. (An import's images are downloaded, with their
address checked, by ``imports.images.import_image_fetch``.)
"""

import io
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError


def image_validate(file: UploadedFile) -> str:
    """Check the upload; return its Pillow format name. Raises ValidationError with the reason.

    Format and dimensions come from the file's header, before any pixel is decoded: a 6300 x
    6300 PNG (a few hundred KB) decodes to ~160 MB, and each full-size copy costs as much again.
    """
    size = getattr(file, "size", None)
    if size is not None and size > settings.CATALOG_IMAGE_MAX_BYTES:
        limit_mb = settings.CATALOG_IMAGE_MAX_BYTES / (1024 * 1024)
        raise ValidationError(
            f"The image is too large ({size / (1024 * 1024):.1f} MB); the limit is "
            f"{limit_mb:.0f} MB.",
            code="image_too_large",
        )
    allowed = ", ".join(settings.CATALOG_IMAGE_FORMATS)
    unreadable = ValidationError(
        f"This file is not an image we can read. Upload a {allowed} file.", code="image_invalid"
    )
    try:
        file.seek(0)
        with Image.open(file) as image:  # reads the header only
            image_format = image.format
            width, height = image.size
            if image_format not in settings.CATALOG_IMAGE_FORMATS:
                raise ValidationError(
                    f"{image_format} images are not accepted. Upload a {allowed} file.",
                    code="image_format",
                )
            if width * height > settings.CATALOG_IMAGE_MAX_PIXELS:
                megapixels = settings.CATALOG_IMAGE_MAX_PIXELS / 1_000_000
                raise ValidationError(
                    f"The image is {width}x{height} pixels; the limit is {megapixels:g} "
                    "megapixels. Upload a smaller image.",
                    code="image_too_many_pixels",
                )
            image.verify()  # reads the whole file: catches truncated and corrupt images
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise unreadable from None
    finally:
        file.seek(0)
    return image_format


def image_renditions(file: UploadedFile) -> dict[str, ContentFile]:
    """The resized copies named in settings.CATALOG_IMAGE_RENDITIONS, as JPEG/PNG files.

    The image is decoded once and shrunk in place to the largest rendition (a JPEG is decoded
    at a reduced scale to begin with); the smaller renditions are made from that, so no
    full-size copy is ever made."""
    file.seek(0)
    stem = PurePath(file.name or "image").stem[:80] or "image"
    boxes = settings.CATALOG_IMAGE_RENDITIONS
    largest = max(boxes.values(), key=lambda box: box[0] * box[1])
    renditions = {}
    with Image.open(file) as source:
        has_alpha = source.mode in ("RGBA", "LA", "PA") or "transparency" in source.info
        source.thumbnail(largest, Image.Resampling.LANCZOS)  # in place (draft + reduce first)
        upright = ImageOps.exif_transpose(source)
        for name, box in boxes.items():
            copy = upright.copy()
            copy.thumbnail(box, Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            if has_alpha:
                copy.convert("RGBA").save(buffer, format="PNG", optimize=True)
                extension = "png"
            else:
                copy.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
                extension = "jpg"
            renditions[name] = ContentFile(buffer.getvalue(), name=f"{stem}-{name}.{extension}")
    file.seek(0)
    return renditions
