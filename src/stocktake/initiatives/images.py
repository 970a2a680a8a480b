"""Uploaded images are checked by their content, never by name or declared type, and
re-encoded: what is stored and served is always a fresh WebP image without metadata."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
MAX_SIDE = 2400
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def reencode_image(upload) -> tuple[ContentFile, int, int]:
    """Return (file, width, height) of the re-encoded image, or raise a ValidationError
    saying what is wrong."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The image is larger than %(limit)d MB; send a smaller one.") % {"limit": 5}
        )
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not an image we can read. Send a JPEG, PNG, WebP or GIF image.")
        ) from None
    if kind not in ACCEPTED_FORMATS:
        raise ValidationError(_("Send a JPEG, PNG, WebP or GIF image."))
    if width * height > MAX_PIXELS:
        raise ValidationError(_("The image has too many pixels; send a smaller one."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="WEBP", quality=85, method=4)
            size = image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("This image could not be processed; try another file.")) from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.webp"), size[0], size[1]
