"""The moderation queue, bulk decisions and the list of stale entries."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from stocktake.initiatives import services
from stocktake.initiatives.models import RevisionState, Status, Transition
from stocktake.initiatives.tests.test_moderation_support import (
    at,
    login,
    make_org,
    make_person,
    make_published,
    make_submitted,
    revise,
)

pytestmark = pytest.mark.usefixtures("vocabularies")

QUEUE = "/en/initiatives/moderation/"
BULK = "/en/initiatives/moderation/bulk/"
STALE = "/en/initiatives/moderation/stale/"


def titled(title: str) -> dict:
    return {"title": {"en": title}}


@pytest.fixture
def people():
    moderator = make_person(moderator=True, first_name="Mona", last_name="Moderator")
    author = make_person(first_name="Amal", last_name="Author")
    return moderator, author, make_org(members=[author], country="TN")


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", QUEUE),
        ("get", STALE),
        ("post", BULK),
    ],
)
def test_non_moderators_are_refused_every_moderation_page(client, people, method, path):
    _moderator, author, organisation = people
    initiative = make_submitted(author=author, organisation=organisation)
    login(client, author)
    data = {"ids": [initiative.pk], "action": "publish"} if method == "post" else None
    response = getattr(client, method)(path, data)
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


@pytest.mark.parametrize("method,path", [("get", QUEUE), ("get", STALE), ("post", BULK)])
def test_anonymous_visitors_are_sent_to_the_login_page(client, people, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_an_inactive_moderator_account_is_refused(client, people):
    inactive = make_person(moderator=True, is_active=False)
    login(client, inactive)
    assert client.get(QUEUE).status_code in (302, 403)


# --- the queue -----------------------------------------------------------------------------


def test_queue_lists_longest_waiting_first_with_who_and_how_long(client, people):
    moderator, author, organisation = people
    now = timezone.now()
    # Created in one order, submitted in another: the submission time decides.
    with at(now - timedelta(days=1)):
        recent = make_submitted(author=author, organisation=organisation, **titled("Recent one"))
    with at(now - timedelta(days=3, hours=2)):
        oldest = make_submitted(author=author, organisation=organisation, **titled("Oldest one"))
    with at(now - timedelta(days=2)):
        middle = make_submitted(author=author, organisation=organisation, **titled("Middle one"))

    html = login(client, moderator).get(QUEUE).content.decode()
    assert html.index("Oldest one") < html.index("Middle one") < html.index("Recent one")
    assert "waiting 3\xa0days" in html
    assert "by Amal Author" in html
    assert organisation.name in html and "Tunisia" in html
    for entry in (recent, oldest, middle):
        assert f'name="ids" value="{entry.pk}"' in html
        assert f"/en/initiatives/{entry.pk}/compare/" in html


def test_queue_tells_new_entries_from_revisions_and_filters_by_kind(client, people):
    moderator, author, organisation = people
    other_moderator = make_person(moderator=True)
    make_submitted(author=author, organisation=organisation, **titled("Brand new entry"))
    entry = make_published(
        author=author,
        organisation=organisation,
        moderator=other_moderator,
        **titled("Published entry"),
    )
    revise(entry, author=author, title={"en": "Published entry, revised"})
    login(client, moderator)

    html = client.get(QUEUE).content.decode()
    assert "Brand new entry" in html and "Published entry, revised" in html
    assert "New entry" in html and "Revision (version 2)" in html

    html = client.get(QUEUE, {"kind": "new"}).content.decode()
    assert "Brand new entry" in html and "Published entry, revised" not in html

    html = client.get(QUEUE, {"kind": "revision"}).content.decode()
    assert "Brand new entry" not in html and "Published entry, revised" in html


def test_queue_filters_by_country_of_the_organisation_and_keeps_filters_in_the_bulk_form(
    client, people
):
    moderator, author, organisation = people
    egyptian = make_org(members=[author], country="EG")
    make_submitted(author=author, organisation=organisation, **titled("Tunisian entry"))
    make_submitted(author=author, organisation=egyptian, **titled("Egyptian entry"))
    login(client, moderator)

    html = client.get(QUEUE, {"country": "EG", "kind": "new"}).content.decode()
    assert "Egyptian entry" in html and "Tunisian entry" not in html
    assert '<input type="hidden" name="country" value="EG">' in html
    assert '<input type="hidden" name="kind" value="new">' in html
    # The filter form is a GET form: the filtered page has a shareable address.
    assert 'method="get"' in html

    # Lower case works too; an unknown code is reported, not applied, never a crash.
    assert "Egyptian entry" not in client.get(QUEUE, {"country": "tn"}).content.decode()
    assert client.get(QUEUE, {"page": "x" * 30}).status_code == 200
    assert client.get(QUEUE, {"country": "x" * 500}).status_code == 200
    response = client.get(QUEUE, {"country": "XX", "kind": "nonsense"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a known country code" in html
    assert "Egyptian entry" in html and "Tunisian entry" in html


def test_queue_query_count_does_not_grow_with_the_number_of_entries(
    client, people, django_assert_max_num_queries
):
    moderator, author, organisation = people
    for n in range(3):
        make_submitted(author=author, organisation=organisation, **titled(f"Entry {n}"))
    login(client, moderator)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    for n in range(3, 9):
        make_submitted(
            author=author, organisation=make_org(members=[author]), **titled(f"Entry {n}")
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(QUEUE).content.decode()
    assert "Entry 8" in html


def test_moderation_pages_render_right_to_left_in_arabic(client, people):
    moderator, author, organisation = people
    initiative = make_submitted(author=author, organisation=organisation)
    login(client, moderator)
    for path in (
        "/ar/initiatives/moderation/",
        "/ar/initiatives/moderation/stale/",
        f"/ar/initiatives/{initiative.pk}/compare/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_every_moderation_form_carries_a_csrf_token(client, people):
    moderator, author, organisation = people
    initiative = make_submitted(author=author, organisation=organisation)
    login(client, moderator)
    for path in (QUEUE, f"/en/initiatives/{initiative.pk}/compare/"):
        html = client.get(path).content.decode()
        assert html.count('method="post"') >= 1
        # base.html has the logout form; each of ours has its own token too.
        assert html.count('method="post"') == html.count('name="csrfmiddlewaretoken"')


# --- bulk decisions ------------------------------------------------------------------------


def test_bulk_publish_publishes_several_and_reports_each_refusal(client, people):
    moderator, author, organisation = people
    first = make_submitted(author=author, organisation=organisation, **titled("First entry"))
    second = make_submitted(author=author, organisation=organisation, **titled("Second entry"))
    # The moderator's own submission: the four-eyes rule refuses it.
    member_moderator_org = make_org(members=[moderator])
    own = make_submitted(
        author=moderator, organisation=member_moderator_org, **titled("My own entry")
    )
    login(client, moderator)

    response = client.post(
        BULK,
        {"ids": [first.pk, own.pk, second.pk], "action": "publish", "kind": "new"},
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE + "?kind=new"
    messages = texts(response)
    assert "2 entries were published." in messages
    assert any(
        "“My own entry” was not published" in m and "You submitted this version yourself" in m
        for m in messages
    )
    for entry in (first, second):
        entry.refresh_from_db()
        assert entry.status == Status.PUBLISHED
        assert entry.published_revision.title_text in {"First entry", "Second entry"}
    # Nothing half-done for the refused entry.
    own.refresh_from_db()
    assert own.status == Status.SUBMITTED
    assert own.published_revision is None
    assert own.working_revision.state == RevisionState.SUBMITTED
    assert not Transition.objects.filter(initiative=own, action="publish").exists()


def test_bulk_publish_reports_entries_no_longer_waiting(client, people):
    moderator, author, organisation = people
    other = make_person(moderator=True)
    entry = make_published(
        author=author, organisation=organisation, moderator=other, **titled("Already out")
    )
    login(client, moderator)
    response = client.post(BULK, {"ids": [entry.pk, 999999], "action": "publish"})
    assert response.status_code == 302
    messages = texts(response)
    assert any("“Already out” was not published" in m and "no submission" in m for m in messages)
    assert "One of the selected entries no longer exists." in messages


@pytest.mark.parametrize("action", ["publish", "request_changes"])
def test_bulk_decisions_refuse_withdrawn_and_archived_entries_and_do_the_others(
    client, people, action
):
    moderator, author, organisation = people
    other = make_person(moderator=True)
    waiting = make_submitted(author=author, organisation=organisation, **titled("Still waiting"))
    withdrawn = make_submitted(author=author, organisation=organisation, **titled("Taken back"))
    archived = make_published(
        author=author, organisation=organisation, moderator=other, **titled("Old news")
    )
    revise(archived, author=author, title={"en": "Old news, revised"})
    # Both were in the queue the moderator had open.
    html = login(client, moderator).get(QUEUE).content.decode()
    assert "Taken back" in html and "Old news, revised" in html
    services.initiative_withdraw(user=author, initiative=withdrawn)
    services.initiative_archive(moderator=other, initiative=archived)

    response = client.post(
        BULK,
        {
            "ids": [withdrawn.pk, waiting.pk, archived.pk],
            "action": action,
            "note": "Please add the results.",
        },
    )
    assert response.status_code == 302
    messages = texts(response)
    if action == "publish":
        assert "1 entry was published." in messages
        refused = "“{}” was not published: This entry has been {}"
    else:
        assert "Changes were requested for 1 entry." in messages
        refused = "Changes were not requested for “{}”: This entry has been {}"
    assert any(m.startswith(refused.format("Taken back", "withdrawn")) for m in messages)
    assert any(m.startswith(refused.format("Old news, revised", "archived")) for m in messages)

    waiting.refresh_from_db()
    assert waiting.status != Status.SUBMITTED
    withdrawn.refresh_from_db()
    assert withdrawn.status == Status.WITHDRAWN
    assert withdrawn.published_revision is None
    assert withdrawn.working_revision.state == RevisionState.DRAFT
    archived.refresh_from_db()
    assert archived.status == Status.ARCHIVED
    assert archived.published_revision.title_text == "Old news"
    assert archived.working_revision.state == RevisionState.DRAFT
    for entry in (withdrawn, archived):
        assert not Transition.objects.filter(
            initiative=entry, action__in=["publish", "request_changes"], actor=moderator
        ).exists()

    # The queue no longer offers them.
    html = client.get(QUEUE).content.decode()
    for entry in (withdrawn, archived):
        assert f'name="ids" value="{entry.pk}"' not in html


def test_bulk_request_changes_needs_a_note(client, people):
    moderator, author, organisation = people
    entry = make_submitted(author=author, organisation=organisation)
    login(client, moderator)

    response = client.post(BULK, {"ids": [entry.pk], "action": "request_changes", "note": "  "})
    assert response.status_code == 302
    assert "Say what should change: the note goes to the authors." in texts(response)
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED

    response = client.post(
        BULK,
        {"ids": [entry.pk], "action": "request_changes", "note": "Add the results, please."},
    )
    assert "Changes were requested for 1 entry." in texts(response)
    entry.refresh_from_db()
    assert entry.status == Status.CHANGES_REQUESTED
    transition = Transition.objects.filter(initiative=entry).latest("created_at", "pk")
    assert transition.action == "request_changes"
    assert transition.note == "Add the results, please."
    assert transition.actor == moderator


def test_bulk_request_changes_on_a_pending_revision_keeps_the_entry_published(client, people):
    moderator, author, organisation = people
    other = make_person(moderator=True)
    entry = make_published(author=author, organisation=organisation, moderator=other)
    revise(entry, author=author, title={"en": "A new title"})
    login(client, moderator)
    client.post(BULK, {"ids": [entry.pk], "action": "request_changes", "note": "Not yet."})
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED
    assert entry.working_revision.state == RevisionState.CHANGES_REQUESTED


@pytest.mark.parametrize(
    "data",
    [
        {"ids": ["1"], "action": "delete"},
        {"ids": ["one"], "action": "publish"},
        {"ids": ["-4"], "action": "publish"},
        {"ids": [str(2**70)], "action": "publish"},
        {"ids": ["1"]},
    ],
)
def test_bulk_refuses_malformed_requests_with_400(client, people, data):
    moderator, _author, _organisation = people
    login(client, moderator)
    response = client.post(BULK, data)
    assert response.status_code == 400
    assert "This request could not be understood" in response.content.decode()


def test_bulk_with_nothing_selected_says_so(client, people):
    moderator, _author, _organisation = people
    login(client, moderator)
    response = client.post(BULK, {"action": "publish", "country": "TN"})
    assert response.status_code == 302
    assert response["Location"] == QUEUE + "?country=TN"
    assert "Choose at least one entry." in texts(response)


def test_bulk_only_accepts_post(client, people):
    moderator, _author, _organisation = people
    login(client, moderator)
    assert client.get(BULK).status_code == 405


# --- stale entries -------------------------------------------------------------------------


def test_stale_page_lists_entries_not_confirmed_for_a_year_oldest_first(client, people):
    moderator, author, organisation = people
    other = make_person(moderator=True)
    now = timezone.now()
    with at(now - timedelta(days=500)):
        oldest = make_published(
            author=author, organisation=organisation, moderator=other, **titled("Very old")
        )
    with at(now - timedelta(days=400)):
        make_published(
            author=author, organisation=organisation, moderator=other, **titled("Quite old")
        )
    with at(now - timedelta(days=100)):
        make_published(author=author, organisation=organisation, moderator=other, **titled("Fresh"))
    with at(now - timedelta(days=10)):
        services.initiative_send_update_reminders()

    html = login(client, moderator).get(STALE).content.decode()
    assert html.index("Very old") < html.index("Quite old")
    assert "Fresh" not in html
    assert "Not yet reminded" not in html  # both were reminded ten days ago
    oldest.refresh_from_db()
    assert oldest.last_confirmed_at.strftime("%Y-%m-%d") in html
    assert oldest.last_reminded_at.strftime("%Y-%m-%d") in html
