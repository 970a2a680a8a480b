"""The recorded history of an entry: in words, with names and notes for insiders only."""

import pytest

from stocktake.initiatives import services

from .factories import edit, make_draft, make_org, make_published, make_user

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.fixture
def people():
    author = make_user(first_name="Amal", last_name="Author")
    moderator = make_user(moderator=True, first_name="Mona", last_name="Moderator")
    organisation = make_org(members=[author])
    return {"author": author, "moderator": moderator, "organisation": organisation}


@pytest.fixture
def revised(people):
    """Published, revised, republished: two versions and a note from the moderator."""
    author, moderator = people["author"], people["moderator"]
    entry = make_published(
        author=author,
        organisation=people["organisation"],
        moderator=moderator,
        note="Welcome aboard, internal remark",
    )
    edit(entry, user=author, title={"en": "Renamed programme"})
    services.initiative_submit(user=author, initiative=entry, note="Updated the name")
    services.initiative_publish(moderator=moderator, initiative=entry, note="Second look fine")
    return entry


def test_visitors_see_what_happened_in_words_without_names_or_notes(client, revised):
    response = client.get(f"/en/initiatives/{revised.pk}/history/")
    assert response.status_code == 200
    html = response.content.decode()
    for words in ("Draft created", "Submitted for review", "Published", "Revision started"):
        assert words in html
    assert "A moderator" in html and "The organisation" in html
    assert "Mona" not in html and "Amal" not in html
    assert "internal remark" not in html and "Second look fine" not in html
    assert "/compare/" not in html
    assert ">publish<" not in html  # the raw action code is never shown


def test_owners_see_names_notes_and_links_to_compare_versions(client, people, revised):
    client.force_login(people["author"])
    html = client.get(f"/en/initiatives/{revised.pk}/history/").content.decode()
    assert "Mona Moderator" in html and "Amal Author" in html
    assert "Welcome aboard, internal remark" in html and "Updated the name" in html
    assert f"/en/initiatives/{revised.pk}/compare/?from=1&amp;to=2" in html


def test_moderators_see_the_compare_links_too(client, revised):
    client.force_login(make_user(moderator=True))
    html = client.get(f"/en/initiatives/{revised.pk}/history/").content.decode()
    assert "?from=1&amp;to=2" in html


def test_visitors_see_only_versions_that_were_public(client, people, revised):
    edit(revised, user=people["author"], title={"en": "A third, unpublished name"})
    html = client.get(f"/en/initiatives/{revised.pk}/history/").content.decode()
    assert html.count('<td class="numeric">') == 2
    client.force_login(people["author"])
    html = client.get(f"/en/initiatives/{revised.pk}/history/").content.decode()
    assert html.count('<td class="numeric">') == 3


def test_history_of_a_draft_is_for_its_owners_only(client, people):
    draft = make_draft(author=people["author"], organisation=people["organisation"])
    assert client.get(f"/en/initiatives/{draft.pk}/history/").status_code == 404
    client.force_login(people["author"])
    response = client.get(f"/en/initiatives/{draft.pk}/history/")
    assert response.status_code == 200
    assert "Visitors cannot see this entry." in response.content.decode()


def test_history_in_arabic_is_right_to_left(client, revised):
    html = client.get(f"/ar/initiatives/{revised.pk}/history/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_history_query_count_is_small(client, people, revised, django_assert_max_num_queries):
    client.force_login(people["author"])
    with django_assert_max_num_queries(12):
        client.get(f"/en/initiatives/{revised.pk}/history/")
