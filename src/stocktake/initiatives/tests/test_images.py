"""Images: checked by content, limited, re-encoded, and served only as images."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from stocktake.initiatives import services
from stocktake.initiatives.images import MAX_PIXELS, reencode_image
from stocktake.initiatives.models import RevisionImage

from .factories import edit, make_draft, make_org, make_published, make_user

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(width=64, height=48, colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def declared_png(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header declares width by height pixels (its one
    compressed row of data would only be noticed, as missing, if it were ever decoded)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * (width + 1)))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def owner():
    return make_user()


@pytest.fixture
def draft(owner):
    return make_draft(author=owner, organisation=make_org(members=[owner]))


def upload(client, initiative, data: bytes, name="photo.png", alt="A workshop"):
    return client.post(
        f"/en/initiatives/{initiative.pk}/images/add/",
        {"image": SimpleUploadedFile(name, data), "alt_text": alt, "lang": "en"},
    )


def test_an_image_is_re_encoded_to_webp_without_its_metadata(client, owner, draft):
    client.force_login(owner)
    response = upload(client, draft, png(), name="photo.png")
    assert response.status_code == 302
    image = RevisionImage.objects.get()
    assert image.image.name.endswith(".webp")
    assert (image.width, image.height) == (64, 48)
    assert image.alt_text == {"en": "A workshop"}
    with Image.open(image.image.path) as stored:
        assert stored.format == "WEBP"
        assert not stored.info.get("exif")


def test_a_script_named_like_an_image_is_refused(client, owner, draft):
    client.force_login(owner)
    response = upload(client, draft, b"<script>alert(1)</script>", name="evil.png")
    assert response.status_code == 400
    assert b"not an image" in response.content
    assert not RevisionImage.objects.exists()


def test_an_svg_is_refused_because_it_can_carry_script(client, owner, draft):
    client.force_login(owner)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert upload(client, draft, svg, name="logo.svg").status_code == 400


def test_an_oversized_file_is_refused_with_the_limit(client, owner, draft):
    client.force_login(owner)
    response = upload(client, draft, b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 1))
    assert response.status_code == 400
    assert b"5 MB" in response.content


def test_an_image_needs_a_text_alternative(owner, draft):
    with pytest.raises(services.ValidationError) as error:
        services.revision_image_add(
            user=owner,
            initiative=draft,
            upload=SimpleUploadedFile("a.png", png()),
            alt_text={"en": "  "},
        )
    assert "alt_text" in error.value.message_dict


def test_another_organisation_cannot_add_images(client, draft):
    outsider = make_user()
    make_org(members=[outsider])
    client.force_login(outsider)
    assert upload(client, draft, png()).status_code == 403


def test_images_are_served_as_webp_with_no_sniffing_and_a_sandbox(client, owner):
    moderator = make_user(moderator=True)
    organisation = make_org(members=[owner])
    initiative = make_draft(author=owner, organisation=organisation)
    services.revision_image_add(
        user=owner,
        initiative=initiative,
        upload=SimpleUploadedFile("a.png", png()),
        alt_text={"en": "Chart"},
    )
    image = RevisionImage.objects.get()
    # A draft's image is not public.
    assert client.get(f"/en/initiatives/images/{image.pk}/").status_code == 404
    services.initiative_submit(user=owner, initiative=initiative)
    services.initiative_publish(moderator=moderator, initiative=initiative)
    response = client.get(f"/en/initiatives/images/{image.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_images_follow_a_published_entry_into_its_pending_revision(owner):
    moderator = make_user(moderator=True)
    organisation = make_org(members=[owner])
    initiative = make_draft(author=owner, organisation=organisation)
    services.revision_image_add(
        user=owner,
        initiative=initiative,
        upload=SimpleUploadedFile("a.png", png()),
        alt_text={"en": "Chart"},
    )
    services.initiative_submit(user=owner, initiative=initiative)
    services.initiative_publish(moderator=moderator, initiative=initiative)
    revision = edit(initiative, user=owner, keywords=["new"])
    assert revision.images.count() == 1
    assert revision.images.get().image.name == RevisionImage.objects.first().image.name


def test_a_published_entrys_images_cannot_change_without_a_revision(owner):
    moderator = make_user(moderator=True)
    initiative = make_published(
        author=owner, organisation=make_org(members=[owner]), moderator=moderator
    )
    with pytest.raises(services.TransitionError):
        services.revision_image_add(
            user=owner,
            initiative=initiative,
            upload=SimpleUploadedFile("a.png", png()),
            alt_text={"en": "x"},
        )


TOO_MANY_PIXELS = "too many pixels: send one of at most 40 million pixels"


def test_a_small_png_declaring_20000_by_20000_pixels_is_refused_with_the_limit(
    client, owner, draft
):
    bomb = declared_png(20000, 20000)  # Pillow itself raises DecompressionBombError on it
    assert len(bomb) < 1024
    client.force_login(owner)
    response = upload(client, draft, bomb, name="bomb.png")
    assert response.status_code == 400
    assert TOO_MANY_PIXELS in response.content.decode()
    assert not RevisionImage.objects.exists()


def test_the_service_refuses_a_decompression_bomb_as_an_image_error(owner, draft):
    with pytest.raises(services.ValidationError) as error:
        services.revision_image_add(
            user=owner,
            initiative=draft,
            upload=SimpleUploadedFile("bomb.png", declared_png(20000, 20000)),
            alt_text={"en": "A chart"},
        )
    assert TOO_MANY_PIXELS in " ".join(error.value.message_dict["image"])
    assert not RevisionImage.objects.exists()


@pytest.mark.parametrize(
    "width, height",
    [
        (7000, 7000),  # over our limit, under Pillow's warning
        (10000, 10000),  # Pillow warns (DecompressionBombWarning)
        (20000, 20000),  # Pillow refuses (DecompressionBombError)
    ],
)
# Pillow's own warning for the 10000 x 10000 case is expected here (the image is refused).
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_the_pixel_limit_is_checked_before_any_pixel_is_decoded(monkeypatch, width, height):
    assert width * height > MAX_PIXELS

    def no_decoding(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(services.ValidationError) as error:
        reencode_image(SimpleUploadedFile("big.png", declared_png(width, height)))
    assert TOO_MANY_PIXELS in error.value.messages[0]


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillows_bomb_warning_raised_as_an_error_gets_the_same_message():
    with pytest.raises(services.ValidationError) as error:
        reencode_image(SimpleUploadedFile("big.png", declared_png(10000, 10000)))
    assert TOO_MANY_PIXELS in error.value.messages[0]


def test_an_image_just_within_the_pixel_limit_is_accepted(owner, draft):
    out = io.BytesIO()
    Image.new("L", (8000, 5000), 128).save(out, format="PNG")  # exactly the limit
    image = services.revision_image_add(
        user=owner,
        initiative=draft,
        upload=SimpleUploadedFile("wide.png", out.getvalue()),
        alt_text={"en": "A wide chart"},
    )
    assert (image.width, image.height) == (2400, 1500)
