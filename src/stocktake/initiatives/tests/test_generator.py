"""`stocktake generate`: synthetic entries with realistic distributions, for benchmarks."""

from collections import Counter

import pytest
from django.core.management import call_command

from stocktake.initiatives.models import Initiative, RevisionTerm, Status
from stocktake.initiatives.selectors import initiative_public_list

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_generate_creates_entries_in_every_state_and_language():
    call_command("generate", count=600, seed=7, no_progress=True)
    assert Initiative.objects.count() == 600
    states = Counter(Initiative.objects.values_list("status", flat=True))
    assert states[Status.PUBLISHED] > 400
    assert set(states) >= {Status.PUBLISHED, Status.SUBMITTED, Status.DRAFT}
    published = initiative_public_list()
    assert published.count() == states[Status.PUBLISHED]
    languages = Counter(
        revision.original_language for revision in (i.published_revision for i in published[:300])
    )
    assert set(languages) == {"ar", "en", "fr"}


def test_every_generated_entry_has_one_primary_action_line_and_a_country():
    call_command("generate", count=50, seed=3, no_progress=True)
    for initiative in Initiative.objects.select_related("published_revision", "working_revision"):
        revision = initiative.published_revision or initiative.working_revision
        links = RevisionTerm.objects.filter(revision=revision)
        assert (
            links.filter(is_primary=True, term__scheme__identifier="wsis-action-lines").count() == 1
        )
        assert links.filter(term__scheme__identifier="countries").exists()


def test_generate_refuses_a_count_below_one():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate", count=0, no_progress=True)
