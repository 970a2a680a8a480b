"""One published entry through the API: all of it, never the private fields, conditional."""

import pytest

from stocktake.initiatives import services
from stocktake.initiatives.tests.factories import (
    edit,
    make_draft,
    make_published,
    make_user,
)

pytestmark = pytest.mark.usefixtures("vocabularies")


def url(initiative) -> str:
    return f"/api/v1/initiatives/{initiative.pk}/"


def test_an_entry_has_every_language_its_organisation_and_classification(api):
    entry = make_published(
        title={"en": "Telemedicine network", "fr": "Réseau de télémédecine"},
        partners=[{"name": "Health ministry", "stakeholder_type": "government", "country": "EG"}],
        links=[{"label": "Report", "url": "https://example.org/report"}],
        funding_amount="1200.50",
        funding_currency="USD",
        sdg_goals=["4", "8"],
        sdg_goal_evidence={"4": "Skills for work."},
        contact_name="Private Person",
        contact_email="private@example.org",
    )
    response = api.get(url(entry), headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == {"en": "Telemedicine network", "fr": "Réseau de télémédecine"}
    assert body["original_language"] == "en"
    assert body["organisation"]["id"] == entry.organisation_id
    assert body["organisation"]["country"]["code"] == "TN"
    assert body["organisation"]["country"]["label"] == "Tunisie"
    [primary, secondary] = body["classification"]["action_lines"]
    assert (primary["code"], primary["primary"]) == ("C4", True)
    assert (secondary["code"], secondary["primary"]) == ("C7.3", False)
    [target] = body["classification"]["sdg_targets"]
    assert target["evidence"] == "Digital skills for employment."
    goals = {goal["code"]: goal["evidence"] for goal in body["classification"]["sdg_goals"]}
    assert goals == {"4": "Skills for work.", "8": ""}
    assert body["classification"]["countries"][0]["labels"]["ar"] == "تونس"
    assert body["initiative_type"]["code"] == "programme"
    assert body["partners"][0]["country"]["code"] == "EG"
    assert body["links"] == [{"label": "Report", "url": "https://example.org/report"}]
    assert body["funding"] == {"source": "", "amount": "1200.50", "currency": "USD"}
    assert body["url"].endswith(f"/initiatives/{entry.pk}/")
    text = response.content.decode()
    assert "private@example.org" not in text and "Private Person" not in text


@pytest.mark.parametrize("state", ["draft", "withdrawn", "archived"])
def test_entries_not_published_do_not_exist_for_visitors(api, state):
    moderator = make_user(moderator=True)
    if state == "draft":
        entry = make_draft()
    else:
        entry = make_published()
        if state == "withdrawn":
            services.initiative_withdraw(user=moderator, initiative=entry)
        else:
            services.initiative_archive(moderator=moderator, initiative=entry)
    response = api.get(url(entry))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_a_pending_edit_stays_out_of_the_public_entry(api):
    author = make_user()
    entry = make_published(author=author)
    edit(entry, user=author, title={"en": "Renamed in a pending edit"})
    assert api.get(url(entry)).json()["title"] == {"en": "National AI skills programme"}


def test_the_etag_answers_if_none_match_with_304_until_the_entry_changes(api):
    entry = make_published()
    first = api.get(url(entry))
    etag = first["ETag"]
    assert etag
    again = api.get(url(entry), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    services.initiative_set_good_practice(
        moderator=make_user(moderator=True), initiative=entry, value=True
    )
    changed = api.get(url(entry), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["is_good_practice"] is True


@pytest.mark.parametrize("pk", ["0", "99999999", "9" * 30])
def test_unknown_numbers_are_404_problems(api, pk):
    response = api.get(f"/api/v1/initiatives/{pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
