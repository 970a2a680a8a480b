"""Serving uploaded images: always as the WebP image they were re-encoded to, never as
anything a browser could run, and only to those who may see the entry."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from ..models import RevisionImage, RevisionState, Status
from ..selectors import can_view_revisions


def image_view(request, image_id: int):
    image = (
        RevisionImage.objects.select_related("revision__initiative__organisation")
        .filter(pk=image_id)
        .first()
    )
    if image is None:
        raise Http404(_("There is no such image."))
    revision, initiative = image.revision, image.revision.initiative
    public = (
        initiative.status == Status.PUBLISHED
        and revision.state == RevisionState.PUBLISHED
        and initiative.published_revision_id == revision.pk
    )
    # Drafts and pending revisions: their organisation's members and moderators only.
    owner = can_view_revisions(user=request.user, initiative=initiative)
    if not (public or owner):
        raise Http404(_("There is no such image."))
    try:
        handle = image.image.open("rb")
    except FileNotFoundError:
        raise Http404(_("There is no such image.")) from None
    response = FileResponse(handle, content_type="image/webp")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response
