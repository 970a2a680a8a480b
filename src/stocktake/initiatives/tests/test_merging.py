"""Merging duplicate entries: who may, what is refused, what visitors and moderators see."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.test import Client

from stocktake.initiatives import services
from stocktake.initiatives.merging import initiative_merge
from stocktake.initiatives.models import Initiative, RevisionState, Status, Transition
from stocktake.search.query import parse_query
from stocktake.search.selectors import search_browse

from .factories import edit, make_draft, make_org, make_published, make_submitted, make_user
from .test_moderation_support import login

pytestmark = pytest.mark.usefixtures("vocabularies")


def titled(title: str, **content) -> dict:
    return {"title": {"en": title}, **content}


def detail(pk: int, language: str = "en") -> str:
    return f"/{language}/initiatives/{pk}/"


def merge_url(pk: int) -> str:
    return f"/en/initiatives/{pk}/merge/"


def found(text: str = "") -> set[int]:
    query = parse_query(text) if text else None
    return set(search_browse(query=query, filters={}, with_counts=False).ids(0, 1000))


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def moderator():
    return make_user(moderator=True, first_name="Mona", last_name="Moderator")


@pytest.fixture
def people():
    """The duplicate's organisation: its admin and a contributor who wrote the entries."""
    admin, author = make_user(), make_user()
    return admin, author, make_org(admins=[admin], members=[author])


@pytest.fixture
def pair(people):
    """A duplicate and the entry to keep, both published, from two organisations."""
    _admin, author, organisation = people
    duplicate = make_published(
        author=author, organisation=organisation, **titled("Quokka coding clubs", countries=["JO"])
    )
    kept = make_published(**titled("Coding clubs for girls", countries=["TN", "EG"]))
    return duplicate, kept


def merge(moderator, duplicate, kept, note="Same programme, entered twice."):
    return initiative_merge(moderator=moderator, duplicate=duplicate, into=kept, note=note)


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "contributor", "organisation admin"])
def test_only_moderators_can_merge_even_when_calling_the_service(who, people, pair):
    admin, author, _organisation = people
    duplicate, kept = pair
    user = {"visitor": AnonymousUser(), "contributor": author, "organisation admin": admin}[who]
    with pytest.raises(PermissionDenied, match=r"Only moderators can merge entries\."):
        merge(user, duplicate, kept)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == (Status.PUBLISHED, None)
    assert not Transition.objects.filter(action="merge").exists()


def test_a_moderator_merges_a_duplicate_into_the_entry_kept(moderator, pair):
    duplicate, kept = pair
    merged = merge(moderator, duplicate, kept)
    assert merged.pk == duplicate.pk
    duplicate.refresh_from_db()
    kept.refresh_from_db()
    assert duplicate.status == Status.ARCHIVED
    assert duplicate.merged_into_id == kept.pk
    assert list(kept.merged_duplicates.all()) == [duplicate]
    assert kept.status == Status.PUBLISHED and kept.merged_into_id is None


def test_the_merge_is_recorded_on_both_entries_with_who_and_the_note(moderator, pair):
    duplicate, kept = pair
    merge(moderator, duplicate, kept, note="  Same programme, entered twice.  ")
    on_duplicate = list(duplicate.transitions.order_by("pk").values_list("action", flat=True))
    # Archived through the ordinary archive path, then the merge recorded.
    assert on_duplicate[-2:] == ["archive", "merge"]
    for entry, from_status, to_status in (
        (duplicate, Status.PUBLISHED, Status.ARCHIVED),
        (kept, Status.PUBLISHED, Status.PUBLISHED),
    ):
        transition = entry.transitions.get(action="merge")
        assert transition.actor == moderator
        assert transition.note == "Same programme, entered twice."
        assert (transition.from_status, transition.to_status) == (from_status, to_status)
        assert transition.created_at is not None


# --- refusals ------------------------------------------------------------------------------


def test_an_entry_cannot_be_merged_into_itself(moderator, pair):
    duplicate, _kept = pair
    with pytest.raises(services.TransitionError, match="cannot be merged into itself"):
        merge(moderator, duplicate, duplicate)


