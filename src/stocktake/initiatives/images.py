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


# Pillow itself warns (DecompressionBombWarning) above about 89 million pixels and refuses
# (DecompressionBombError) above twice that, while opening. Our own limit is lower and checked
# right after opening, which reads only the header; both of Pillow's get the same message.
# The warning is caught, not promoted with warnings.catch_warnings(): that changes
# process-wide state and is not thread-safe. It only arrives as an exception where warnings
# are configured as errors (python -W error), and otherwise our own check refuses the image.
PILLOW_BOMBS = (Image.DecompressionBombError, Image.DecompressionBombWarning)
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError)


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The image has too many pixels: send one of at most %(limit)d million pixels.")
        % {"limit": MAX_PIXELS // 1_000_000}
    )


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
            if kind not in ACCEPTED_FORMATS:
                raise ValidationError(_("Send a JPEG, PNG, WebP or GIF image."))
            if probe.width * probe.height > MAX_PIXELS:
                raise _too_many_pixels()
            probe.verify()
    except PILLOW_BOMBS:
        raise _too_many_pixels() from None
    except UNREADABLE:
        raise ValidationError(
            _("This file is not an image we can read. Send a JPEG, PNG, WebP or GIF image.")
        ) from None
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            if image.width * image.height > MAX_PIXELS:  # the same file: never, but cheap
                raise _too_many_pixels()
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="WEBP", quality=85, method=4)
            size = image.size
    except PILLOW_BOMBS:
        raise _too_many_pixels() from None
    except UNREADABLE:
        raise ValidationError(_("This image could not be processed; try another file.")) from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.webp"), size[0], size[1]
