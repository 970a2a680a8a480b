"""E-mail about entries, each in its recipient's language; sent once the change is committed
(console backend in development, SMTP in production)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from stocktake.accounts.models import ScreeningStatus


def on_commit(function, **kwargs) -> None:
    transaction.on_commit(lambda: function(**kwargs))


def _send(*, users, template: str, initiative, note: str = "") -> None:
    from .models import Initiative

    initiative = Initiative.objects.select_related(
        "organisation", "published_revision", "working_revision"
    ).get(pk=initiative if isinstance(initiative, int) else initiative.pk)
    revision = initiative.working_revision or initiative.published_revision
    for user in users:
        if not user.email:
            continue
        language = user.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "user": user,
                "initiative": initiative,
                "title": revision.title_text if revision else "",
                "note": note,
                "url": settings.SITE_URL + reverse("initiatives:detail", args=[initiative.pk]),
                "edit_url": settings.SITE_URL + reverse("initiatives:edit", args=[initiative.pk]),
                "SITE_NAME": settings.SITE_NAME,
            }
            subject = render_to_string(f"initiatives/email/{template}_subject.txt", context)
            body = render_to_string(f"initiatives/email/{template}.txt", context)
        send_mail(" ".join(subject.split()), body, None, [user.email])


def _owners(initiative_id: int):
    from .models import Initiative

    initiative = Initiative.objects.get(pk=initiative_id)
    User = get_user_model()
    return User.objects.filter(
        is_active=True,
        screening_status=ScreeningStatus.APPROVED,
        memberships__organisation_id=initiative.organisation_id,
    ).distinct()


def _moderators():
    User = get_user_model()
    return User.objects.filter(is_active=True, is_moderator=True)


def _last_note(initiative_id: int) -> str:
    from .models import Transition

    return (
        Transition.objects.filter(initiative_id=initiative_id)
        .order_by("-created_at", "-pk")
        .values_list("note", flat=True)
        .first()
        or ""
    )


def submitted(*, initiative_id: int) -> None:
    _send(users=_moderators(), template="submitted", initiative=initiative_id)


def changes_requested(*, initiative_id: int) -> None:
    _send(
        users=_owners(initiative_id),
        template="changes_requested",
        initiative=initiative_id,
        note=_last_note(initiative_id),
    )


def published(*, initiative_id: int) -> None:
    _send(users=_owners(initiative_id), template="published", initiative=initiative_id)


def update_reminder(*, initiative_id: int) -> None:
    _send(users=_owners(initiative_id), template="update_reminder", initiative=initiative_id)
