"""Writing through the API: the web's services, the web's permissions, and no silent
overwrite (ETag / If-Match)."""

import pytest

from stocktake.initiatives.models import Initiative, Status
from stocktake.initiatives.tests.factories import (
    complete_content,
    edit,
    make_draft,
    make_org,
    make_published,
    make_submitted,
    make_user,
)

pytestmark = pytest.mark.usefixtures("vocabularies")

CREATE = "/api/v1/initiatives/"


def draft_url(entry) -> str:
    return f"/api/v1/initiatives/{entry.pk}/draft/"


def action_url(entry, action: str) -> str:
    return f"/api/v1/initiatives/{entry.pk}/{action}/"


def test_a_member_creates_a_draft_and_gets_its_address_and_version(api_as):
    member = make_user()
    organisation = make_org(members=[member])
    response = api_as(member).post(
        CREATE,
        {
            "organisation": organisation.pk,
            "content": {"original_language": "fr", "title": {"fr": "Réseau"}},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    entry = Initiative.objects.get(pk=body["id"])
    assert entry.status == Status.DRAFT and entry.created_by == member
    assert response["Location"].endswith(f"/api/v1/initiatives/{entry.pk}/draft/")
    assert response["ETag"] == body["etag"] == f'"r{entry.working_revision_id}.1"'
    assert body["content"]["title"] == {"fr": "Réseau"}
    assert "summary" in body["submission_problems"]


def test_creating_for_an_organisation_one_is_not_a_member_of_is_refused(api_as):
    outsider = make_user()
    make_org(members=[outsider])
    other = make_org()
    response = api_as(outsider).post(
        CREATE,
        {"organisation": other.pk, "content": {"original_language": "en", "title": {"en": "X"}}},
        format="json",
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not Initiative.objects.exists()


def test_invalid_content_is_a_400_naming_each_field(api_as):
    member = make_user()
    organisation = make_org(members=[member])
    response = api_as(member).post(
        CREATE,
        {
            "organisation": organisation.pk,
            "content": {
                "original_language": "en",
                "title": {"en": "X"},
                "countries": ["ZZ"],
                "start_date": "2024-05-01",
                "end_date": "2023-01-01",
            },
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"countries", "end_date"}


def test_visitors_cannot_write(api):
    entry = make_draft()
    response = api.post(
        CREATE, {"organisation": entry.organisation_id, "content": {}}, format="json"
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert api.get(draft_url(entry)).status_code == 401


def test_a_read_only_token_cannot_write(api_as):
    member = make_user()
    entry = make_draft(author=member)
    client = api_as(member, scope="read")
    assert client.get(draft_url(entry)).status_code == 200
    assert client.post(action_url(entry, "submit"), {}, format="json").status_code == 403


def test_the_draft_of_another_organisation_is_not_found(api_as):
    entry = make_draft()
    response = api_as(make_user()).get(draft_url(entry))
    assert response.status_code == 404


def test_a_contributor_of_another_organisation_cannot_edit_a_published_entry(api_as):
    entry = make_published()
    outsider = make_user()
    make_org(members=[outsider])
    response = api_as(outsider).get(draft_url(entry))
    assert response.status_code == 403
    assert "members of the organisation" in response.json()["detail"]


def test_update_needs_if_match(api_as):
    member = make_user()
    entry = make_draft(author=member)
    response = api_as(member).put(draft_url(entry), complete_content(), format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]


def test_update_with_the_current_version_saves_and_moves_the_version_on(api_as):
    member = make_user()
    entry = make_draft(author=member)
    client = api_as(member)
    etag = client.get(draft_url(entry))["ETag"]
    content = complete_content(title={"en": "Renamed"})
    response = client.put(draft_url(entry), content, format="json", headers={"If-Match": etag})
    assert response.status_code == 200, response.json()
    assert response.json()["content"]["title"] == {"en": "Renamed"}
    assert response["ETag"] != etag
    entry.working_revision.refresh_from_db()
    assert entry.working_revision.title == {"en": "Renamed"}


def test_a_stale_update_is_a_412_with_the_current_version_and_changes_nothing(api_as):
    member, colleague = make_user(), make_user()
    organisation = make_org(members=[member, colleague])
    entry = make_draft(author=member, organisation=organisation)
    client = api_as(member)
    stale = client.get(draft_url(entry))["ETag"]
    edit(entry, user=colleague, title={"en": "The colleague's title"})
    response = client.put(
        draft_url(entry),
        complete_content(title={"en": "Mine"}),
        format="json",
        headers={"If-Match": stale},
    )
    assert response.status_code == 412
    body = response.json()
    assert body["current"]["title"] == {"en": "The colleague's title"}
    assert body["current_etag"] == response["ETag"] != stale
    entry.working_revision.refresh_from_db()
    assert entry.working_revision.title == {"en": "The colleague's title"}
    # Sending again on top of the current version goes through.
    retry = client.put(
        draft_url(entry),
        complete_content(title={"en": "Mine"}),
        format="json",
        headers={"If-Match": body["current_etag"]},
    )
    assert retry.status_code == 200


@pytest.mark.parametrize("header", ['"nonsense"', 'W/"r1.1"', "*"])
def test_an_if_match_naming_no_version_is_refused(api_as, header):
    member = make_user()
    entry = make_draft(author=member)
    response = api_as(member).patch(
        draft_url(entry), {"keywords": ["x"]}, format="json", headers={"If-Match": header}
    )
    assert response.status_code in (412, 428)
    entry.working_revision.refresh_from_db()
    assert entry.working_revision.keywords == ["skills", "training"]


def test_patch_changes_only_the_fields_sent(api_as):
    member = make_user()
    entry = make_draft(author=member)
    client = api_as(member)
    etag = client.get(draft_url(entry))["ETag"]
    response = client.patch(
        draft_url(entry), {"keywords": ["telehealth"]}, format="json", headers={"If-Match": etag}
    )
    assert response.status_code == 200
    content = response.json()["content"]
    assert content["keywords"] == ["telehealth"]
    assert content["title"] == {"en": "National AI skills programme"}
    assert content["countries"] == ["TN"]


def test_editing_a_published_entry_starts_a_pending_revision(api_as, api):
    member = make_user()
    entry = make_published(author=member)
    client = api_as(member)
    draft = client.get(draft_url(entry))
    response = client.patch(
        draft_url(entry),
        {"title": {"en": "Pending title"}},
        format="json",
        headers={"If-Match": draft["ETag"]},
    )
    assert response.status_code == 200
    assert response.json()["revision"]["number"] == 2
    assert api.get(f"/api/v1/initiatives/{entry.pk}/").json()["title"] == {
        "en": "National AI skills programme"
    }


def test_the_whole_lifecycle_through_the_api(api_as, api):
    member = make_user()
    entry = make_draft(author=member)
    author, moderator = api_as(member), api_as(make_user(moderator=True))
    submitted = author.post(action_url(entry, "submit"), {"note": "Ready"}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    # Waiting for review: the draft is not editable.
    assert author.get(draft_url(entry)).status_code == 409
    # Authors cannot publish.
    assert author.post(action_url(entry, "publish"), {}, format="json").status_code == 403
    no_note = moderator.post(action_url(entry, "request-changes"), {}, format="json")
    assert no_note.status_code == 400 and "note" in no_note.json()["errors"]
    back = moderator.post(
        action_url(entry, "request-changes"), {"note": "Add a summary"}, format="json"
    )
    assert back.json()["status"] == "changes_requested"
    author.post(action_url(entry, "submit"), {}, format="json")
    published = moderator.post(action_url(entry, "publish"), {}, format="json")
    assert published.status_code == 200 and published.json()["published_version"] == 1
    assert api.get(f"/api/v1/initiatives/{entry.pk}/").status_code == 200
    again = moderator.post(action_url(entry, "publish"), {}, format="json")
    assert again.status_code == 409
    assert (
        moderator.post(action_url(entry, "archive"), {}, format="json").json()["status"]
        == "archived"
    )
    assert api.get(f"/api/v1/initiatives/{entry.pk}/").status_code == 404
    assert (
        moderator.post(action_url(entry, "restore"), {}, format="json").json()["status"]
        == "published"
    )
    assert (
        author.post(action_url(entry, "withdraw"), {}, format="json").json()["status"]
        == "withdrawn"
    )


def test_a_moderator_cannot_publish_what_they_submitted(api_as):
    moderator = make_user(moderator=True)
    entry = make_submitted(author=moderator)
    response = api_as(moderator).post(action_url(entry, "publish"), {}, format="json")
    assert response.status_code == 403


def test_the_moderation_queue_is_for_moderators_and_filters_like_the_page(api_as):
    tunisian = make_submitted(organisation=make_org(country="TN"))
    egyptian = make_submitted(organisation=make_org(country="EG"))
    make_draft()  # not submitted: not in the queue
    assert api_as(make_user()).get("/api/v1/moderation/").status_code == 403
    moderator = api_as(make_user(moderator=True))
    everything = moderator.get("/api/v1/moderation/").json()
    assert [row["id"] for row in everything["results"]] == [tunisian.pk, egyptian.pk]
    only_egypt = moderator.get("/api/v1/moderation/", {"country": "eg"}).json()
    assert [row["id"] for row in only_egypt["results"]] == [egyptian.pk]
    bad = moderator.get("/api/v1/moderation/", {"country": "XX", "kind": "odd"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"country", "kind"}


def test_goal_evidence_is_read_and_written_beside_the_goals(api_as):
    member = make_user()
    entry = make_draft(author=member)
    client = api_as(member)
    response = client.get(draft_url(entry))
    assert response.json()["content"]["sdg_goal_evidence"] == {}
    content = complete_content(
        sdg_goals=["4", "16"],
        sdg_goal_evidence={"16": "Open budget data.", "4": ""},
        sdg_targets=[{"code": "4.4", "evidence": "Skills."}],
    )
    response = client.put(
        draft_url(entry), content, format="json", headers={"If-Match": response["ETag"]}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["content"]["sdg_goals"] == ["4", "16"]  # the existing shapes are unchanged
    assert body["content"]["sdg_targets"] == [{"code": "4.4", "evidence": "Skills."}]
    assert body["content"]["sdg_goal_evidence"] == {"16": "Open budget data."}
    assert client.get(draft_url(entry)).json()["content"]["sdg_goal_evidence"] == {
        "16": "Open budget data."
    }


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        ({"13": "A goal the entry does not have."}, "13"),
        ({"4": "x" * 5001}, "5000"),
        ({"4": ["not", "text"]}, "string"),
        (["4"], "dictionary"),
    ],
)
def test_bad_goal_evidence_is_a_400_naming_the_field(api_as, evidence, message):
    member = make_user()
    entry = make_draft(author=member)
    client = api_as(member)
    etag = client.get(draft_url(entry))["ETag"]
    response = client.put(
        draft_url(entry),
        complete_content(sdg_goal_evidence=evidence),
        format="json",
        headers={"If-Match": etag},
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["sdg_goal_evidence"]
    assert message in str(errors["sdg_goal_evidence"])
    assert client.get(draft_url(entry))["ETag"] == etag  # nothing saved


def test_patching_the_goals_keeps_the_evidence_of_the_goals_that_stay(api_as):
    member = make_user()
    entry = make_draft(
        author=member,
        sdg_goals=["4", "9", "16"],
        sdg_goal_evidence={"4": "Skills.", "9": "Broadband.", "16": "Open data."},
        sdg_targets=[{"code": "9.c"}],
    )
    client = api_as(member)
    etag = client.get(draft_url(entry))["ETag"]
    # Goal 9 is taken out but stays as the goal of target 9.c; goal 16 goes with its evidence.
    response = client.patch(
        draft_url(entry), {"sdg_goals": ["4"]}, format="json", headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.json()
    content = response.json()["content"]
    assert content["sdg_goals"] == ["4", "9"]
    assert content["sdg_goal_evidence"] == {"4": "Skills.", "9": "Broadband."}
    # Sending the evidence replaces it whole.
    response = client.patch(
        draft_url(entry),
        {"sdg_goal_evidence": {"9": "Rural broadband."}},
        format="json",
        headers={"If-Match": response["ETag"]},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["content"]["sdg_goal_evidence"] == {"9": "Rural broadband."}
    assert response.json()["content"]["sdg_goals"] == ["4", "9"]
