"""Comparing versions of an entry, and deciding on a submission from the comparison."""

import re

import pytest

from stocktake.initiatives.models import Status, Transition
from stocktake.initiatives.selectors import initiative_public_get
from stocktake.initiatives.tests.test_moderation_support import (
    login,
    make_org,
    make_person,
    make_published,
    make_submitted,
    revise,
)

pytestmark = pytest.mark.usefixtures("vocabularies")

QUEUE = "/en/initiatives/moderation/"


def compare_url(initiative, language: str = "en") -> str:
    return f"/{language}/initiatives/{initiative.pk}/compare/"


def field_block(html: str, field: str) -> str:
    """The part of the comparison table that shows one field."""
    match = re.search(rf'<tbody id="field-{field}"[^>]*>(.*?)</tbody>', html, re.S)
    assert match, f"no row for {field}"
    return match.group(0)


@pytest.fixture
def pending():
    """A published entry with an edit submitted for review."""
    moderator = make_person(moderator=True)
    publisher = make_person(moderator=True)
    author = make_person()
    organisation = make_org(members=[author])
    initiative = make_published(
        author=author,
        organisation=organisation,
        moderator=publisher,
        title={"en": "Digital skills for all", "fr": "Compétences numériques pour tous"},
        summary={"en": "Courses in every governorate for adults."},
    )
    initiative = revise(
        initiative,
        author=author,
        title={"en": "Digital and AI skills for all", "fr": "Compétences numériques pour tous"},
        technologies=["artificial-intelligence", "machine-learning"],
        countries=["TN", "EG"],
        coverage="regional",
    )
    return {"moderator": moderator, "author": author, "initiative": initiative}


def test_compare_shows_a_pending_revision_side_by_side_while_visitors_see_the_published_one(
    client, pending
):
    initiative = pending["initiative"]
    html = login(client, pending["moderator"]).get(compare_url(initiative)).content.decode()

    title = field_block(html, "title")
    assert "is-changed" in title
    # Per language: English changed word by word, French unchanged.
    assert re.search(r"<ins>(?:(?!</ins>).)*and AI(?:(?!</ins>).)*</ins>", title)
    assert "<del>" not in title  # nothing was removed, only added
    assert 'lang="en"' in title and 'lang="fr"' in title
    assert "Compétences numériques pour tous" in title
    assert "Version 1" in html and "Version 2" in html

    # Term lists: the added codes with their labels in the reader's language.
    technologies = field_block(html, "technologies")
    assert "machine-learning" in technologies and "Machine learning" in technologies
    assert technologies.count("<ins>") == 1
    countries = field_block(html, "countries")
    assert "Egypt" in countries and "<ins>" in countries

    coverage = field_block(html, "coverage")
    assert "<del>" in coverage and "National" in coverage and "Regional" in coverage

    # Unchanged fields are shown, not marked.
    assert "is-changed" not in field_block(html, "summary")

    # Visitors still see the published text.
    public = initiative_public_get(pk=initiative.pk)
    assert public.published_revision.title_text == "Digital skills for all"
    assert public.published_revision.coverage.code == "national"


def test_labels_follow_the_readers_language(client, pending):
    initiative = pending["initiative"]
    html = login(client, pending["moderator"]).get(compare_url(initiative, "fr")).content.decode()
    assert "Égypte" in field_block(html, "countries")
    html = client.get(compare_url(initiative, "ar")).content.decode()
    assert "مصر" in field_block(html, "countries")


def test_a_new_entry_is_compared_against_nothing(client):
    moderator = make_person(moderator=True)
    author = make_person()
    initiative = make_submitted(author=author, organisation=make_org(members=[author]))
    response = login(client, moderator).get(compare_url(initiative))
    assert response.status_code == 200
    html = response.content.decode()
    assert "None: this is a new entry, every field is new." in html
    assert "is-changed" in field_block(html, "title")
    assert "National AI skills programme" in html


