"""What the data files say about their sources, and the facts checked against those sources.

Pinned here so that a later edit cannot quietly drift from the official texts:
- the French Action Line headings verified against ITU's publication of the official French
  Geneva Plan of Action (https://www.itu.int/net/wsis/outcome/booklet/plan_action_C1-fr.html
  to …_C7-fr.html);
- the structure of the WSIS-SDG Matrix (ITU, 2015, https://www.itu.int/net4/wsis/sdg/): one
  row per Action Line and per C7 application, none for C7 as a whole;
- the source notes, which must say plainly what was checked and what is the project's reading.
"""

import json
import re

import pytest
from django.conf import settings

from stocktake.vocabularies.models import Crosswalk, CrosswalkLink, Term

pytestmark = pytest.mark.usefixtures("vocabularies")

DATA = settings.VOCABULARY_DATA_DIR


def french_label(code: str) -> str:
    return Term.objects.get(scheme__identifier="wsis-action-lines", code=code).labels["fr"]


@pytest.mark.parametrize(
    "code,official",
    [
        ("C1", "Le rôle des gouvernements et de toutes les parties prenantes dans la promotion "
               "des TIC pour le développement"),
        # The heading goes on ": fondement essentiel d'une société de l'information inclusive";
        # the label stops at the colon, as the English one does.
        ("C2", "L'infrastructure de l'information et de la communication"),
        ("C3", "L'accès à l'information et au savoir"),
        ("C6", "Créer un environnement propice"),
        ("C7", "Les applications TIC et leur apport dans tous les domaines"),
        ("C7.1", "Administration électronique"),
        ("C7.2", "Commerce électronique"),
    ],
)  # fmt: skip
def test_french_action_line_labels_follow_the_official_french_text(code, official):
    assert french_label(code) == official


def test_action_line_source_says_which_labels_were_checked():
    source = json.loads((DATA / "wsis-action-lines.json").read_text(encoding="utf-8"))["source"]
    assert "WSIS-03/GENEVA/DOC/5" in source
    assert "itu.int/net/wsis/outcome/booklet/plan_action_C1-fr.html" in source
    assert "could not yet be checked" in source and "Arabic" in source


def test_sdg_crosswalk_links_c7_only_through_its_applications():
    links = CrosswalkLink.objects.filter(crosswalk__identifier="wsis-action-lines-to-sdg-targets")
    assert not links.filter(from_term__code="C7").exists()
    for n in range(1, 9):
        assert links.filter(from_term__code=f"C7.{n}").exists(), f"C7.{n}"


def test_sdg_crosswalk_source_cites_the_matrix_and_says_what_is_the_projects_reading():
    source = Crosswalk.objects.get(identifier="wsis-action-lines-to-sdg-targets").source
    assert "WSIS-SDG Matrix: Linking WSIS Action Lines with Sustainable Development Goals" in source
    assert "ITU" in source and "2015" in source
    assert "https://www.itu.int/net4/wsis/sdg/" in source
    assert "Checked against the Matrix: its structure only" in source
    assert "the project's own reading" in source
    assert "reconstruct" not in source  # the old, vaguer wording


def test_gdc_crosswalk_source_says_there_is_no_official_mapping():
    source = Crosswalk.objects.get(identifier="wsis-action-lines-to-gdc-objectives").source
    assert source.startswith("No official mapping exists")
    assert "A/RES/79/1" in source
    assert "the project's own reading" in source
    # The reasoning names every objective.
    for objective in range(1, 6):
        assert f"objective {objective} (" in source


EN_DASH = "\u2013"  # between the two ends of a range of codes in the source note


def _expand(codes: str) -> set[str]:
    """Codes and code ranges ("C1-C4, C7.6-C7.8", with en dashes) as a set of codes."""
    expanded = set()
    for part in (item.strip() for item in codes.split(",")):
        first, _, last = part.partition(EN_DASH)
        if not last:
            expanded.add(first)
            continue
        stem = first.rsplit(".", 1)[0] + "." if "." in first else "C"
        start, end = int(first[len(stem) :]), int(last[len(stem) :])
        expanded |= {f"{stem}{n}" for n in range(start, end + 1)}
    return expanded


def test_gdc_crosswalk_reasoning_matches_its_links():
    crosswalk = Crosswalk.objects.get(identifier="wsis-action-lines-to-gdc-objectives")
    reasons = re.findall(r"objective (\d) \(.*?\) takes [^(]*\(([^)]*)\)", crosswalk.source)
    assert [objective for objective, _codes in reasons] == ["1", "2", "3", "4", "5"]
    for objective, codes in reasons:
        linked = set(
            crosswalk.links.filter(to_term__code=objective).values_list(
                "from_term__code", flat=True
            )
        )
        assert _expand(codes) == linked, f"objective {objective}"
