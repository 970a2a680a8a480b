"""Loading the vocabularies: idempotent, versioned, all or nothing."""

import json
import shutil

import pytest
from django.conf import settings

from stocktake.vocabularies.models import CrosswalkLink, Scheme, Term
from stocktake.vocabularies.services import VocabularyDataError, vocabulary_load_all

pytestmark = pytest.mark.usefixtures("vocabularies")


def snapshot():
    return (
        sorted(Scheme.objects.values_list("identifier", "version", "labels", "parent_scheme")),
        sorted(
            Term.objects.values_list(
                "pk", "scheme_id", "code", "parent_id", "sort_order", "labels", "deprecated"
            )
        ),
        sorted(CrosswalkLink.objects.values_list("pk", "from_term_id", "to_term_id")),
    )


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(settings.VOCABULARY_DATA_DIR, target)
    return target


def edit(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_loading_twice_changes_nothing():
    before = snapshot()
    report = vocabulary_load_all()
    assert not report.changed
    assert all(counts.created == counts.updated == 0 for counts in report.schemes.values())
    assert snapshot() == before


def test_new_version_updates_labels_in_place_and_keeps_references(data_copy):
    target = Term.objects.get(scheme__identifier="sdg-targets", code="9.c")
    link_ids = set(target.incoming_links.values_list("pk", flat=True))

    def relabel(data):
        data["version"] = "2099-01"
        for term in data["terms"]:
            if term["code"] == "9.c":
                term["labels"]["en"] = "Universal and affordable access to the Internet"

    edit(data_copy / "sdg-targets.json", relabel)
    report = vocabulary_load_all(data_dir=data_copy)

    assert report.schemes["sdg-targets"].updated == 2  # the scheme and one term
    target.refresh_from_db()
    assert target.labels["en"] == "Universal and affordable access to the Internet"
    assert Scheme.objects.get(identifier="sdg-targets").version == "2099-01"
    assert set(target.incoming_links.values_list("pk", flat=True)) == link_ids


def test_a_term_dropped_by_a_new_version_is_deprecated_not_deleted(data_copy):
    def drop_blockchain(data):
        data["terms"] = [t for t in data["terms"] if t["code"] != "blockchain-dlt"]

    edit(data_copy / "technologies.json", drop_blockchain)
    report = vocabulary_load_all(data_dir=data_copy)

    term = Term.objects.get(scheme__identifier="technologies", code="blockchain-dlt")
    assert term.deprecated
    assert report.schemes["technologies"].deprecated == 1
    # Loading the original again brings it back.
    vocabulary_load_all()
    term.refresh_from_db()
    assert not term.deprecated


def test_a_removed_crosswalk_link_is_removed(data_copy):
    def unlink(data):
        data["links"]["C5"] = []

    edit(data_copy / "crosswalks" / "wsis-action-lines-to-gdc-objectives.json", unlink)
    vocabulary_load_all(data_dir=data_copy)
    assert not CrosswalkLink.objects.filter(
        crosswalk__identifier="wsis-action-lines-to-gdc-objectives", from_term__code="C5"
    ).exists()


def test_a_missing_label_refuses_the_whole_load(data_copy):
    before = snapshot()

    def relabel_and_break(data):
        data["terms"][0]["labels"]["en"] = "Changed"
        data["terms"][1]["labels"].pop("fr")

    edit(data_copy / "coverage.json", relabel_and_break)
    with pytest.raises(VocabularyDataError) as error:
        vocabulary_load_all(data_dir=data_copy)
    assert "coverage.json" in str(error.value)
    assert "no label in fr" in str(error.value)
    assert snapshot() == before


def test_a_crosswalk_to_an_unknown_term_refuses_the_load(data_copy):
    def dangle(data):
        data["links"]["C1"] = ["99.9"]

    edit(data_copy / "crosswalks" / "wsis-action-lines-to-sdg-targets.json", dangle)
    with pytest.raises(VocabularyDataError, match=r"'99\.9'"):
        vocabulary_load_all(data_dir=data_copy)
