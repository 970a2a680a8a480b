"""The guided form's enhancements in a real Chromium: autosave and what it says when it cannot
save, the evidence boxes of SDG goals and targets, and the filter boxes of the vocabulary
pickers, also right to left. Screenshots go to var/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from stocktake.initiatives.content import read_revision
from stocktake.initiatives.models import Initiative

from .factories import make_draft, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_vocabularies")]

PASSWORD = "a-long-enough-password"
AUTOSAVE_WAIT = 15_000  # ms: the form saves 3 s after the last keystroke


def login(page, base: str, username: str, language: str = "en") -> None:
    page.goto(f"{base}/{language}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.fixture
def people():
    author, colleague = make_user(), make_user()
    organisation = make_org(members=[author, colleague])
    return author, colleague, make_draft(author=author, organisation=organisation)


def revision_of(initiative: Initiative):
    initiative.refresh_from_db()
    return initiative.working_revision


def test_autosave_keeps_what_was_typed_across_a_reload(live_server, page, people):
    author, _colleague, initiative = people
    base = live_server.url
    login(page, base, author.username)
    page.goto(f"{base}/en/initiatives/{initiative.pk}/edit/2/")
    page.locator("textarea[name=objectives]").fill("Train ten thousand people a year.")
    status = page.locator("#save-status")
    expect(status).to_contain_text("Draft saved at", timeout=AUTOSAVE_WAIT)
    assert status.get_attribute("aria-live") == "polite"

    page.reload()
    expect(page.locator("textarea[name=objectives]")).to_have_value(
        "Train ten thousand people a year."
    )
    assert read_revision(revision_of(initiative))["objectives"] == {
        "en": "Train ten thousand people a year."
    }

    # An answer that is not the autosave's (the session has ended: a login page, a refusal)
    # is not silent either.
    page.context.clear_cookies()
    page.locator("textarea[name=results]").fill("Typed after the session ended.")
    failed = status.locator("[data-autosave-outcome=failed]")
    expect(failed).to_contain_text("Not saved:", timeout=AUTOSAVE_WAIT)
    expect(failed).to_be_in_viewport()
    assert "en" not in read_revision(revision_of(initiative))["results"]


def test_a_second_editor_is_told_of_the_conflict_and_keeps_their_text(
    live_server, browser, people, screenshot_dir
):
    author, colleague, initiative = people
    base = live_server.url
    first = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    second = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    try:
        login(first, base, author.username)
        login(second, base, colleague.username, language="fr")
        first.goto(f"{base}/en/initiatives/{initiative.pk}/edit/2/")
        second.goto(f"{base}/fr/initiatives/{initiative.pk}/edit/2/?lang=en")

        first.locator("textarea[name=objectives]").fill("The author's objectives.")
        expect(first.locator("#save-status")).to_contain_text(
            "Draft saved at", timeout=AUTOSAVE_WAIT
        )

        second.locator("textarea[name=challenges]").fill("The colleague's challenges.")
        status = second.locator("#save-status")
        # In the colleague's language, in the live region.
        expect(status).to_contain_text(
            "a enregistré cette initiative entre-temps", timeout=AUTOSAVE_WAIT
        )
        expect(status.locator("[data-autosave-outcome=conflict]")).to_be_in_viewport()
        second.screenshot(path=str(screenshot_dir / "editing-autosave-conflict-fr.png"))
        expect(second.locator("textarea[name=challenges]")).to_have_value(
            "The colleague's challenges."
        )
        document = read_revision(revision_of(initiative))
        assert document["objectives"] == {"en": "The author's objectives."}
        assert "en" not in document["challenges"]

        # A later keystroke meets the same stale version: the message stays, nothing is saved.
        second.locator("textarea[name=challenges]").fill("The colleague's challenges, longer.")
        second.wait_for_timeout(4500)
        expect(status.locator("[data-autosave-outcome=conflict]")).to_be_visible()

        # "Save" shows both versions field by field; the colleague's text is still in the form.
        second.locator("button[name=save_stay]").click()
        second.wait_for_load_state()
        table = second.locator("table.conflict-table")
        expect(table).to_be_visible()
        expect(table.locator("tbody[data-field=objectives]")).to_contain_text(
            "The author's objectives."
        )
        expect(second.locator("textarea[name=challenges]")).to_have_value(
            "The colleague's challenges, longer."
        )
        second.screenshot(path=str(screenshot_dir / "editing-conflict-page-fr.png"), full_page=True)
    finally:
        first.context.close()
        second.context.close()


def test_ticking_a_target_shows_its_evidence_box_at_once(live_server, page, people, screenshot_dir):
    author, _colleague, initiative = people
    base = live_server.url
    login(page, base, author.username)
    page.goto(f"{base}/en/initiatives/{initiative.pk}/edit/3/")
    targets = page.locator("#id_sdg_targets")
    # The saved target's box sits under its target.
    expect(targets.locator("[id='id_evidence_4.4']")).to_have_value(
        "Digital skills for employment."
    )

    box = page.locator("[id='id_evidence_16.6']")
    expect(box).to_have_count(0)
    page.locator("input[name=sdg_targets][value='16.6']").check()
    expect(box).to_be_visible()
    expect(page.get_by_label("Evidence for target 16.6")).to_be_visible()
    box.fill("Open budget data, published monthly.")
    page.screenshot(path=str(screenshot_dir / "editing-evidence-box.png"), full_page=True)

    # Unticked, the box hides but keeps its text; ticked again, it is back.
    page.locator("input[name=sdg_targets][value='16.6']").uncheck()
    expect(box).to_be_hidden()
    page.locator("input[name=sdg_targets][value='16.6']").check()
    expect(box).to_have_value("Open budget data, published monthly.")

    expect(page.locator("#save-status")).to_contain_text("Draft saved at", timeout=AUTOSAVE_WAIT)
    targets_saved = read_revision(revision_of(initiative))["sdg_targets"]
    assert {"code": "16.6", "evidence": "Open budget data, published monthly."} in targets_saved


def test_ticking_a_goal_shows_its_evidence_box_at_once(live_server, page, people, screenshot_dir):
    author, _colleague, initiative = people
    base = live_server.url
    login(page, base, author.username)
    page.goto(f"{base}/en/initiatives/{initiative.pk}/edit/3/")
    goals = page.locator("#id_sdg_goals")
    # The saved goal's box sits under its goal, inside the list of goals.
    saved = goals.locator("[id='id_goal_evidence_4']")
    expect(saved).to_be_visible()
    assert saved.evaluate("box => box.closest('div:has(> label > input)') !== null")

    box = page.locator("[id='id_goal_evidence_16']")
    expect(box).to_have_count(0)
    page.locator("input[name=sdg_goals][value='16']").check()
    expect(goals.locator("[id='id_goal_evidence_16']")).to_be_visible()
    expect(page.get_by_label("Evidence for goal 16")).to_be_visible()
    box.fill("Open budget data, published monthly.")
    page.screenshot(path=str(screenshot_dir / "editing-goal-evidence-box.png"), full_page=True)

    # Unticked, the box hides but keeps its text; ticked again, it is back.
    page.locator("input[name=sdg_goals][value='16']").uncheck()
    expect(box).to_be_hidden()
    page.locator("input[name=sdg_goals][value='16']").check()
    expect(box).to_have_value("Open budget data, published monthly.")
    # A goal's box is not a target's: ticking a target leaves the goals' boxes alone.
    page.locator("input[name=sdg_targets][value='16.6']").check()
    expect(page.locator("[id='id_evidence_16.6']")).to_be_visible()
    expect(goals.locator("textarea")).to_have_count(2)

    expect(page.locator("#save-status")).to_contain_text("Draft saved at", timeout=AUTOSAVE_WAIT)
    document = read_revision(revision_of(initiative))
    assert document["sdg_goal_evidence"] == {"16": "Open budget data, published monthly."}
    assert "16" in document["sdg_goals"]


def test_filter_boxes_work_right_to_left_in_arabic(live_server, page, people, screenshot_dir):
    author, _colleague, initiative = people
    base = live_server.url
    login(page, base, author.username, language="ar")
    lock = revision_of(initiative).lock

    page.goto(f"{base}/ar/initiatives/{initiative.pk}/edit/3/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    lines = page.locator("#id_action_lines_secondary")
    search = page.locator("input.choice-filter[data-filter-target=id_action_lines_secondary]")
    expect(search).to_be_visible()
    assert search.evaluate("element => getComputedStyle(element).direction") == "rtl"
    # C7's sub-lines are indented under it, on the start side (the right, in Arabic).
    c7 = lines.locator("input[value='C7']").bounding_box()
    c71 = lines.locator("input[value='C7.1']").bounding_box()
    assert c7["x"] - c71["x"] > 16

    search.fill("الصحة")  # e-health
    expect(lines.locator("input[value='C7.4']")).to_be_visible()
    expect(lines.locator("input[value='C7']")).to_be_visible()  # its parent stays in view
    expect(lines.locator("input[value='C7.1']")).to_be_hidden()
    expect(lines.locator("input[value='C2']")).to_be_hidden()
    page.screenshot(path=str(screenshot_dir / "editing-filter-action-lines-ar.png"))
    search.press("Enter")  # does not submit the form
    assert re.search(r"/edit/3/$", page.url)
    page.wait_for_timeout(4000)  # longer than the autosave's delay
    assert revision_of(initiative).lock == lock  # filtering is not editing: nothing saved

    page.goto(f"{base}/ar/initiatives/{initiative.pk}/edit/4/")
    country = page.locator("#id_partner_country_0")
    search = page.locator("input.choice-filter[data-filter-target=id_partner_country_0]")
    expect(search).to_be_visible()
    search.fill("الاردن")  # typed without the hamza: still finds الأردن
    values = country.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert values == ["", "JO"]
    country.select_option("JO")
    search.fill("")
    assert country.locator("option").count() > 200
    assert country.input_value() == "JO"
    page.screenshot(path=str(screenshot_dir / "editing-filter-partner-country-ar.png"))

    expect(page.locator("#save-status [data-autosave-outcome=saved]")).to_be_visible(
        timeout=AUTOSAVE_WAIT
    )
