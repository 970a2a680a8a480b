"""Images: checked by content, limited, re-encoded, and served only as images."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from stocktake.initiatives import services
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
