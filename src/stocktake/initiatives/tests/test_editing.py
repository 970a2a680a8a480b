"""The guided form: drafts saved as one goes, per-field errors, edit conflicts, actions."""

import re
from html.parser import HTMLParser

import pytest

from stocktake.initiatives import services
from stocktake.initiatives.content import read_revision
from stocktake.initiatives.models import Initiative, Status

from .factories import make_draft, make_org, make_published, make_submitted, make_user

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.fixture
def contributor():
    return make_user()


@pytest.fixture
def organisation(contributor):
    return make_org(members=[contributor])


def form_state(html: str) -> dict:
    return {
        "revision_id": re.search(r'name="revision_id" id="revision-id" value="(\d+)"', html)[1],
        "lock": re.search(r'name="lock" id="revision-lock" value="(\d+)"', html)[1],
    }


def test_start_creates_a_draft_and_opens_the_first_step(client, contributor, organisation):
    client.force_login(contributor)
    response = client.post(
        "/ar/initiatives/new/",
        {
            "organisation": organisation.pk,
            "original_language": "ar",
            "title": "منصة البيانات المفتوحة",
        },
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ar/initiatives/{initiative.pk}/edit/1/?lang=ar"
    assert initiative.status == Status.DRAFT
    assert initiative.working_revision.title == {"ar": "منصة البيانات المفتوحة"}


def test_an_unscreened_account_is_told_to_wait(client, organisation):
    waiting = make_user(screened=False)
    organisation.memberships.create(user=waiting)
    client.force_login(waiting)
    response = client.get("/en/initiatives/new/")
    assert response.status_code == 403
    assert b"screening" in response.content


def test_each_step_saves_the_draft_on_the_server(client, contributor, organisation):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    page = client.get(f"/en/initiatives/{initiative.pk}/edit/4/").content.decode()
    data = {
        **form_state(page),
        "lang": "en",
        "countries": ["JO", "LB"],
        "coverage": "regional",
        "initiative_type": "project",
        "implementation_status": "completed",
        "start_date": "2020-02-01",
        "end_date": "2022-12-31",
        "partner_name_0": "UNDP",
        "partner_type_0": "un-agency",
        "partner_country_0": "",
    }
    response = client.post(f"/en/initiatives/{initiative.pk}/edit/4/", data)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/en/initiatives/{initiative.pk}/edit/5/")
    initiative.refresh_from_db()
    document = read_revision(initiative.working_revision)
    assert set(document["countries"]) == {"JO", "LB"}
    assert document["partners"] == [
        {"name": "UNDP", "stakeholder_type": "un-agency", "country": ""}
    ]
    assert document["end_date"] == "2022-12-31"


def test_texts_are_saved_per_language_keeping_the_others(client, contributor, organisation):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    page = client.get(f"/fr/initiatives/{initiative.pk}/edit/1/?lang=fr").content.decode()
    assert 'lang="fr"' in page
    client.post(
        f"/fr/initiatives/{initiative.pk}/edit/1/",
        {
            **form_state(page),
            "lang": "fr",
            "original_language": "en",
            "title": "Programme national",
            "summary": "",
        },
    )
    initiative.refresh_from_db()
    title = initiative.working_revision.title
    assert title == {"en": "National AI skills programme", "fr": "Programme national"}


def test_errors_are_shown_per_field_in_the_users_language(client, contributor, organisation):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    page = client.get(f"/fr/initiatives/{initiative.pk}/edit/4/").content.decode()
    response = client.post(
        f"/fr/initiatives/{initiative.pk}/edit/4/",
        {**form_state(page), "lang": "en", "start_date": "2024-01-01", "end_date": "2020-01-01"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "La date de fin ne peut pas être antérieure à la date de début." in html
    assert 'id="id_end_date_error"' in html
    assert 'aria-invalid="true"' in html


def test_a_stale_save_is_refused_and_both_versions_are_shown(client, contributor, organisation):
    colleague = make_user()
    organisation.memberships.create(user=colleague)
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    page = client.get(f"/en/initiatives/{initiative.pk}/edit/2/").content.decode()
    state = form_state(page)

    # Meanwhile a colleague saves the same step.
    base = services.editable_revision(initiative)
    theirs = read_revision(base)
    theirs["objectives"] = {"en": "Colleague's objectives"}
    services.initiative_update(
        user=colleague, initiative=initiative, content=theirs, revision_id=base.pk, lock=base.lock
    )

    response = client.post(
        f"/en/initiatives/{initiative.pk}/edit/2/",
        {**state, "lang": "en", "description": "Mine", "objectives": "My objectives"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    table = html[html.index("conflict-table") : html.index("</table>")]
    text = re.sub(r"<[^>]+>", "", table).replace("&#x27;", "'")
    assert "Removed: Colleague's objectives" in text  # field by field, word by word
    assert "My objectives" in html  # still in the form, nothing lost
    base.refresh_from_db()
    assert base.objectives == {"en": "Colleague's objectives"}

    # Saving again from the conflict page keeps this person's version on top.
    again = form_state(html)
    response = client.post(
        f"/en/initiatives/{initiative.pk}/edit/2/",
        {**again, "lang": "en", "description": "Mine", "objectives": "My objectives"},
    )
    assert response.status_code == 302
    base.refresh_from_db()
    assert base.objectives == {"en": "My objectives"}


def test_autosave_returns_the_new_version_stamp(client, contributor, organisation):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    page = client.get(f"/en/initiatives/{initiative.pk}/edit/2/").content.decode()
    state = form_state(page)
    response = client.post(
        f"/en/initiatives/{initiative.pk}/autosave/2/",
        {**state, "lang": "en", "description": "Typed so far"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{int(state["lock"]) + 1}"' in html
    initiative.refresh_from_db()
    assert initiative.working_revision.description == {"en": "Typed so far"}
    stale = client.post(
        f"/en/initiatives/{initiative.pk}/autosave/2/",
        {**state, "lang": "en", "description": "Stale tab"},
        HTTP_HX_REQUEST="true",
    )
    assert stale.status_code == 409


def test_review_lists_what_is_missing_with_links_to_the_steps(client, contributor, organisation):
    initiative = services.initiative_create(
        user=contributor,
        organisation=organisation,
        content={"original_language": "en", "title": {"en": "Half done"}},
    )
    client.force_login(contributor)
    html = client.get(f"/en/initiatives/{initiative.pk}/review/").content.decode()
    assert f"/en/initiatives/{initiative.pk}/edit/1/" in html  # summary
    assert f"/en/initiatives/{initiative.pk}/edit/3/" in html  # action line, SDGs
    assert "Submit for review" not in html


def test_submitting_from_the_review_page(client, contributor, organisation):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    response = client.post(f"/en/initiatives/{initiative.pk}/act/submit/", {"note": ""})
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


def test_a_refused_transition_answers_409_with_the_reason(client, contributor, organisation):
    moderator = make_user(moderator=True)
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(moderator)
    response = client.post(f"/en/initiatives/{initiative.pk}/act/publish/", {"note": ""})
    assert response.status_code == 409
    assert b"no submission waiting" in response.content


def test_a_contributor_cannot_publish_through_the_action_url(client, contributor, organisation):
    initiative = make_submitted(author=contributor, organisation=organisation)
    client.force_login(contributor)
    response = client.post(f"/en/initiatives/{initiative.pk}/act/publish/", {"note": ""})
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


def test_another_organisation_cannot_open_the_editor(client, contributor, organisation):
    outsider = make_user()
    make_org(members=[outsider])
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(outsider)
    assert client.get(f"/en/initiatives/{initiative.pk}/edit/1/").status_code == 403
    assert client.post(f"/en/initiatives/{initiative.pk}/act/withdraw/").status_code == 403


def test_actions_need_post_and_login(client, contributor, organisation):
    initiative = make_draft(author=contributor, organisation=organisation)
    assert client.post(f"/en/initiatives/{initiative.pk}/act/submit/").status_code == 302
    client.force_login(contributor)
    assert client.get(f"/en/initiatives/{initiative.pk}/act/submit/").status_code == 405
    assert client.post(f"/en/initiatives/{initiative.pk}/act/explode/").status_code == 404


def test_editing_a_published_entry_makes_a_pending_revision(client, contributor, organisation):
    moderator = make_user(moderator=True)
    initiative = make_published(author=contributor, organisation=organisation, moderator=moderator)
    client.force_login(contributor)
    page = client.get(f"/en/initiatives/{initiative.pk}/edit/1/").content.decode()
    assert "wait for a moderator" in page
    client.post(
        f"/en/initiatives/{initiative.pk}/edit/1/",
        {
            **form_state(page),
            "lang": "en",
            "original_language": "en",
            "title": "New title",
            "summary": "x",
        },
    )
    initiative.refresh_from_db()
    assert initiative.published_revision.title == {"en": "National AI skills programme"}
    assert initiative.working_revision.title == {"en": "New title"}


def test_the_step_pages_render_right_to_left_in_arabic(client, contributor, organisation):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    for step in range(1, 6):
        response = client.get(f"/ar/initiatives/{initiative.pk}/edit/{step}/")
        assert response.status_code == 200
        assert b'<html lang="ar" dir="rtl">' in response.content


# --- autosave answers that are not "saved" -------------------------------------------------


def autosave(client, initiative, step: int, data: dict, language: str = "en"):
    return client.post(
        f"/{language}/initiatives/{initiative.pk}/autosave/{step}/", data, HTTP_HX_REQUEST="true"
    )


def status_region(html: str) -> str:
    """The content the autosave answer puts into the page's #save-status region."""
    match = re.search(r'<div id="save-status" hx-swap-oob="innerHTML">(.*?)</div>', html, re.S)
    assert match, html
    return match[1]


def test_the_step_page_has_a_live_region_for_the_autosave_status(client, contributor, organisation):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    html = client.get(f"/fr/initiatives/{initiative.pk}/edit/2/").content.decode()
    assert re.search(r'<div id="save-status" role="status" aria-live="polite"', html)
    assert 'hx-post="/fr/initiatives/' in html  # answers come in the reader's language
    assert "data-autosave-failed=" in html
    assert "<script>" not in html  # the Content-Security-Policy allows no inline script


def test_an_autosave_conflict_answers_with_a_message_in_the_users_language(
    client, contributor, organisation
):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    state = form_state(client.get(f"/fr/initiatives/{initiative.pk}/edit/2/").content.decode())
    assert autosave(client, initiative, 2, {**state, "lang": "en", "description": "Un"}, "fr")
    stale = autosave(client, initiative, 2, {**state, "lang": "en", "description": "Deux"}, "fr")
    assert stale.status_code == 409
    region = status_region(stale.content.decode())
    assert 'data-autosave-outcome="conflict"' in region
    assert "a enregistré cette initiative entre-temps." in region
    # No new version stamp: the next save still meets the conflict, and says so again.
    assert 'id="revision-lock"' not in stale.content.decode()
    initiative.refresh_from_db()
    assert initiative.working_revision.description == {"en": "Un"}


def test_an_invalid_autosave_says_which_fields_need_attention(client, contributor, organisation):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    state = form_state(client.get(f"/fr/initiatives/{initiative.pk}/edit/4/").content.decode())
    response = autosave(
        client,
        initiative,
        4,
        {**state, "lang": "en", "start_date": "2024-01-01", "end_date": "2020-01-01"},
        "fr",
    )
    assert response.status_code == 400
    region = status_region(response.content.decode())
    assert 'data-autosave-outcome="invalid"' in region
    assert "Pas encore enregistré\xa0: certains champs sont à revoir." in region
    assert "Date de fin\xa0: " in region  # the field's name, then the message (French spacing)
    assert "La date de fin ne peut pas être antérieure à la date de début." in region


def test_an_autosave_on_an_entry_no_longer_editable_says_why(client, contributor, organisation):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    state = form_state(client.get(f"/en/initiatives/{initiative.pk}/edit/2/").content.decode())
    services.initiative_submit(user=contributor, initiative=initiative)  # from another tab
    response = autosave(client, initiative, 2, {**state, "lang": "en", "description": "Late"})
    assert response.status_code == 409
    region = status_region(response.content.decode())
    assert 'data-autosave-outcome="refused"' in region
    assert "waiting for review" in region

    outsider = make_user()
    make_org(members=[outsider])
    client.force_login(outsider)
    response = autosave(client, initiative, 2, {**state, "lang": "en", "description": "x"})
    assert response.status_code == 403
    assert 'data-autosave-outcome="refused"' in status_region(response.content.decode())


def test_an_autosave_without_its_version_stamp_is_reported(client, contributor, organisation):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    response = autosave(client, initiative, 2, {"lang": "en", "description": "x"})
    assert response.status_code == 400
    assert "reload the page" in status_region(response.content.decode())


# --- the conflict page ---------------------------------------------------------------------


def test_a_conflict_is_shown_field_by_field_in_words_and_nothing_is_lost(
    client, contributor, organisation
):
    colleague = make_user()
    organisation.memberships.create(user=colleague)
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    page = client.get(f"/en/initiatives/{initiative.pk}/edit/3/").content.decode()
    state = form_state(page)

    base = services.editable_revision(initiative)
    theirs = read_revision(base)
    theirs["action_lines"] = {"primary": "C7.4", "secondary": ["C1"]}
    theirs["technologies"] = ["blockchain-dlt"]
    services.initiative_update(
        user=colleague, initiative=initiative, content=theirs, revision_id=base.pk, lock=base.lock
    )

    mine = {
        **state,
        "lang": "en",
        "action_line_primary": "C4",
        "action_lines_secondary": ["C7.3"],
        "sdg_goals": ["4"],
        "sdg_targets": ["4.4"],
        "evidence_4.4": "Digital skills for employment.",
        "technologies": ["artificial-intelligence", "machine-learning"],
    }
    response = client.post(f"/en/initiatives/{initiative.pk}/edit/3/", mine)
    assert response.status_code == 409
    html = response.content.decode()
    table = html[html.index('class="data-table compare-table conflict-table"') :]
    table = table[: table.index("</table>")]
    # Python values never reach the page; labels do, field by field.
    assert "&#x27;primary&#x27;" not in table and "'primary'" not in table
    assert "{" not in table and "[" not in table
    assert 'data-field="action_lines"' in table
    assert 'data-field="technologies"' in table
    assert 'data-field="title"' not in table  # the same in both: not listed
    assert "E-health" in table and "Capacity building" in table
    assert "Blockchain" in table and "Machine learning" in table

    # This person's input is still in the form; theirs is untouched until saved again.
    assert re.search(r'value="C4"[^>]*checked', html)
    assert re.search(r'value="machine-learning"[^>]*checked', html)
    base.refresh_from_db()
    assert read_revision(base)["action_lines"] == {"primary": "C7.4", "secondary": ["C1"]}

    response = client.post(f"/en/initiatives/{initiative.pk}/edit/3/", {**mine, **form_state(html)})
    assert response.status_code == 302
    base.refresh_from_db()
    document = read_revision(base)
    assert document["action_lines"] == {"primary": "C4", "secondary": ["C7.3"]}
    assert document["technologies"] == ["artificial-intelligence", "machine-learning"]


# --- the vocabulary pickers ----------------------------------------------------------------


class _Nesting(HTMLParser):
    """For each choice input: the classes of the elements it sits in, outermost first."""

    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.inputs: dict[tuple[str, str], list[dict]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in ("radio", "checkbox"):
            self.inputs[(attrs["name"], attrs["value"])] = [a for _t, a in self.stack]
        if tag not in self.VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def test_the_c7_sub_lines_are_shown_under_c7(client, contributor, organisation):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    parser = _Nesting()
    parser.feed(client.get(f"/en/initiatives/{initiative.pk}/edit/3/").content.decode())
    for name in ("action_line_primary", "action_lines_secondary"):
        c7 = parser.inputs[(name, "C7")]
        for line in ("C1", "C4", "C7", "C8", "C11"):
            ancestors = parser.inputs[(name, line)]
            assert not any("choice-children" in a.get("class", "") for a in ancestors), line
            assert len(ancestors) == len(c7)
        for number in range(1, 9):
            ancestors = parser.inputs[(name, f"C7.{number}")]
            group = next(a for a in ancestors if "choice-children" in a.get("class", ""))
            assert group["role"] == "group"
            assert group["aria-label"].startswith("C7 ")
            # Inside C7's own item (the element around C7's label), in its group.
            assert ancestors[: len(c7) - 1] == c7[:-1]
    # Still one list of choices each: a sub-line can be chosen like any line.
    data = {"lang": "en", "action_line_primary": "C7.2", "action_lines_secondary": ["C7", "C3"]}
    state = form_state(client.get(f"/en/initiatives/{initiative.pk}/edit/3/").content.decode())
    response = client.post(f"/en/initiatives/{initiative.pk}/edit/3/", {**state, **data})
    assert response.status_code == 302
    initiative.refresh_from_db()
    lines = read_revision(initiative.working_revision)["action_lines"]
    assert lines == {"primary": "C7.2", "secondary": ["C3", "C7"]}


def test_action_lines_and_partner_countries_have_a_filter_box(client, contributor, organisation):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    step3 = client.get(f"/ar/initiatives/{initiative.pk}/edit/3/").content.decode()
    for target in ("id_action_line_primary", "id_action_lines_secondary", "id_sdg_targets"):
        assert f'class="choice-filter" data-filter-target="{target}"' in step3
    step4 = client.get(f"/ar/initiatives/{initiative.pk}/edit/4/").content.decode()
    for index in range(5):
        filter_box = re.search(
            rf'<input type="search" class="choice-filter" data-filter-target='
            rf'"id_partner_country_{index}" aria-label="([^"]+)" hidden>',
            step4,
        )
        assert filter_box, index
        assert filter_box[1].startswith("تصفية:")  # "Filter:", in the page's language
        assert f'<select name="partner_country_{index}"' in step4


def test_evidence_can_be_given_for_a_target_ticked_in_the_same_save(
    client, contributor, organisation
):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    page = client.get(f"/fr/initiatives/{initiative.pk}/edit/3/").content.decode()
    # The script's label for new boxes, in the reader's language.
    assert 'data-evidence-label="Éléments justificatifs pour la cible {code}"' in page
    assert 'data-evidence-for="id_sdg_targets"' in page
    data = {
        **form_state(page),
        "lang": "en",
        "action_line_primary": "C4",
        "sdg_targets": ["4.4", "16.6"],
        "evidence_4.4": "Digital skills for employment.",
        "evidence_16.6": "Open budget data.",
        "evidence_99.9": "Not a target: ignored.",
        "evidence_1.1": "Not ticked: ignored.",
    }
    response = client.post(f"/fr/initiatives/{initiative.pk}/edit/3/", data)
    assert response.status_code == 302
    initiative.refresh_from_db()
    document = read_revision(initiative.working_revision)
    assert document["sdg_targets"] == [
        {"code": "4.4", "evidence": "Digital skills for employment."},
        {"code": "16.6", "evidence": "Open budget data."},
    ]


def test_evidence_can_be_given_for_a_goal_ticked_in_the_same_save(
    client, contributor, organisation
):
    initiative = make_draft(author=contributor, organisation=organisation)
    client.force_login(contributor)
    page = client.get(f"/en/initiatives/{initiative.pk}/edit/3/").content.decode()
    # The script's label and field names for new boxes, under the goals.
    assert 'data-evidence-for="id_sdg_goals" data-evidence-prefix="goal_evidence_"' in page
    assert 'data-evidence-label="Evidence for goal {code}"' in page
    assert page.index('id="sdg-goal-evidence"') < page.index('id="id_sdg_targets"')
    data = {
        **form_state(page),
        "lang": "en",
        "action_line_primary": "C4",
        "sdg_goals": ["4", "16"],
        "goal_evidence_16": "  Open budget data.  ",
        "goal_evidence_13": "Not ticked: ignored.",
        "goal_evidence_99": "Not a goal: ignored.",
        "sdg_targets": ["4.4"],
        "evidence_4.4": "Digital skills for employment.",
    }
    response = client.post(f"/en/initiatives/{initiative.pk}/edit/3/", data)
    assert response.status_code == 302
    initiative.refresh_from_db()
    document = read_revision(initiative.working_revision)
    assert document["sdg_goals"] == ["4", "16"]
    assert document["sdg_goal_evidence"] == {"16": "Open budget data."}
    assert document["sdg_targets"] == [
        {"code": "4.4", "evidence": "Digital skills for employment."}
    ]

    # Without the script, the boxes of the chosen goals are there once saved, with their text.
    page = client.get(f"/en/initiatives/{initiative.pk}/edit/3/").content.decode()
    boxes = page[page.index('id="sdg-goal-evidence"') : page.index('id="sdg-evidence"')]
    assert re.search(
        r'<label class="field-label" for="id_goal_evidence_16">Evidence for goal 16<', boxes
    )
    assert re.search(r'name="goal_evidence_16"[^>]*>\s*Open budget data\.</textarea>', boxes)
    assert 'name="goal_evidence_4"' in boxes
    assert "goal_evidence_13" not in boxes
    assert 'name="evidence_4.4"' not in boxes  # the targets' boxes stay with the targets


def test_an_unticked_goal_loses_its_evidence_and_long_evidence_is_refused(
    client, contributor, organisation
):
    initiative = make_draft(
        author=contributor,
        organisation=organisation,
        sdg_goals=["4", "16"],
        sdg_goal_evidence={"4": "Skills.", "16": "Open data."},
    )
    client.force_login(contributor)
    url = f"/en/initiatives/{initiative.pk}/edit/3/"
    page = client.get(url).content.decode()
    common = {"lang": "en", "action_line_primary": "C4", "sdg_targets": ["4.4"]}
    too_long = {
        **form_state(page),
        **common,
        "sdg_goals": ["4", "16"],
        "goal_evidence_4": "x" * 2001,
        "goal_evidence_16": "Open data.",
    }
    response = client.post(url, too_long)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_goal_evidence_4_error"' in html
    assert "at most 2000 characters" in html
    assert read_revision(initiative.working_revision)["sdg_goal_evidence"] == {
        "4": "Skills.",
        "16": "Open data.",
    }

    # A hidden box is still sent; its goal unticked, its text is not kept.
    data = {
        **form_state(page),
        **common,
        "sdg_goals": ["4"],
        "goal_evidence_4": "Skills.",
        "goal_evidence_16": "Open data.",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    initiative.refresh_from_db()
    document = read_revision(initiative.working_revision)
    assert document["sdg_goals"] == ["4"]
    assert document["sdg_goal_evidence"] == {"4": "Skills."}
