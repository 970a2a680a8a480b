"""The interactive API docs work offline under the Content-Security-Policy."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_every_operation_without_csp_violations(
    live_server, page, screenshot_dir
):
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    external = []
    page.on(
        "request",
        lambda request: request.url.startswith(live_server.url) or external.append(request.url),
    )
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/vocabularies/{scheme}/" in path for path in paths)
    page.screenshot(path=str(screenshot_dir / "api-docs.png"))
    assert problems == []
    assert [url for url in external if not url.startswith("data:")] == []
