"""Test data for the moderation tests, made through the real services (no tests here).

Kept apart from factories.py so these tests do not depend on helpers other pages need."""

from contextlib import contextmanager
from itertools import count
from unittest import mock

from stocktake.accounts.models import ScreeningStatus, User
from stocktake.organisations.models import Membership, Organisation
from stocktake.organisations.services import organisation_create

from .. import services
from ..content import read_revision
from ..models import Initiative

BACKEND = "django.contrib.auth.backends.ModelBackend"
_sequence = count(1)


@contextmanager
def at(moment):
    """Run the real services as if it were `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def login(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def make_person(*, moderator: bool = False, **fields) -> User:
    n = next(_sequence)
    fields.setdefault("username", f"moderation-user-{n}")
    fields.setdefault("email", f"moderation-user-{n}@example.org")
    return User.objects.create_user(
        password="a-long-enough-password",
        screening_status=ScreeningStatus.APPROVED,
        is_moderator=moderator,
        **fields,
    )


def make_org(*, members=(), country: str = "TN") -> Organisation:
    n = next(_sequence)
    created = organisation_create(
        names={"en": f"Digital Agency {n}", "ar": f"الوكالة الرقمية {n}"},
        stakeholder_type="government",
        country=country,
    )
    for member in members:
        Membership.objects.create(organisation=created, user=member)
    return created


def content(**overrides) -> dict:
    """A document complete enough to be submitted."""
    document = {
        "original_language": "en",
        "title": {"en": "National AI skills programme"},
        "summary": {"en": "Courses in every governorate for adults who want digital skills."},
        "description": {"en": "Trains **civil servants** in data and AI."},
        "initiative_type": "programme",
        "implementation_status": "ongoing",
        "coverage": "national",
        "countries": ["TN"],
        "action_lines": {"primary": "C4", "secondary": ["C7.1"]},
        "sdg_goals": ["4"],
        "technologies": ["artificial-intelligence"],
        "contact_email": "team@example.org",
    }
    document.update(overrides)
    return document


def make_submitted(*, author, organisation, **overrides) -> Initiative:
    initiative = services.initiative_create(
        user=author, organisation=organisation, content=content(**overrides)
    )
    return services.initiative_submit(user=author, initiative=initiative)


def make_published(*, author, organisation, moderator, **overrides) -> Initiative:
    initiative = make_submitted(author=author, organisation=organisation, **overrides)
    return services.initiative_publish(moderator=moderator, initiative=initiative)


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
