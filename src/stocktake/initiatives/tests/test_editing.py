"""The guided form: drafts saved as one goes, per-field errors, edit conflicts, actions."""

import re

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
    assert "Colleague&#x27;s objectives" in html or "Colleague's objectives" in html
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
