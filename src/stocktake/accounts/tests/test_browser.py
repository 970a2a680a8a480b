"""The registration form in a real headless Chromium: errors and layout in both directions."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_vocabularies")]


@pytest.mark.parametrize(("language", "start_side"), [("ar", "right"), ("en", "left")])
def test_registration_errors_are_marked_on_the_start_side_of_the_reading_direction(
    live_server, page, screenshot_dir, language, start_side
):
    page.goto(f"{live_server.url}/{language}/accounts/register/")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_selector(".error-summary")

    invalid = page.locator(".field-invalid").first
    width = invalid.evaluate(
        f"el => getComputedStyle(el).getPropertyValue('border-{start_side}-width')"
    )
    assert width == "4px"
    # Labels sit above their controls, aligned with them on the start side.
    label = page.locator("label[for=id_first_name]").bounding_box()
    control = page.locator("#id_first_name").bounding_box()
    assert label["y"] < control["y"]
    if start_side == "right":
        assert abs((label["x"] + label["width"]) - (control["x"] + control["width"])) < 2
    else:
        assert abs(label["x"] - control["x"]) < 2
    # Keyboard focus is visible.
    page.locator("#id_first_name").focus()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.screenshot(path=str(screenshot_dir / f"register-errors-{language}.png"), full_page=True)
