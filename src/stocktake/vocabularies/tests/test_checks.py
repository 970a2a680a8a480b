"""System checks guard the vocabulary invariants."""

import json
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from stocktake.vocabularies.checks import check_vocabulary_database, check_vocabulary_files
from stocktake.vocabularies.models import Term


def test_the_shipped_data_files_pass_the_checks():
    assert check_vocabulary_files(None) == []


def test_a_term_without_a_label_fails_the_checks(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(settings.VOCABULARY_DATA_DIR, data_dir)
    path = data_dir / "statuses.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["terms"][0]["labels"]["ar"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "VOCABULARY_DATA_DIR", data_dir)
        errors = check_vocabulary_files(None)
        with pytest.raises(SystemCheckError, match="no label in ar"):
            call_command("check")
    assert [error.id for error in errors] == ["stocktake.E001"]


def test_a_crosswalk_to_a_missing_term_fails_the_checks(tmp_path, settings):
    data_dir = tmp_path / "data"
    shutil.copytree(settings.VOCABULARY_DATA_DIR, data_dir)
    path = data_dir / "crosswalks" / "wsis-action-lines-to-gdc-objectives.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["links"]["C2"] = ["6"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    settings.VOCABULARY_DATA_DIR = data_dir

    messages = [error.msg for error in check_vocabulary_files(None)]
    assert any("'6'" in message and "gdc-objectives" in message for message in messages)


def test_a_label_removed_in_the_database_fails_the_database_check(vocabularies):
    term = Term.objects.get(scheme__identifier="coverage", code="national")
    term.labels = {k: v for k, v in term.labels.items() if k != "fr"}
    term.save()
    errors = check_vocabulary_database(None, databases=["default"])
    assert [e.id for e in errors] == ["stocktake.E002"]
    assert "fr" in errors[0].msg