@pytest.mark.parametrize("state", ["draft", "submitted", "archived", "withdrawn"])
def test_an_entry_can_only_be_merged_into_a_published_one(moderator, pair, state):
    duplicate, _kept = pair
    if state == "draft":
        target = make_draft()
    elif state == "submitted":
        target = make_submitted()
    else:
        target = make_published()
        if state == "archived":
            services.initiative_archive(moderator=moderator, initiative=target)
        else:
            services.initiative_withdraw(user=moderator, initiative=target)
    with pytest.raises(services.TransitionError) as refused:
        merge(moderator, duplicate, target)
    assert refused.value.messages == [
        f"Entry {target.pk} is not published: an entry can only be merged into a published one."
    ]
    duplicate.refresh_from_db()
    assert duplicate.status == Status.PUBLISHED


def test_a_duplicate_already_merged_cannot_be_merged_again(moderator, pair):
    duplicate, kept = pair
    merge(moderator, duplicate, kept)
    other = make_published()
    with pytest.raises(services.TransitionError) as refused:
        merge(moderator, duplicate, other)
    assert refused.value.messages == [f"This entry has already been merged into entry {kept.pk}."]


@pytest.mark.parametrize("state", ["archived", "withdrawn"])
def test_an_archived_or_withdrawn_entry_cannot_be_merged(moderator, pair, state):
    duplicate, kept = pair
    if state == "archived":
        services.initiative_archive(moderator=moderator, initiative=duplicate)
    else:
        services.initiative_withdraw(user=moderator, initiative=duplicate)
    with pytest.raises(services.TransitionError, match="archived or withdrawn"):
        merge(moderator, duplicate, kept)


def test_an_unpublished_submission_cannot_be_merged(moderator, pair):
    _duplicate, kept = pair
    with pytest.raises(services.TransitionError, match="Only a published entry can be merged"):
        merge(moderator, make_submitted(), kept)


def test_merging_into_an_entry_that_was_itself_merged_is_refused(moderator, pair):
    duplicate, kept = pair
    merge(moderator, duplicate, kept)
    another = make_published()
    with pytest.raises(services.TransitionError) as refused:
        merge(moderator, another, duplicate)
    assert refused.value.messages == [
        f"Entry {duplicate.pk} was itself merged into entry {kept.pk}: merge into entry "
        f"{kept.pk} instead."
    ]


def test_merging_an_entry_that_others_were_merged_into_leaves_no_chain(client, moderator, pair):
    duplicate, kept = pair
    final = make_published(**titled("The one entry for coding clubs"))
    merge(moderator, duplicate, kept)
    merge(moderator, kept, final)
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == final.pk
    response = client.get(detail(duplicate.pk))
    assert response.status_code == 301
    assert response["Location"] == detail(final.pk)


def test_a_restored_duplicate_stands_on_its_own_again(client, moderator, pair):
    duplicate, kept = pair
    merge(moderator, duplicate, kept)
    services.initiative_restore(moderator=moderator, initiative=duplicate)
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None
    assert client.get(detail(duplicate.pk)).status_code == 200
    # Closed again later, it is simply gone for visitors: not sent to the old entry.
    services.initiative_withdraw(user=moderator, initiative=duplicate)
    assert client.get(detail(duplicate.pk)).status_code == 404
    services.initiative_restore(moderator=moderator, initiative=duplicate)
    # ... and can be merged again, into another entry.
    other = make_published()
    merge(moderator, duplicate, other)
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == other.pk


# --- what visitors see ---------------------------------------------------------------------


def test_visitors_opening_the_duplicate_are_sent_on_for_good_to_the_entry_kept(
    client, moderator, pair
):
    duplicate, kept = pair
    merge(moderator, duplicate, kept)
    for language in ("en", "ar"):
        response = client.get(detail(duplicate.pk, language))
        assert response.status_code == 301
        assert response["Location"] == detail(kept.pk, language)
    assert client.get(detail(kept.pk)).status_code == 200
    # If the entry kept is no longer public either, the duplicate is simply not found.
    services.initiative_archive(moderator=moderator, initiative=kept)
    assert client.get(detail(duplicate.pk)).status_code == 404


