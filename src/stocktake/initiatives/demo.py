"""Demo data: organisations, accounts and entries loaded through the real services, each entry
driven through the workflow to the state its file names (see demo/README.md)."""

import json
import random
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from stocktake.accounts.models import ScreeningStatus
from stocktake.organisations.models import Membership, MembershipRole, Organisation
from stocktake.organisations.services import organisation_create
from stocktake.search.services import search_index_entries

from . import services
from .content import read_revision
from .models import Initiative, Origin, Transition

DEMO_DIR = Path(__file__).resolve().parent / "demo"


class DemoAccount(NamedTuple):
    username: str
    password: str
    name: str
    role: str  # moderator, contributor (admin of every demo organisation), member, applicant
    description: str  # as the README's table of demo accounts says it


# For local use only: `load_demo` refuses to run with DEBUG off. Loading the demo again puts
# each account's screening and moderator flag back as described here.
DEMO_ACCOUNTS = [
    DemoAccount("moderator", "demo-moderator-2026", "Mona Haddad", "moderator", "moderator"),
    DemoAccount(
        "moderator2",
        "demo-moderator-2026",
        "Karim Benali",
        "moderator",
        "second moderator (four-eyes publishing)",
    ),
    DemoAccount(
        "contributor",
        "demo-contributor-2026",
        "Layla Mansour",
        "contributor",
        "contributor and organisation admin of every demo organisation",
    ),
    DemoAccount(
        "member",
        "demo-member-2026",
        "Youssef Amrani",
        "member",
        "contributor (not organisation admin) in every demo organisation",
    ),
    DemoAccount(
        "applicant",
        "demo-applicant-2026",
        "Salma Idrissi",
        "applicant",
        "new account waiting for screening (e-mail confirmed, in the moderators' queue)",
    ),
]
APPLICANT_NOTE = "Ministry of Digital Economy, data protection officer."


def _user(account: DemoAccount):
    User = get_user_model()
    user = User.objects.filter(username=account.username).first()
    if user is None:
        first, _sep, last = account.name.partition(" ")
        user = User.objects.create_user(
            username=account.username,
            email=f"{account.username}@example.org",
            password=account.password,
            first_name=first,
            last_name=last,
        )
    user.is_moderator = account.role == "moderator"
    user.email_confirmed_at = user.email_confirmed_at or timezone.now()
    if account.role == "applicant":
        user.screening_status = ScreeningStatus.PENDING
        user.screened_at, user.screened_by, user.screening_note = None, None, ""
        user.registration_note = APPLICANT_NOTE
    else:
        user.screening_status = ScreeningStatus.APPROVED
    user.save()
    return user


def read_demo_files(directory: Path = DEMO_DIR) -> tuple[list[dict], list[dict]]:
    organisations, initiatives = [], []
    for path in sorted(directory.glob("part-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        organisations += data.get("organisations", [])
        initiatives += data.get("initiatives", [])
    return organisations, initiatives


def _content(item: dict) -> dict:
    keys = (
        "original_language", "title", "summary", "description", "objectives", "results",
        "challenges", "future_plans", "partners", "initiative_type", "implementation_status",
        "coverage", "start_date", "end_date", "action_lines", "sdg_goals", "sdg_goal_evidence",
        "sdg_targets", "gdc_objectives", "wsis_targets", "technologies", "beneficiary_groups",
        "countries", "funding_source", "funding_amount", "funding_currency", "website",
        "keywords", "contact_name", "contact_email", "links",
    )  # fmt: skip
    return {key: item[key] for key in keys if key in item}


def _backdate(initiative: Initiative, when) -> None:
    """Spread demo history over the past two years so lists and the yearly call look real."""
    Initiative.objects.filter(pk=initiative.pk).update(
        created_at=when - timedelta(days=20),
        submitted_at=when - timedelta(days=5) if initiative.submitted_at else None,
        published_at=when if initiative.published_at else None,
        last_published_at=when if initiative.last_published_at else None,
        last_confirmed_at=when if initiative.last_confirmed_at else None,
    )
    Transition.objects.filter(initiative=initiative).update(created_at=when)


@transaction.atomic
def load_demo(*, directory: Path = DEMO_DIR, seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    users = {account.username: _user(account) for account in DEMO_ACCOUNTS}
    moderator, moderator2 = users["moderator"], users["moderator2"]
    contributor, member = users["contributor"], users["member"]
    org_data, entries = read_demo_files(directory)
    organisations = {}
    for item in org_data:
        organisation = Organisation.objects.filter(slug=item["slug"]).first()
        if organisation is None:
            organisation = organisation_create(
                names=item["names"],
                stakeholder_type=item["stakeholder_type"],
                country=item.get("country"),
                website=item.get("website", ""),
                acronym=item.get("acronym", ""),
                slug=item["slug"],
            )
        Membership.objects.get_or_create(
            organisation=organisation, user=contributor, defaults={"role": MembershipRole.ADMIN}
        )
        Membership.objects.get_or_create(
            organisation=organisation, user=member, defaults={"role": MembershipRole.CONTRIBUTOR}
        )
        organisations[item["slug"]] = organisation

    created = 0
    now = timezone.now()
    for item in entries:
        if Initiative.objects.filter(external_ids__demo=item["key"]).exists():
            continue
        initiative = services.initiative_create(
            user=contributor,
            organisation=organisations[item["organisation"]],
            content=_content(item),
            origin=Origin.SUBMITTED,
            external_ids={"demo": item["key"]},
        )
        state = item["state"]
        if state != "draft" and state != "withdrawn":
            services.initiative_submit(user=contributor, initiative=initiative)
        if state == "changes_requested":
            services.initiative_request_changes(
                moderator=moderator,
                initiative=initiative,
                note="Please add the SDG targets the initiative contributes to, with evidence.",
            )
        if state in ("published", "published_with_pending_revision", "archived"):
            services.initiative_publish(moderator=moderator2, initiative=initiative)
            initiative.refresh_from_db()
            if item.get("good_practice"):
                services.initiative_set_good_practice(
                    moderator=moderator, initiative=initiative, value=True
                )
            _backdate(initiative, now - timedelta(days=rng.randint(10, 540)))
        if state == "published_with_pending_revision":
            initiative.refresh_from_db()
            document = read_revision(initiative.published_revision)
            document["keywords"] = [*document.get("keywords", []), "update 2026"]
            language = document["original_language"]
            document["results"] = dict(document.get("results") or {})
            document["results"][language] = (
                document["results"].get(language, "")
                + "\n\n"
                + {
                    "ar": "تحديث 2026: توسعت المبادرة إلى مناطق جديدة.",
                    "fr": "Mise à jour 2026 : l'initiative s'étend à de nouvelles régions.",
                }.get(language, "2026 update: the initiative has expanded to new regions.")
            ).strip()
            published = initiative.published_revision
            services.initiative_update(
                user=contributor,
                initiative=initiative,
                content=document,
                revision_id=published.pk,
                lock=published.lock,
            )
            services.initiative_submit(user=contributor, initiative=initiative)
        if state == "archived":
            services.initiative_archive(
                moderator=moderator, initiative=initiative, note="The programme has ended."
            )
        if state == "withdrawn":
            services.initiative_withdraw(
                user=contributor, initiative=initiative, note="Entered twice by mistake."
            )
        created += 1
    # The history was backdated after publishing: index the entries with their dates.
    search_index_entries(ids=Initiative.objects.values_list("pk", flat=True))
    return {"organisations": len(organisations), "initiatives": created}
