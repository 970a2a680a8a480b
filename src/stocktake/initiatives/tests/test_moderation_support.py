"""Helpers for the moderation tests (no tests here), on top of the shared factories."""

from contextlib import contextmanager
from unittest import mock

from stocktake.accounts.models import User

from .. import services
from ..content import read_revision
from ..models import Initiative
from .factories import complete_content, make_org, make_published, make_submitted, make_user

__all__ = ["make_org", "make_published", "make_submitted"]

BACKEND = "django.contrib.auth.backends.ModelBackend"


@contextmanager
def at(moment):
    """Run the real services as if it were `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def login(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def make_person(*, moderator: bool = False, **fields) -> User:
    return make_user(moderator=moderator, **fields)


content = complete_content


def revise(initiative, *, author, submit: bool = True, **changes) -> Initiative:
    """Edit a published entry as its editor would (a pending revision), then submit it."""
    initiative = Initiative.objects.select_related("published_revision").get(pk=initiative.pk)
    base = initiative.published_revision
    document = read_revision(base)
    document.update(changes)
    services.initiative_update(
        user=author, initiative=initiative, content=document, revision_id=base.pk, lock=base.lock
    )
    if submit:
        services.initiative_submit(user=author, initiative=initiative)
    initiative.refresh_from_db()
    return initiative
