"""Choosing the text to show from a per-language map ({"en": …, "ar": …, "fr": …})."""

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import get_language


def fallback_chain(language: str | None = None) -> list[str]:
    """The languages to try, best first: the requested one, the site default, then the rest."""
    chosen = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    chain = [chosen, settings.LANGUAGE_CODE]
    chain += [code for code, _name in settings.LANGUAGES]
    return list(dict.fromkeys(chain))


def localized(texts: Mapping[str, str] | None, language: str | None = None) -> str:
    """The text in `language` (default: the active one), else the nearest available one."""
    if not texts:
        return ""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if texts.get(language):  # the usual case, before working out the fallbacks
        return texts[language]
    for code in fallback_chain(language):
        if texts.get(code):
            return texts[code]
    return next((text for text in texts.values() if text), "")
