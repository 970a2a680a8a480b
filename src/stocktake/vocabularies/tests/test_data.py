"""The reference vocabularies as loaded: counts, hierarchy, labels in every language."""

import re

import pytest
from django.conf import settings

from stocktake.vocabularies.models import Crosswalk, CrosswalkLink, Scheme, Term

pytestmark = pytest.mark.usefixtures("vocabularies")

REQUIRED_SCHEMES = {
    "wsis-action-lines",
    "sdg-goals",
    "sdg-targets",
    "gdc-objectives",
    "wsis-targets",
    "stakeholder-types",
    "initiative-types",
    "statuses",
    "coverage",
    "beneficiary-groups",
    "technologies",
    "countries",
    "regions",
}
ARAB_LEAGUE = {
    "DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR",
    "MA", "OM", "PS", "QA", "SA", "SO", "SD", "SY", "TN", "AE", "YE",
}  # fmt: skip
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")


def terms(scheme: str):
    return Term.objects.filter(scheme__identifier=scheme, deprecated=False)


def test_every_required_scheme_is_loaded():
    assert REQUIRED_SCHEMES <= set(Scheme.objects.values_list("identifier", flat=True))


def test_seventeen_sdg_goals_numbered_one_to_seventeen():
    assert sorted(terms("sdg-goals").values_list("code", flat=True), key=int) == [
        str(n) for n in range(1, 18)
    ]


def test_169_sdg_targets_each_under_its_goal():
    targets = terms("sdg-targets").select_related("parent__scheme")
    assert targets.count() == 169
    for target in targets:
        assert target.parent is not None, target.code
        assert target.parent.scheme.identifier == "sdg-goals"
        assert target.code.split(".")[0] == target.parent.code
        assert re.fullmatch(r"\d{1,2}\.(\d{1,2}|[a-d])", target.code), target.code


def test_sdg_target_numbering_uses_letters_for_means_of_implementation():
    codes = set(terms("sdg-targets").values_list("code", flat=True))
    assert {"1.1", "1.a", "1.b", "9.c", "17.19", "16.10"} <= codes


def test_eleven_action_lines_and_eight_c7_sub_lines():
    lines = terms("wsis-action-lines")
    top = lines.filter(parent__isnull=True)
    assert sorted(top.values_list("code", flat=True), key=lambda c: int(c[1:])) == [
        f"C{n}" for n in range(1, 12)
    ]
    sub = lines.filter(parent__code="C7")
    assert sub.count() == 8
    assert lines.count() == 19
    assert sub.get(code="C7.4").labels["en"].lower().replace("-", "") == "ehealth"


def test_five_gdc_objectives_and_ten_wsis_targets():
    assert terms("gdc-objectives").count() == 5
    assert terms("wsis-targets").count() == 10


def test_league_of_arab_states_has_its_22_members():
    league = Term.objects.get(scheme__identifier="regions", code="LAS")
    members = set(
        CrosswalkLink.objects.filter(
            crosswalk__identifier="regions-to-countries", from_term=league
        ).values_list("to_term__code", flat=True)
    )
    assert members == ARAB_LEAGUE


def test_countries_are_iso_3166_alpha_2_codes():
    countries = terms("countries")
    assert countries.count() == 249
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in countries.values_list("code", flat=True))
    tunisia = countries.get(code="TN")
    assert tunisia.extra["alpha3"] == "TUN"
    assert ARABIC_SCRIPT.search(tunisia.labels["ar"])
    assert tunisia.labels["fr"] == "Tunisie"


def test_regions_include_un_m49_and_itu_regions():
    codes = set(terms("regions").values_list("code", flat=True))
    assert {"LAS", "M49-002", "M49-015", "M49-145", "ITU-ARB"} <= codes
    western_asia = Term.objects.get(scheme__identifier="regions", code="M49-145")
    assert western_asia.parent.code == "M49-142"


def test_no_two_regions_share_a_label_in_any_language():
    # ITU-D and UN M49 both have an "Africa", an "Americas" and a "Europe": the labels say which.
    regions = list(terms("regions"))
    for language, _name in settings.LANGUAGES:
        labels = [term.labels[language] for term in regions]
        repeated = sorted({label for label in labels if labels.count(label) > 1})
        assert not repeated, f"regions share {language} labels: {repeated}"
    africa = Term.objects.get(scheme__identifier="regions", code="ITU-AFR").labels
    assert africa == {
        "en": "Africa (ITU-D)",
        "fr": "Afrique (UIT-D)",
        "ar": "أفريقيا (قطاع تنمية الاتصالات)",
    }
    assert Term.objects.get(scheme__identifier="regions", code="M49-002").labels["en"] == "Africa"


def test_every_term_and_scheme_has_a_label_in_every_configured_language():
    languages = [code for code, _name in settings.LANGUAGES]
    for obj in [*Scheme.objects.all(), *Term.objects.all(), *Crosswalk.objects.all()]:
        for language in languages:
            assert (obj.labels.get(language) or "").strip(), f"{obj} lacks a {language} label"


def test_arabic_labels_are_written_in_arabic_script():
    for term in Term.objects.all():
        assert ARABIC_SCRIPT.search(term.labels["ar"]), f"{term} has a non-Arabic ar label"


def test_crosswalks_map_action_lines_to_sdg_targets_and_gdc_objectives():
    to_sdg = Crosswalk.objects.get(identifier="wsis-action-lines-to-sdg-targets")
    to_gdc = Crosswalk.objects.get(identifier="wsis-action-lines-to-gdc-objectives")
    assert to_sdg.from_scheme.identifier == "wsis-action-lines"
    assert to_sdg.to_scheme.identifier == "sdg-targets"
    assert to_gdc.to_scheme.identifier == "gdc-objectives"
    mapped = set(to_sdg.links.values_list("from_term__code", flat=True))
    # As in the WSIS-SDG Matrix: every Action Line, C7 through its eight applications only.
    assert mapped == {f"C{n}" for n in range(1, 12) if n != 7} | {f"C7.{n}" for n in range(1, 9)}
    assert to_gdc.links.filter(from_term__code="C5").exists()


def test_every_scheme_names_its_source():
    for scheme in Scheme.objects.all():
        assert scheme.source.strip(), scheme.identifier
