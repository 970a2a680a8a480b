"""The content document (content.py): the optional evidence of SDG goals, beside the goals, as
the evidence of SDG targets sits in the targets."""

import pytest
from django.core.exceptions import ValidationError

from stocktake.initiatives import services
from stocktake.initiatives.content import (
    diff_documents,
    field_label,
    goal_evidence_kept,
    read_revision,
    validate_content,
)

from .factories import complete_content, edit, make_draft, make_published, make_user

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_goal_evidence_is_cleaned_stored_on_the_goal_and_read_back(db):
    entry = make_draft(
        sdg_goals=["4", "16"],
        sdg_goal_evidence={"16": "  Cafe\u0301 \x07open data  ", "4": "", "9": None},
        sdg_targets=[{"code": "4.4", "evidence": "Digital skills for employment."}],
    )
    revision = entry.working_revision
    links = {
        link.term.code: link.evidence
        for link in revision.term_links.filter(term__scheme__identifier="sdg-goals")
    }
    assert links == {"4": "", "16": "Café open data"}  # NFC, no control characters, trimmed
    document = read_revision(revision)
    assert document["sdg_goals"] == ["4", "16"]  # still a plain list of codes
    assert document["sdg_goal_evidence"] == {"16": "Café open data"}  # only goals with evidence
    assert document["sdg_targets"] == [
        {"code": "4.4", "evidence": "Digital skills for employment."}
    ]


def test_a_document_without_goal_evidence_reads_back_an_empty_object(db):
    document = read_revision(make_draft().working_revision)
    assert document["sdg_goal_evidence"] == {}


def test_evidence_for_a_goal_not_chosen_is_an_error_of_that_field(db):
    with pytest.raises(ValidationError) as error:
        validate_content(
            complete_content(sdg_goals=["4"], sdg_goal_evidence={"4": "Yes.", "13": "No goal."}),
            for_submission=True,
        )
    errors = error.value.message_dict
    assert list(errors) == ["sdg_goal_evidence"]
    assert "13" in errors["sdg_goal_evidence"][0] and "4," not in errors["sdg_goal_evidence"][0]


def test_evidence_for_the_goal_of_a_chosen_target_is_accepted(db):
    clean = validate_content(
        complete_content(
            sdg_goals=[],
            sdg_targets=[{"code": "9.c"}],
            sdg_goal_evidence={"9": "Rural broadband."},
        ),
        for_submission=False,
    )
    assert clean["sdg_goals"] == ["9"]
    assert clean["sdg_goal_evidence"] == {"9": "Rural broadband."}
    goal = next(link for link in clean["_terms"]["links"] if link[0].code == "9")
    assert goal[2] == "Rural broadband."


@pytest.mark.parametrize("value", [["16"], "16: text", 16])
def test_goal_evidence_must_be_an_object(db, value):
    with pytest.raises(ValidationError) as error:
        validate_content(complete_content(sdg_goal_evidence=value), for_submission=False)
    assert list(error.value.message_dict) == ["sdg_goal_evidence"]
    assert field_label("sdg_goal_evidence") == "Evidence for the SDG goals"


def test_goal_evidence_goes_with_the_goal_into_later_versions(db):
    author = make_user()
    entry = make_published(
        author=author, sdg_goals=["4", "16"], sdg_goal_evidence={"16": "Identity for all."}
    )
    edit(entry, user=author, keywords=["identity"])
    entry.refresh_from_db()
    assert read_revision(entry.working_revision)["sdg_goal_evidence"] == {"16": "Identity for all."}
    # The published version is untouched and has it too.
    assert read_revision(entry.published_revision)["sdg_goal_evidence"] == {
        "16": "Identity for all."
    }
    # A copy of the published version (the first save of a pending edit) keeps it.
    other = make_published(sdg_goals=["16"], sdg_goal_evidence={"16": "Copied."})
    copy = services.editable_revision(other)
    assert read_revision(copy)["sdg_goal_evidence"] == {"16": "Copied."}


def test_a_change_of_goal_evidence_alone_is_a_change_of_the_goals(db):
    old = read_revision(
        make_draft(sdg_goals=["4"], sdg_goal_evidence={"4": "Before."}).working_revision
    )
    new = {**old, "sdg_goal_evidence": {"4": "After."}}
    changes = diff_documents(old, new)
    assert [change["field"] for change in changes] == ["sdg_goals"]
    # No evidence, an empty object and empty texts (as typed, not yet validated) are the same.
    bare = {key: value for key, value in old.items() if key != "sdg_goal_evidence"}
    assert diff_documents({**bare, "sdg_goal_evidence": {}}, bare) == []
    assert diff_documents({**bare, "sdg_goal_evidence": {"4": ""}}, bare) == []


def test_kept_goal_evidence_is_that_of_the_goals_still_there():
    document = {"sdg_goals": ["4"], "sdg_targets": [{"code": "9.c"}, "16.9"]}
    evidence = {"4": "a", "9": "b", "16": "c", "13": "d"}
    assert goal_evidence_kept(document, evidence) == {"4": "a", "9": "b", "16": "c"}
    assert goal_evidence_kept(document, None) == {}
