"""Searching and narrowing down in a real headless Chromium, in Arabic and in English: the page
updates in place as one types or ticks a facet, keeps a shareable address, and works from the
keyboard."""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from stocktake.initiatives.tests.factories import make_published

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_vocabularies")]

# Classifications whose labels and descriptions do not mention education.
NEUTRAL = {
    "sdg_goals": ["17"],
    "sdg_targets": [],
    "technologies": [],
    "keywords": [],
    "action_lines": {"primary": "C7.2", "secondary": []},
}


@pytest.fixture
def entries():
    common = {"original_language": "ar", **NEUTRAL}
    return [
        make_published(
            title={"ar": "منصة التعليم الإلكتروني", "en": "E-learning platform"},
            summary={"ar": "دروس رقمية للمدارس.", "en": "Digital lessons for schools."},
            description={"ar": "دروس رقمية للمدارس."},
            countries=["TN"],
            **common,
        ),
        make_published(
            title={"ar": "التعليم عن بعد في المغرب", "en": "Distance learning in Morocco"},
            summary={"ar": "دروس عبر الإنترنت.", "en": "Online lessons."},
            description={"ar": "دروس عبر الإنترنت."},
            countries=["MA"],
            **common,
        ),
        make_published(
            title={"ar": "عيادات متنقلة", "en": "Mobile clinics"},
            summary={"ar": "رعاية صحية في الأرياف.", "en": "Rural health care."},
            description={"ar": "رعاية صحية في الأرياف."},
            countries=["TN"],
            **common,
        ),
    ]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_search_and_facets_update_in_place_from_the_keyboard(
    live_server, page, screenshot_dir, entries, language
):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/{language}/initiatives/")
    page.wait_for_load_state("networkidle")  # htmx and the fonts in place before typing
    assert page.locator(".entry-card").count() == 3

    # Facets sit beside the results: on the right in Arabic, on the left in English.
    facets = page.locator(".facets").bounding_box()
    results = page.locator(".results").bounding_box()
    assert (facets["x"] > results["x"]) == (language == "ar")

    page.locator("#search-q").focus()
    page.keyboard.type("والتعليم")  # "and the education": clitics attached
    # The whole word, not its first letter: a slow machine may send a request for part of
    # it first, and a later swap would replace the checkbox ticked below.
    page.wait_for_url(re.compile("q=" + re.escape(quote("والتعليم")) + "(&|$)"))
    expect(page.locator(".entry-card")).to_have_count(2)
    if language == "ar":  # the English page shows the English texts, which do not match
        assert page.locator(".entry-card mark").count() >= 2

    # Tick Tunisia with the keyboard: the list narrows, the address follows.
    box = page.locator("#facet-countries-tn")
    box.focus()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"countries=TN"))
    expect(page.locator(".entry-card")).to_have_count(1)
    assert page.locator("#facet-countries-tn").is_checked()
    assert page.locator("#result-count").inner_text().strip()[0] in "1\u0661"

    # The address is shareable: opening it afresh shows the same state.
    page.goto(page.url)
    assert page.locator(".entry-card").count() == 1
    assert page.locator("#search-q").input_value() == "والتعليم"
    page.screenshot(path=str(screenshot_dir / f"search-{language}.png"), full_page=True)
    assert errors == []
