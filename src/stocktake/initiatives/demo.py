"""Demo data: organisations, accounts and entries loaded through the real services, each entry
driven through the workflow to the state its file names (see demo/README.md)."""

import json
import random
from datetime import timedelta
from pathlib import Path

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
# For local use only: `load_demo` refuses to run with DEBUG off.
DEMO_ACCOUNTS = [
    # username, password, full name, moderator
    ("moderator", "demo-moderator-2026", "Mona Haddad", True),
    ("moderator2", "demo-moderator-2026", "Karim Benali", True),
    ("contributor", "demo-contributor-2026", "Layla Mansour", False),
]


def _user(username: str, password: str, name: str, moderator: bool):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        first, _sep, last = name.partition(" ")
        user = User.objects.create_user(
            username=username,
            email=f"{username}@example.org",
            password=password,
            first_name=first,
            last_name=last,
        )
    user.is_moderator = moderator
    user.screening_status = ScreeningStatus.APPROVED
    user.email_confirmed_at = user.email_confirmed_at or timezone.now()
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
        "coverage", "start_date", "end_date", "action_lines", "sdg_goals", "sdg_targets",
        "gdc_objectives", "wsis_targets", "technologies", "beneficiary_groups", "countries",
        "funding_source", "funding_amount", "funding_currency", "website", "keywords",
        "contact_name", "contact_email", "links",
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
    moderator, moderator2, contributor = (_user(*account) for account in DEMO_ACCOUNTS)
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
