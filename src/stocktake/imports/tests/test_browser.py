"""An import from the pages in a real headless Chromium, in both reading directions, under
the site's Content-Security-Policy."""

import pytest

from stocktake.imports.models import ImportJob, JobStatus
from stocktake.initiatives.models import Initiative, Status
from stocktake.initiatives.tests.factories import make_user

from .helpers import csv_bytes, row

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_vocabularies")]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_upload_preview_and_commit_from_the_pages(live_server, page, screenshot_dir, language):
    moderator = make_user(moderator=True, username=f"mod-{language}")
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("#id_username", moderator.username)
    page.fill("#id_password", "a-long-enough-password")
    page.locator("form.form button[type=submit]").click()

    page.goto(f"{live_server.url}/{language}/imports/")
    data = csv_bytes([row(), row(external_id="E2", title_en="Second entry", countries="Narnia")])
    page.set_input_files(
        "#id_file", files=[{"name": "entries.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.locator("form.form button[type=submit]").click()
    page.wait_for_selector("table.data-table")
    assert page.locator("tr.row-error").count() == 1
    assert page.locator("input[name=target_state]").count() == 0  # errors: no commit
    page.screenshot(path=str(screenshot_dir / f"import-errors-{language}.png"), full_page=True)

    page.goto(f"{live_server.url}/{language}/imports/")
    data = csv_bytes([row(), row(external_id="E2", title_en="Second entry")])
    page.set_input_files(
        "#id_file", files=[{"name": "entries.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.locator("form.form button[type=submit]").click()
    page.locator("input[name=target_state][value=published]").check()
    page.screenshot(path=str(screenshot_dir / f"import-preview-{language}.png"), full_page=True)
    page.locator("form.decision button[type=submit]").click()
    page.wait_for_selector(".message-success")
    page.screenshot(path=str(screenshot_dir / f"import-done-{language}.png"), full_page=True)
    assert ImportJob.objects.latest("pk").status == JobStatus.SUCCEEDED
    assert set(Initiative.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert not problems, problems
