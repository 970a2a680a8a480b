"""Creating, copying and revoking an API token in a real headless Chromium, in both reading
directions (and under the site's Content-Security-Policy, which allows script files only)."""

import re

import pytest

from stocktake.accounts.models import ApiToken
from stocktake.accounts.services import api_token_authenticate, user_screen

from .support import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_vocabularies")]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_token_is_created_copied_and_revoked_from_the_profile(
    live_server, browser, make_user, moderator, screenshot_dir, language
):
    user = user_screen(moderator=moderator, user=make_user(username="analyst"), approve=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/{language}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.locator("form.form button[type=submit]").click()
        page.goto(f"{live_server.url}/{language}/accounts/profile/#api-tokens")

        page.fill("#id_token-name", "Nightly export")
        page.locator("input[name=token-scope][value=read-write]").check()
        page.locator("#api-tokens form button[type=submit]").click()

        field = page.locator("#api-token-secret")
        secret = field.input_value()
        assert re.fullmatch(r"stk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", secret)
        assert api_token_authenticate(token=secret).user == user
        # The copy button is hidden without script; the script file shows it and copies.
        copy = page.locator("button[data-copy]")
        assert copy.is_visible()
        copy.click()
        page.wait_for_function(
            "document.getElementById('api-token-copy-status').textContent.length > 0"
        )
        assert page.evaluate("navigator.clipboard.readText()") == secret
        # The secret reads left to right even on an Arabic page.
        assert field.evaluate("el => getComputedStyle(el).direction") == "ltr"
        page.screenshot(
            path=str(screenshot_dir / f"api-token-created-{language}.png"), full_page=True
        )

        page.goto(f"{live_server.url}/{language}/accounts/profile/#api-tokens")
        assert secret not in page.content()
        page.screenshot(
            path=str(screenshot_dir / f"api-tokens-profile-{language}.png"), full_page=True
        )
        page.locator("#api-tokens table a[href*='/revoke/']").click()
        page.locator("button.button-danger").click()
        page.wait_for_selector(".message-success")
        assert ApiToken.objects.get().revoked_at is not None
    finally:
        context.close()