def test_any_two_versions_can_be_compared_and_each_with_the_one_before(client, pending):
    initiative = pending["initiative"]
    login(client, pending["author"])
    html = client.get(compare_url(initiative), {"from": 2, "to": 1}).content.decode()
    assert "is-changed" in field_block(html, "title")
    # The list of versions links every version to its comparison with the previous one.
    html = client.get(compare_url(initiative)).content.decode()
    assert f"/en/initiatives/{initiative.pk}/compare/?from=1&amp;to=2" in html
    html = client.get(compare_url(initiative), {"to": 1}).content.decode()
    assert "None: this is a new entry, every field is new." in html


@pytest.mark.parametrize(
    "query,status",
    [
        ({"from": "abc"}, 400),
        ({"to": "-1"}, 400),
        ({"to": str(2**40)}, 400),
        ({"to": "9"}, 404),
        ({"from": "7", "to": "1"}, 404),
    ],
)
def test_bad_version_numbers_are_client_errors(client, pending, query, status):
    initiative = pending["initiative"]
    response = login(client, pending["moderator"]).get(compare_url(initiative), query)
    assert response.status_code == status


def test_unknown_entry_is_404(client, pending):
    login(client, pending["moderator"])
    assert client.get("/en/initiatives/987654/compare/").status_code == 404
    assert client.get(f"/en/initiatives/{2**70}/compare/").status_code == 404


def test_owners_may_compare_but_others_may_not(client, pending):
    initiative = pending["initiative"]
    outsider = make_person()
    make_org(members=[outsider])
    assert login(client, pending["author"]).get(compare_url(initiative)).status_code == 200
    assert login(client, outsider).get(compare_url(initiative)).status_code == 403
    client.logout()
    response = client.get(compare_url(initiative))
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_owners_see_no_decision_forms(client, pending):
    initiative = pending["initiative"]
    html = login(client, pending["author"]).get(compare_url(initiative)).content.decode()
    assert "/act/publish/" not in html
    assert "/act/request_changes/" not in html


def act_url(initiative, action: str) -> str:
    return f"/en/initiatives/{initiative.pk}/act/{action}/"


def test_moderator_publishes_from_the_comparison_and_returns_to_the_queue(client, pending):
    initiative = pending["initiative"]
    html = login(client, pending["moderator"]).get(compare_url(initiative)).content.decode()
    assert f'action="{act_url(initiative, "publish")}"' in html
    assert f'action="{act_url(initiative, "request_changes")}"' in html
    assert '<input type="hidden" name="next" value="/en/initiatives/moderation/">' in html

    response = client.post(act_url(initiative, "publish"), {"next": QUEUE})
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    public = initiative_public_get(pk=initiative.pk)
    assert public.published_revision.title_text == "Digital and AI skills for all"
    assert public.published_revision.number == 2


def test_request_changes_from_the_comparison_needs_a_note(client, pending):
    initiative = pending["initiative"]
    html = login(client, pending["moderator"]).get(compare_url(initiative)).content.decode()
    assert re.search(r'<textarea name="note"[^>]* required', html)

    response = client.post(act_url(initiative, "request_changes"), {"note": " ", "next": QUEUE})
    assert 400 <= response.status_code < 500
    initiative.refresh_from_db()
    assert initiative.working_revision.state == "submitted"

    client.post(
        act_url(initiative, "request_changes"), {"note": "Say which AI courses.", "next": QUEUE}
    )
    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED
    assert initiative.working_revision.state == "changes_requested"
    transition = Transition.objects.filter(initiative=initiative).latest("created_at", "pk")
    assert transition.note == "Say which AI courses."


def test_own_submission_offers_no_publish_button(client):
    moderator = make_person(moderator=True)
    initiative = make_submitted(author=moderator, organisation=make_org(members=[moderator]))
    html = login(client, moderator).get(compare_url(initiative)).content.decode()
    assert "You submitted this version yourself" in html
    assert act_url(initiative, "publish") not in html
    assert act_url(initiative, "request_changes") in html


# --- resubmissions after "changes requested" ---------------------------------------------


def request_changes(initiative, note: str):
    from stocktake.initiatives import services

    services.initiative_request_changes(
        moderator=make_person(moderator=True), initiative=initiative, note=note
    )


def resubmit(initiative, *, author, **changes):
    from stocktake.initiatives import services
    from stocktake.initiatives.tests.factories import edit

    edit(initiative, user=author, **changes)
    services.initiative_submit(user=author, initiative=initiative)
    initiative.refresh_from_db()
    return initiative


