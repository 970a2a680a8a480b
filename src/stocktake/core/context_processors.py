from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.urls import get_script_prefix, reverse, translate_url
from django.utils.translation import get_language

from .addresses import address

# The views the header and footer of every page link to (base.html), by the name the
# template reads them with.
SITE_VIEWS = {
    "home": "home",
    "initiatives": "initiatives:list",
    "countries": "initiatives:country-list",
    "vocabularies": "vocabularies:scheme-list",
    "about": "about",
    "open_data": "opendata:index",
    "api_docs": "api-docs",
    "openapi": "openapi",
    "my_entries": "initiatives:mine",
    "moderation": "initiatives:queue",
    "profile": "accounts:profile",
    "login": "accounts:login",
    "logout": "accounts:logout",
    "register": "accounts:register",
}


@lru_cache(maxsize=32)
def _site_urls(language: str, script_prefix: str) -> dict[str, str]:
    """SITE_VIEWS' addresses in the active language (`language`, and the script prefix: the
    key), looked up as one: the page frame reads fourteen."""
    return {name: address(view) for name, view in SITE_VIEWS.items()}


def _same_page_in(path: str, code: str, current: str) -> str:
    """`path` in the language `code`; for an address no view answers (a 404 page), the same
    address under the other language prefix."""
    url = translate_url(path, code)
    prefix = f"/{current}/"
    if url == path and code != current and path.startswith(prefix):
        url = f"/{code}/{path[len(prefix) :]}"
    return url


@lru_cache(maxsize=1024)
def _page_in_languages(path: str, current: str, script_prefix: str) -> tuple:
    """(code, name, address, language switch's address) of the page at `path` (no query) in
    each configured language, seen from the language `current`: resolving the path and
    reversing it in every language cost some 0.4 ms a page, and people come back to the same
    pages (the key has the active language and script prefix: both change what resolving
    and reversing give)."""
    return tuple(
        (code, name, _same_page_in(path, code, current), reverse("choose-language", args=[code]))
        for code, name in settings.LANGUAGES
    )


def site(request):
    """Site name and the same page in every configured language, for the switcher.

    `url` is the page itself (for rel="alternate" links); `switch_url` goes through the view
    that remembers the choice in the language cookie before showing that page."""
    path, mark, query = request.get_full_path().partition("?")
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    script_prefix = get_script_prefix()
    links = []
    for code, name, same_page, switch in _page_in_languages(path, current, script_prefix):
        url = f"{same_page}{mark}{query}"
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "switch_url": f"{switch}?{urlencode({'next': url})}",
            }
        )
    return {
        "SITE_NAME": settings.SITE_NAME,
        "language_links": links,
        "site_urls": _site_urls(current, script_prefix),
    }
