"""The public entry pages in a real headless Chromium, in Arabic and in English."""

import pytest

from .factories import make_org, make_published, make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_vocabularies")]


@pytest.fixture
def entry():
    author = make_user()
    organisation = make_org(
        members=[author], names={"en": "Digital Ministry", "ar": "وزارة الرقمنة"}, country="TN"
    )
    return make_published(
        author=author,
        organisation=organisation,
        original_language="ar",
        title={"ar": "منصة البيانات المفتوحة", "en": "Open data platform"},
        summary={"ar": "ملخص قصير للمبادرة.", "en": "A short summary of the initiative."},
        description={"ar": "وصف **أطول** للمبادرة."},
        countries=["TN", "MA"],
        sdg_targets=[{"code": "9.c", "evidence": "Rural broadband"}],
        partners=[{"name": "Université de Tunis", "stakeholder_type": "academia", "country": "TN"}],
        website="https://data.example.org",
    )


def _console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.mark.parametrize("language", ["ar", "en"])
def test_entry_page_lays_out_in_the_reading_direction(
    live_server, page, screenshot_dir, entry, language
):
    errors = _console_errors(page)
    page.goto(f"{live_server.url}/{language}/initiatives/{entry.pk}/")
    assert page.evaluate("getComputedStyle(document.querySelector('.entry-layout')).display") == (
        "grid"
    )
    main = page.locator(".entry-main").bounding_box()
    aside = page.locator(".entry-aside").bounding_box()
    # The facts column follows the text: to its left in Arabic, to its right in English.
    assert (aside["x"] < main["x"]) == (language == "ar")
    if language == "en":
        assert page.locator(".fallback-mark").first.inner_text() == "Original in Arabic"
    page.screenshot(path=str(screenshot_dir / f"initiative-{language}.png"), full_page=True)
    assert errors == []


def test_list_page_with_filters(live_server, page, screenshot_dir, entry):
    errors = _console_errors(page)
    page.goto(f"{live_server.url}/ar/initiatives/?countries=TN&countries=MA&sdg-targets=9.c")
    assert page.locator(".entry-card").count() == 1
    assert page.locator(".chip").count() == 3
    # Chips follow the order of the schemes: the SDG target comes before the countries.
    page.locator(".chip").first.click()
    page.wait_for_url(lambda url: url.endswith("/initiatives/?countries=TN&countries=MA"))
    assert page.locator(".chip").count() == 2
    page.screenshot(path=str(screenshot_dir / "initiative-list-ar.png"), full_page=True)
    page.goto(f"{live_server.url}/en/initiatives/countries/")
    page.screenshot(path=str(screenshot_dir / "initiative-countries-en.png"), full_page=True)
    assert errors == []