def test_a_resubmitted_new_entry_is_compared_with_the_version_reviewed(client):
    moderator = make_person(moderator=True)
    author = make_person()
    initiative = make_submitted(author=author, organisation=make_org(members=[author]))
    request_changes(initiative, "Say who the courses are for.")
    initiative = resubmit(
        initiative, author=author, summary={"en": "Free courses for teachers and pupils."}
    )
    assert initiative.working_revision.number == 2

    html = login(client, moderator).get(compare_url(initiative)).content.decode()
    assert "None: this is a new entry" not in html
    assert "Version 1 (Changes requested)" in html and "Version 2 (Submitted)" in html
    assert "is-changed" in field_block(html, "summary")
    assert "is-changed" not in field_block(html, "title")
    assert "1 field changed:" in html
    # What the moderator asked, beside what was done about it.
    assert "Changes requested on version 1" in html
    assert "Say who the courses are for." in html
    assert '<strong aria-current="page">the version reviewed when changes were requested ' in html
    assert "the published version" not in html  # there is none
    # And the decision can be taken from here.
    assert act_url(initiative, "publish") in html


def test_a_resubmitted_revision_offers_the_reviewed_and_the_published_versions(client, pending):
    initiative, author = pending["initiative"], pending["author"]
    request_changes(initiative, "Which AI courses?")
    initiative = resubmit(
        initiative, author=author, summary={"en": "Courses in every governorate, AI included."}
    )
    assert initiative.working_revision.number == 3
    login(client, pending["moderator"])

    # By default, against the version reviewed: only the answer to the request shows.
    html = client.get(compare_url(initiative)).content.decode()
    assert "Version 2 (Changes requested)" in html
    assert "is-changed" in field_block(html, "summary")
    assert "is-changed" not in field_block(html, "title")
    published_link = f"{compare_url(initiative)}?from=1&amp;to=3"
    assert f'<a href="{published_link}">the published version (version 1)</a>' in html

    # Against the published version: everything visitors would see change.
    html = client.get(compare_url(initiative), {"from": 1, "to": 3}).content.decode()
    assert "Version 1 (Published)" in html
    assert "is-changed" in field_block(html, "title")
    assert "is-changed" in field_block(html, "summary")
    reviewed_link = f"{compare_url(initiative)}?from=2&amp;to=3"
    assert reviewed_link in html
    assert '<strong aria-current="page">the published version (version 1)</strong>' in html


def test_visitors_never_learn_of_reviewed_versions(client, pending):
    initiative, author = pending["initiative"], pending["author"]
    request_changes(initiative, "Which AI courses?")
    initiative = resubmit(initiative, author=author, keywords=["ai"])
    html = client.get(f"/en/initiatives/{initiative.pk}/history/").content.decode()
    assert '<td class="numeric">1</td>' in html
    assert '<td class="numeric">2</td>' not in html
    assert '<td class="numeric">3</td>' not in html


def test_unscreened_members_may_not_compare_versions(client, pending):
    from stocktake.accounts.models import ScreeningStatus

    initiative = pending["initiative"]
    for status in (ScreeningStatus.PENDING, ScreeningStatus.REJECTED):
        member = make_person()
        member.screening_status = status
        member.save(update_fields=["screening_status"])
        initiative.organisation.memberships.create(user=member)
        assert login(client, member).get(compare_url(initiative)).status_code == 403


def test_a_change_to_a_goal_s_evidence_alone_shows_on_the_goal(client):
    moderator = make_person(moderator=True)
    author = make_person()
    initiative = make_published(
        author=author,
        organisation=make_org(members=[author]),
        sdg_goals=["4"],
        sdg_goal_evidence={"4": "Teachers trained in every district."},
    )
    initiative = revise(
        initiative, author=author, sdg_goal_evidence={"4": "Forty thousand teachers trained."}
    )
    html = login(client, moderator).get(compare_url(initiative)).content.decode()
    goals = field_block(html, "sdg_goals")
    assert "is-changed" in goals
    assert "Teachers trained in every district." in goals
    assert "Forty thousand teachers trained." in goals
