"""The index follows the lifecycle in the same transaction, and holds what people search by."""

import json
import shutil

import pytest
from django.core.management import call_command
from django.db import transaction

from stocktake.initiatives import services
from stocktake.initiatives.tests.factories import (
    edit,
    make_org,
    make_published,
    make_submitted,
    make_user,
)
from stocktake.search.browse import BrowseIndex
from stocktake.search.models import SearchDocument, SearchWord
from stocktake.search.query import parse_query
from stocktake.search.selectors import search_browse
from stocktake.search.services import search_index_rebuild

pytestmark = pytest.mark.usefixtures("vocabularies")

NEUTRAL = {"sdg_goals": ["17"], "sdg_targets": [], "technologies": [], "keywords": []}


def found(text: str, **filters) -> set[int]:
    result = search_browse(query=parse_query(text), filters=filters, with_counts=False)
    return set(result.ids(0, 1000))


def entry(title: str, **content):
    return make_published(title={"en": title}, **{**NEUTRAL, **content})


def test_published_entries_are_found_at_once_and_drafts_never():
    published = entry("Solar-powered classrooms")
    draft = make_submitted(title={"en": "Solar-powered kiosks"}, **NEUTRAL)
    assert found("solar") == {published.pk}
    assert draft.pk not in found("kiosks")


def test_withdrawing_or_archiving_removes_an_entry_at_once_and_restoring_brings_it_back():
    moderator = make_user(moderator=True)
    archived, withdrawn = entry("Archived telemedicine"), entry("Withdrawn telemedicine")
    assert found("telemedicine") == {archived.pk, withdrawn.pk}
    services.initiative_archive(moderator=moderator, initiative=archived)
    services.initiative_withdraw(user=moderator, initiative=withdrawn)
    assert found("telemedicine") == set()
    services.initiative_restore(moderator=moderator, initiative=archived)
    assert found("telemedicine") == {archived.pk}


def test_a_pending_revision_is_searchable_only_once_published():
    author, moderator = make_user(), make_user(moderator=True)
    initiative = make_published(author=author, title={"en": "Original wording"}, **NEUTRAL)
    edit(initiative, user=author, title={"en": "Revised phrasing"})
    services.initiative_submit(user=author, initiative=initiative)
    assert found("revised") == set() and found("original") == {initiative.pk}
    services.initiative_publish(moderator=moderator, initiative=initiative)
    assert found("revised") == {initiative.pk} and found("original") == set()


def test_a_failed_lifecycle_change_leaves_the_index_as_it_was():
    moderator = make_user(moderator=True)
    initiative = entry("Rolled back archive")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.initiative_archive(moderator=moderator, initiative=initiative)
        raise RuntimeError("the request failed after the change")
    assert found("rolled") == {initiative.pk}


def test_organisation_names_in_every_language_acronym_and_partners_are_searchable():
    organisation = make_org(
        names={"en": "Digital Agency of Oman", "ar": "هيئة عمان الرقمية"}, acronym="DAO"
    )
    initiative = make_published(
        organisation=organisation,
        title={"en": "Unrelated title"},
        partners=[{"name": "Muscat University", "stakeholder_type": "academia", "country": "OM"}],
        **NEUTRAL,
    )
    for text in ("agency", "هيئة", "DAO", "muscat"):
        assert found(text) == {initiative.pk}, text


def test_vocabulary_labels_in_every_language_find_an_entry_written_in_another():
    english = entry("Remote consultations", action_lines={"primary": "C7.4", "secondary": []})
    arabic = make_published(
        original_language="ar",
        title={"ar": "حماية شبكات الوزارات"},
        summary={"ar": "تدريب الموظفين على التصدي للهجمات."},
        description={"ar": "تدريب الموظفين على التصدي للهجمات."},
        action_lines={"primary": "C5", "secondary": []},
        **NEUTRAL,
    )
    assert english.pk in found("الصحة الإلكترونية")  # C7.4's Arabic label
    assert arabic.pk in found("cybersécurité")  # C5's French description
    assert arabic.pk in found("cybersecurity")  # and its English one


def test_reindex_rebuilds_the_index_from_the_published_entries(capsys):
    kept = entry("Reindexed entry")
    SearchDocument.objects.all().delete()
    SearchWord.objects.all().delete()
    assert found("reindexed") == set()
    call_command("reindex", "--no-progress")
    assert found("reindexed") == {kept.pk}
    assert "Indexed 1 published entries." in capsys.readouterr().out
    assert SearchWord.objects.filter(word="reindexed").exists()


def test_rebuild_reports_progress_in_batches():
    for n in range(3):
        entry(f"Batch entry {n}")
    steps = []
    assert search_index_rebuild(batch_size=2, progress=steps.append) == 3
    assert steps == [2, 1]


def test_another_process_browse_index_catches_up_with_changes_it_did_not_make():
    moderator = make_user(moderator=True)
    first = entry("First entry", countries=["EG"])
    before = BrowseIndex().refreshed()  # as in another worker process
    assert before.counts("countries", before.everything) == {"EG": 1}
    second = entry("Second entry", countries=["EG"])
    services.initiative_archive(moderator=moderator, initiative=first)
    after = before.refreshed()  # piecemeal, from the recorded changes
    assert set(after.everything) == {second.pk}
    assert set(before.everything) == {first.pk}  # a built index never changes under a reader
    whole = BrowseIndex().refreshed()  # a whole load agrees with the piecemeal one
    for facet, values in whole.facets.items():
        kept = {value: posting for value, posting in after.facets[facet].items() if posting}
        assert kept == values, facet
    assert after.refreshed() is after  # current: nothing to do


def test_a_browse_index_from_a_rolled_back_state_reloads_whole():
    kept = entry("Kept entry")
    with pytest.raises(RuntimeError), transaction.atomic():
        entry("Rolled back entry")
        stale = BrowseIndex().refreshed()  # sees the uncommitted entry
        raise RuntimeError
    entry("Another entry")  # the same version number, another state
    current = stale.refreshed()
    assert kept.pk in current.everything
    assert len(current.everything) == 2


def test_new_vocabulary_labels_reach_the_indexed_entries(tmp_path, settings):
    initiative = entry("Fibre to the home", action_lines={"primary": "C2", "secondary": []})
    data = tmp_path / "data"
    shutil.copytree(settings.VOCABULARY_DATA_DIR, data)
    path = data / "wsis-action-lines.json"
    content = json.loads(path.read_text(encoding="utf-8"))
    content["version"] = "2099-01"
    for term in content["terms"]:
        if term["code"] == "C2":
            term["labels"]["en"] = "Backbone infrastructure for gigabit societies"
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    assert found("gigabit") == set()
    call_command("load_vocabularies", "--data-dir", str(data), verbosity=0)
    assert found("gigabit") == {initiative.pk}
