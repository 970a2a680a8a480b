"""Every interface string is translated in every configured language's catalogue."""

import gettext
import json
import re

import pytest
from django.conf import settings

LOCALE_DIR = settings.LOCALE_PATHS[0]


def entries(path):
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not msgid or msgid.group(1).strip() == '""':
            continue  # the header
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        yield block, strings


@pytest.mark.parametrize(
    "language", [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
)
def test_the_catalogue_has_no_missing_or_fuzzy_translation(language):
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"no translation file for {language}"
    problems = [
        block.splitlines()[-2 if "msgid_plural" in block else -1]
        for block, strings in entries(path)
        if "#, fuzzy" in block or any(s.strip() == '""' for s in strings)
    ]
    assert problems == [], f"{len(problems)} untranslated or fuzzy in {language}"


@pytest.mark.parametrize(
    "language", [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
)
def test_the_compiled_catalogue_matches_the_source(language):
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    with (path.with_suffix(".mo")).open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    checked = 0
    for block, strings in entries(path):
        if "msgid_plural" in block or "msgctxt" in block:
            continue
        msgid = _unquote(re.search(r'^msgid ((?:".*"\n?)+)', block, re.M).group(1))
        assert compiled.gettext(msgid) == _unquote(strings[0]), f"stale .mo for {msgid!r}"
        checked += 1
    assert checked > 100


def _unquote(quoted: str) -> str:
    return "".join(json.loads(line) for line in quoted.strip().splitlines())
