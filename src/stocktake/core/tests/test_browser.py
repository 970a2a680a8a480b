"""The home page in a real headless Chromium, in Arabic and in English."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_vocabularies")]


def test_home_in_arabic_is_right_to_left_and_switches_to_english(live_server, page, screenshot_dir):
    page.goto(f"{live_server.url}/ar/")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Right to left: the brand sits at the right edge, the language switcher to its left.
    brand = page.locator(".brand").bounding_box()
    switcher = page.locator(".language-switcher").bounding_box()
    assert brand["x"] > switcher["x"]
    # The Arabic face is the self-hosted one, and it has loaded.
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Arabic\"', 'مرحبا')")
    page.wait_for_function("document.fonts.status === 'loaded'")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert any("Noto Sans Arabic" in family for family in loaded)
    page.screenshot(path=str(screenshot_dir / "home-ar.png"), full_page=True)

    page.locator(".language-switcher a[hreflang='en']").click()
    page.wait_for_url(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    brand = page.locator(".brand").bounding_box()
    switcher = page.locator(".language-switcher").bounding_box()
    assert brand["x"] < switcher["x"]
    page.screenshot(path=str(screenshot_dir / "home-en.png"), full_page=True)


def test_english_home_switches_to_arabic_and_keyboard_reaches_the_skip_link(
    live_server, page, screenshot_dir
):
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert page.locator(".skip-link").is_visible()

    page.locator(".language-switcher a[hreflang='ar']").click()
    page.wait_for_url(f"{live_server.url}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text().strip() != ""
    page.screenshot(path=str(screenshot_dir / "home-ar-from-en.png"), full_page=True)


def test_vocabulary_tree_in_arabic_mirrors_breadcrumb_icons(live_server, page, screenshot_dir):
    page.goto(f"{live_server.url}/ar/vocabularies/wsis-action-lines/C7.4/")
    transform = page.evaluate(
        "getComputedStyle(document.querySelector('.icon-directional')).transform"
    )
    assert transform.startswith("matrix(-1")
    page.screenshot(path=str(screenshot_dir / "term-ar.png"), full_page=True)
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{live_server.url}/en/vocabularies/sdg-targets/")
    assert errors == []
