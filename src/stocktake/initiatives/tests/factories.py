"""Test data through the real services (users, organisations, entries in every state)."""

import itertools

from django.contrib.auth import get_user_model

from stocktake.accounts.models import ScreeningStatus
from stocktake.organisations.models import Membership, MembershipRole
from stocktake.organisations.services import organisation_create

from .. import services

_numbers = itertools.count(1)


def make_user(*, screened: bool = True, moderator: bool = False, **extra):
    n = next(_numbers)
    user = get_user_model().objects.create_user(
        username=extra.pop("username", f"user{n}"),
        email=extra.pop("email", f"user{n}@example.org"),
        password=extra.pop("password", "a-long-test-password"),
        screening_status=ScreeningStatus.APPROVED if screened else ScreeningStatus.PENDING,
        is_moderator=moderator,
        **extra,
    )
    return user


def make_org(*, members=(), admins=(), country: str = "TN", **extra):
    n = next(_numbers)
    organisation = organisation_create(
        names=extra.pop("names", {"en": f"Organisation {n}", "ar": f"منظمة {n}"}),
        stakeholder_type=extra.pop("stakeholder_type", "government"),
        country=country,
        **extra,
    )
    for user in members:
        Membership.objects.create(organisation=organisation, user=user)
    for user in admins:
        Membership.objects.create(organisation=organisation, user=user, role=MembershipRole.ADMIN)
    return organisation


SUMMARY_EN = " ".join(["An initiative that helps people use digital public services."] * 18)


def complete_content(**overrides) -> dict:
    """A document that passes the submission checks."""
    content = {
        "original_language": "en",
        "title": {"en": "National AI skills programme"},
        "summary": {"en": SUMMARY_EN},
        "description": {"en": "Trains **civil servants** in data and AI.\n\n- courses\n- labs"},
        "objectives": {"en": "Build skills."},
        "initiative_type": "programme",
        "implementation_status": "ongoing",
        "coverage": "national",
        "countries": ["TN"],
        "action_lines": {"primary": "C4", "secondary": ["C7.1"]},
        "sdg_goals": ["4"],
        "sdg_targets": [{"code": "4.4", "evidence": "Digital skills for employment."}],
        "technologies": ["artificial-intelligence"],
        "start_date": "2023-01-01",
        "contact_email": "team@example.org",
    }
    content.update(overrides)
    return content


def make_draft(*, author, organisation, **overrides):
    return services.initiative_create(
        user=author, organisation=organisation, content=complete_content(**overrides)
    )


def make_submitted(*, author, organisation, **overrides):
    initiative = make_draft(author=author, organisation=organisation, **overrides)
    return services.initiative_submit(user=author, initiative=initiative)


def make_published(*, author, organisation, moderator, **overrides):
    initiative = make_submitted(author=author, organisation=organisation, **overrides)
    return services.initiative_publish(moderator=moderator, initiative=initiative)


def edit(initiative, *, user, **changes):
    """Save changes over the revision an editor would load."""
    initiative.refresh_from_db()
    from ..content import read_revision

    base = services.editable_revision(initiative, user)
    document = read_revision(base)
    document.update(changes)
    return services.initiative_update(
        user=user, initiative=initiative, content=document, revision_id=base.pk, lock=base.lock
    )