def test_the_duplicate_leaves_the_browse_list_and_search(client, moderator, pair):
    duplicate, kept = pair
    assert {duplicate.pk, kept.pk} <= found()
    assert duplicate.pk in found("quokka")
    merge(moderator, duplicate, kept)
    assert duplicate.pk not in found()
    assert kept.pk in found()
    assert found("quokka") == set()
    assert "Quokka coding clubs" not in client.get("/en/initiatives/?q=quokka").content.decode()


def test_visitors_see_the_merge_in_the_history_of_the_entry_kept(client, moderator, pair):
    duplicate, kept = pair
    merge(moderator, duplicate, kept, note="Internal reasoning")
    html = client.get(f"/en/initiatives/{kept.pk}/history/").content.decode()
    assert "Merged with another entry" in html
    assert "Internal reasoning" not in html  # notes are for insiders


# --- nothing is lost -----------------------------------------------------------------------


def test_moderators_still_read_the_duplicate_its_history_and_versions(client, moderator, pair):
    duplicate, kept = pair
    edit(duplicate, user=moderator, title={"en": "Quokka coding clubs, revised"})
    revisions = list(duplicate.revisions.values_list("pk", "number", "state"))
    merge(moderator, duplicate, kept, note="Same programme, entered twice.")
    assert list(duplicate.revisions.values_list("pk", "number", "state")) == revisions
    assert (RevisionState.PUBLISHED, RevisionState.DRAFT) == tuple(r[2] for r in revisions)

    login(client, moderator)
    page = client.get(detail(duplicate.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"This entry was merged into entry {kept.pk}." in html
    history = client.get(f"/en/initiatives/{duplicate.pk}/history/")
    assert history.status_code == 200
    assert "Merged with another entry" in history.content.decode()
    assert "Same programme, entered twice." in history.content.decode()
    compare = client.get(f"/en/initiatives/{duplicate.pk}/compare/?from=1&to=2")
    assert compare.status_code == 200
    assert "Quokka coding clubs, revised" in compare.content.decode()


# --- the pages -----------------------------------------------------------------------------


def test_the_detail_page_offers_merging_to_moderators_only(client, moderator, people, pair):
    _admin, author, _organisation = people
    duplicate, _kept = pair
    link = f'href="{merge_url(duplicate.pk)}"'
    assert link not in client.get(detail(duplicate.pk)).content.decode()
    login(client, author)
    assert link not in client.get(detail(duplicate.pk)).content.decode()
    login(client, moderator)
    assert link in client.get(detail(duplicate.pk)).content.decode()


def test_the_confirmation_shows_both_entries_side_by_side(client, moderator, pair):
    duplicate, kept = pair
    login(client, moderator)
    choose = client.get(merge_url(duplicate.pk))
    assert choose.status_code == 200
    assert 'name="into"' in choose.content.decode()

    response = client.get(merge_url(duplicate.pk), {"into": kept.pk})
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Quokka coding clubs",
        "Coding clubs for girls",
        duplicate.organisation.name,
        kept.organisation.name,
        "Jordan",
        "Tunisia",
        "Egypt",
        "Published",
        f"Merge into entry {kept.pk}",
    ):
        assert text in html, text
    assert 'method="post"' in html and 'name="note"' in html
    duplicate.refresh_from_db()
    assert duplicate.status == Status.PUBLISHED  # looking changes nothing


def test_merging_through_the_page(client, moderator, pair):
    duplicate, kept = pair
    login(client, moderator)
    response = client.post(merge_url(duplicate.pk), {"into": kept.pk, "note": "Twice entered"})
    assert response.status_code == 302
    assert response["Location"] == detail(kept.pk)
    assert texts(response) == [
        f"Entry {duplicate.pk} was merged into this entry: its address now leads here."
    ]
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == (Status.ARCHIVED, kept.pk)
    assert kept.transitions.get(action="merge").note == "Twice entered"
    # The page of the duplicate now lists where it went.
    html = client.get(merge_url(kept.pk)).content.decode()
    assert "Entries already merged into this one" in html
    assert "Quokka coding clubs" in html


@pytest.mark.parametrize(
    "data,message",
    [
        ({}, "Give the number of the entry to keep."),
        ({"into": "forty-two"}, "An entry&#x27;s number is made of digits only."),
        ({"into": "-3"}, "There is no entry with this number."),
        ({"into": str(2**70)}, "There is no entry with this number."),
        ({"into": "999999"}, "There is no entry with this number."),
        ({"into": "KEPT", "note": "x" * 5001}, "Ensure this value has at most 5000 characters"),
    ],
)
def test_bad_input_is_answered_with_400_and_a_message(client, moderator, pair, data, message):
    duplicate, kept = pair
    data = {key: str(kept.pk) if value == "KEPT" else value for key, value in data.items()}
    login(client, moderator)
    for method in ("get", "post"):
        if method == "get" and not data:
            continue  # without a number, GET is the page to choose one
        response = getattr(client, method)(merge_url(duplicate.pk), data)
        assert response.status_code == 400, method
        assert message in response.content.decode(), method
    duplicate.refresh_from_db()
    assert duplicate.status == Status.PUBLISHED


def test_refusals_are_answered_with_409_and_the_reason(client, moderator, pair):
    duplicate, _kept = pair
    login(client, moderator)
    for method in ("get", "post"):
        response = getattr(client, method)(merge_url(duplicate.pk), {"into": duplicate.pk})
        assert response.status_code == 409
        assert "An entry cannot be merged into itself." in response.content.decode()
    draft = make_draft()
    response = client.post(merge_url(duplicate.pk), {"into": draft.pk})
    assert response.status_code == 409
    assert "is not published" in response.content.decode()
    # The preview warns before anything is posted: no confirmation form.
    html = client.get(merge_url(duplicate.pk), {"into": draft.pk}).content.decode()
    assert f"Merge into entry {draft.pk}" not in html


def test_the_merge_page_is_for_moderators(client, people, pair):
    admin, author, _organisation = people
    duplicate, kept = pair
    response = client.get(merge_url(duplicate.pk))
    assert response.status_code == 302 and "/login" in response["Location"]
    for user in (author, admin):
        login(client, user)
        assert client.get(merge_url(duplicate.pk)).status_code == 403
        assert client.post(merge_url(duplicate.pk), {"into": kept.pk}).status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.status == Status.PUBLISHED


def test_unknown_entries_and_methods(client, moderator, pair):
    _duplicate, kept = pair
    login(client, moderator)
    assert client.get(merge_url(999999)).status_code == 404
    assert client.post(merge_url(999999), {"into": kept.pk}).status_code == 404
    assert client.put(merge_url(kept.pk)).status_code == 405


def test_the_merge_form_is_protected_against_cross_site_requests(moderator, pair):
    duplicate, kept = pair
    client = login(Client(enforce_csrf_checks=True), moderator)
    page = client.get(merge_url(duplicate.pk), {"into": kept.pk})
    html = page.content.decode()
    assert html.count('method="post"') == html.count('name="csrfmiddlewaretoken"')

    forged = client.post(merge_url(duplicate.pk), {"into": kept.pk})
    assert forged.status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.status == Status.PUBLISHED

    token = page.context["csrf_token"]
    response = client.post(
        merge_url(duplicate.pk), {"into": kept.pk, "csrfmiddlewaretoken": str(token)}
    )
    assert response.status_code == 302
    assert Initiative.objects.get(pk=duplicate.pk).merged_into_id == kept.pk


def test_the_merge_pages_are_translated_and_right_to_left(client, moderator, pair):
    duplicate, kept = pair
    login(client, moderator)
    response = client.get(f"/ar/initiatives/{duplicate.pk}/merge/", {"into": kept.pk})
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
