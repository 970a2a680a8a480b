"""Browsing published entries: what is listed, filters, sorting, pages, query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, translation

from stocktake.initiatives import services
from stocktake.initiatives.models import Initiative
from stocktake.initiatives.selectors import initiative_public_in_order, revision_descriptions
from stocktake.initiatives.views import public
from stocktake.search.browse import browse_index
from stocktake.search.selectors import facet_terms_by_pk

from .factories import edit, make_draft, make_org, make_published, make_submitted, make_user

pytestmark = pytest.mark.usefixtures("vocabularies")

LIST = "/en/initiatives/"


def titled(title: str, **content) -> dict:
    return {"title": {"en": title}, **content}


@pytest.fixture
def author():
    return make_user()


@pytest.fixture
def organisation(author):
    return make_org(members=[author])


@pytest.fixture
def moderator():
    return make_user(moderator=True)


def publish(author, organisation, moderator, title, **content):
    return make_published(
        author=author, organisation=organisation, moderator=moderator, **titled(title, **content)
    )


def listed(client, query: str = "") -> str:
    response = client.get(LIST + query)
    assert response.status_code == 200
    return response.content.decode()


def test_only_published_entries_are_listed(client, author, organisation, moderator):
    publish(author, organisation, moderator, "Visible entry")
    make_draft(author=author, organisation=organisation, **titled("Draft entry"))
    make_submitted(author=author, organisation=organisation, **titled("Submitted entry"))
    returned = make_submitted(author=author, organisation=organisation, **titled("Returned entry"))
    services.initiative_request_changes(moderator=moderator, initiative=returned, note="More")
    withdrawn = publish(author, organisation, moderator, "Withdrawn entry")
    services.initiative_withdraw(user=author, initiative=withdrawn)
    archived = publish(author, organisation, moderator, "Archived entry")
    services.initiative_archive(moderator=moderator, initiative=archived)

    html = listed(client)
    assert "Visible entry" in html
    for hidden in ("Draft entry", "Submitted", "Returned entry", "Withdrawn entry", "Archived"):
        assert hidden not in html
    # Logged in as the owner changes nothing: the list is the public one.
    client.force_login(author)
    assert "Draft entry" not in listed(client)


def test_each_item_shows_organisation_countries_primary_action_line_and_badge(
    client, author, organisation, moderator
):
    entry = publish(
        author,
        organisation,
        moderator,
        "Listed entry",
        countries=["TN", "MA"],
        action_lines={"primary": "C7.4", "secondary": ["C5"]},
    )
    services.initiative_set_good_practice(moderator=moderator, initiative=entry, value=True)
    html = listed(client)
    assert f'href="/en/initiatives/{entry.pk}/"' in html
    assert organisation.name in html
    assert "Tunisia" in html and "Morocco" in html
    assert "C7.4" in html and "E-health" in html
    assert "Good practice" in html
    assert "<time datetime=" in html


def test_cards_escape_what_people_typed_cut_long_summaries_and_mark_other_languages(
    client, author, moderator
):
    organisation = make_org(members=[author], names={"en": "<i>Ministry</i> & Co"})
    publish(
        author,
        organisation,
        moderator,
        '<script>alert("x")</script> Title',
        summary={"en": "<b>Bold</b> " + " ".join(f"word{n}" for n in range(60))},
    )
    make_published(
        author=author,
        organisation=organisation,
        moderator=moderator,
        original_language="ar",
        title={"ar": "مبادرة عربية"},
    )
    html = listed(client)
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<i>Ministry</i>" not in html and "&lt;i&gt;Ministry&lt;/i&gt; &amp; Co" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html
    # Forty words of the summary, then an ellipsis.
    assert "word38 …" in html and "word39" not in html
    # The Arabic-only entry: its title in Arabic, marked, read right to left.
    assert 'lang="ar" dir="rtl">مبادرة عربية</a>' in html
    assert '<span class="fallback-mark">Original in Arabic</span>' in html


def test_a_pending_revision_does_not_change_what_the_list_shows(
    client, author, organisation, moderator
):
    entry = publish(author, organisation, moderator, "Published title")
    edit(entry, user=author, title={"en": "Pending title"})
    html = listed(client)
    assert "Published title" in html and "Pending title" not in html


def test_filters_combine_with_or_within_a_scheme_and_and_across_schemes(
    client, author, organisation, moderator
):
    for title, country, action_line in (
        ("Tunisian security", "TN", "C5"),
        ("Moroccan security", "MA", "C5"),
        ("Moroccan health", "MA", "C7.4"),
        ("Egyptian security", "EG", "C5"),
    ):
        publish(
            author,
            organisation,
            moderator,
            title,
            countries=[country],
            action_lines={"primary": action_line},
        )

    html = listed(client, "?countries=TN&countries=MA")
    assert "Tunisian security" in html and "Moroccan security" in html
    assert "Moroccan health" in html and "Egyptian security" not in html

    html = listed(client, "?wsis-action-lines=C5&countries=TN&countries=MA")
    assert "Tunisian security" in html and "Moroccan security" in html
    assert "Moroccan health" not in html and "Egyptian security" not in html
    assert "3 published initiatives match" in listed(client, "?countries=TN&countries=MA")


def test_secondary_action_lines_and_sdg_targets_filter_too(client, author, organisation, moderator):
    publish(
        author,
        organisation,
        moderator,
        "Broadband entry",
        action_lines={"primary": "C2", "secondary": ["C7.7"]},
        sdg_targets=[{"code": "9.c"}],
    )
    publish(author, organisation, moderator, "Other entry")
    html = listed(client, "?sdg-targets=9.c")
    assert "Broadband entry" in html and "Other entry" not in html
    assert "Broadband entry" in listed(client, "?wsis-action-lines=C7.7")
    assert "Broadband entry" in listed(client, "?sdg-goals=9")  # targets bring their goal


def test_unknown_codes_and_parameters_match_nothing_or_are_ignored(
    client, author, organisation, moderator
):
    publish(author, organisation, moderator, "Some entry")
    html = listed(client, "?countries=ZZ")
    assert "Some entry" not in html
    assert "No published initiative matches these filters." in html
    assert "Some entry" in listed(client, "?colour=blue&sort=sideways")
    long_code = "x" * 500
    assert listed(client, f"?countries={long_code}")


def test_good_practice_filter(client, author, organisation, moderator):
    good = publish(author, organisation, moderator, "Exemplary entry")
    publish(author, organisation, moderator, "Ordinary entry")
    services.initiative_set_good_practice(moderator=moderator, initiative=good, value=True)
    html = listed(client, "?good_practice=1")
    assert "Exemplary entry" in html and "Ordinary entry" not in html


def test_active_filters_are_removable_chips(client, author, organisation, moderator):
    publish(author, organisation, moderator, "Some entry", countries=["TN"])
    html = listed(client, "?countries=TN&countries=MA&sdg-goals=4&sort=title")
    assert "Active filters" in html
    # Removing Morocco keeps the other filters and the sort order.
    assert 'href="/en/initiatives/?countries=TN&amp;sdg-goals=4&amp;sort=title"' in html
    assert 'href="/en/initiatives/?countries=TN&amp;countries=MA&amp;sort=title"' in html
    assert "Quality education" in html and "Morocco" in html
    assert "Clear all filters" in html
    assert "Active filters" not in listed(client)


def test_sorting(client, author, organisation, moderator):
    publish(author, organisation, moderator, "Banana programme")
    publish(author, organisation, moderator, "apple programme")
    publish(author, organisation, moderator, "Cherry programme")

    html = listed(client, "?sort=title")
    assert html.index("apple programme") < html.index("Banana programme") < html.index("Cherry")
    html = listed(client, "?sort=newest")
    assert html.index("Cherry") < html.index("apple programme") < html.index("Banana programme")


def test_sorting_by_title_uses_the_readers_language(client, author, organisation, moderator):
    make_published(
        author=author,
        organisation=organisation,
        moderator=moderator,
        title={"en": "Zebra", "fr": "Abeille"},
    )
    make_published(
        author=author,
        organisation=organisation,
        moderator=moderator,
        title={"en": "Middle", "fr": "Milieu"},
    )
    html = client.get("/fr/initiatives/?sort=title").content.decode()
    assert html.index("Abeille") < html.index("Milieu")
    html = listed(client, "?sort=title")
    assert html.index("Middle") < html.index("Zebra")


def test_updating_an_entry_moves_it_up_the_recently_updated_order(
    client, author, organisation, moderator
):
    older = publish(author, organisation, moderator, "Older entry")
    publish(author, organisation, moderator, "Newer entry")
    html = listed(client)
    assert html.index("Newer entry") < html.index("Older entry")
    edit(older, user=author, title={"en": "Older entry, revised"})
    services.initiative_submit(user=author, initiative=older)
    services.initiative_publish(moderator=moderator, initiative=older)
    html = listed(client, "?sort=updated")
    assert html.index("Older entry, revised") < html.index("Newer entry")
    html = listed(client, "?sort=newest")
    assert html.index("Newer entry") < html.index("Older entry, revised")


def test_twenty_per_page_and_bad_page_numbers_never_fail(client, author, organisation, moderator):
    for n in range(21):
        publish(author, organisation, moderator, f"Entry number {n:02d}")
    html = listed(client)
    assert html.count('class="entry-card"') == 20
    assert "Page 1 of 2" in html
    assert 'href="?page=2"' in html

    html = listed(client, "?page=2")
    assert html.count('class="entry-card"') == 1
    assert "Entry number 00" in html

    for page in ("0", "-1", "abc", "999999", "2.5", ""):
        assert client.get(LIST, {"page": page}).status_code in (200, 404)
    assert listed(client, "?page=abc").count('class="entry-card"') == 20


def test_pagination_keeps_the_filters(client, author, organisation, moderator):
    for n in range(21):
        publish(author, organisation, moderator, f"Entry {n}", countries=["MA"])
    html = listed(client, "?countries=MA&sort=title")
    assert 'href="?countries=MA&amp;sort=title&amp;page=2"' in html


def test_the_list_query_count_does_not_grow_with_entries(
    client, author, organisation, moderator, django_assert_max_num_queries
):
    def make(n):
        other = make_org(members=[author], country="EG")
        for i in range(n):
            publish(
                author,
                other,
                moderator,
                f"Entry {i}",
                countries=["TN", "MA"],
                sdg_targets=[{"code": "9.c"}, {"code": "4.4"}],
            )

    query = "?countries=TN&countries=MA&wsis-action-lines=C4&good_practice=&sort=title"
    make(2)
    with CaptureQueriesContext(connection) as few:
        listed(client, query)
    make(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = listed(client, query)
    assert html.count('class="entry-card"') == 14
    with django_assert_max_num_queries(8):
        listed(client)


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("en", "ltr"), ("fr", "ltr")])
def test_the_list_follows_the_direction_of_its_language(
    client, author, organisation, moderator, language, direction
):
    publish(author, organisation, moderator, "Some entry")
    html = client.get(f"/{language}/initiatives/").content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html


@pytest.mark.parametrize("grouping", [False, True])
def test_counts_are_written_as_the_language_writes_numbers(settings, grouping):
    """The page's count writer (quicker than Django's) writes what Django would, with and
    without thousand separators, in every language."""
    settings.USE_THOUSAND_SEPARATOR = grouping
    for language in ("en", "ar", "fr"):
        with translation.override(language):
            count_format = public._count_format()
            for count in (0, 7, 999, 1000, 12345, 1234567):
                assert count_format(count) == formats.number_format(count), (language, count)
    with translation.override("en"):
        assert public._count_format()(12345) == ("12,345" if grouping else "12345")


def test_descriptions_for_snippets_come_only_from_published_revisions(author, organisation):
    initiative = make_published(author=author, organisation=organisation)
    draft = edit(initiative, user=author, description={"en": "Not yet public."})
    hidden = make_draft(author=author, organisation=organisation)
    initiative.refresh_from_db()
    published = initiative.published_revision_id
    ids = [published, draft.pk, hidden.working_revision_id]
    assert set(revision_descriptions(ids=ids)) == {published}


def test_list_rows_read_in_one_query_match_the_models(author, organisation, moderator):
    """initiative_public_in_order writes its query and makes its instances by hand (for
    speed): what it gives must be what the ORM reads, in the order asked, published only."""
    first = publish(
        author,
        organisation,
        moderator,
        "First",
        summary={"en": "A summary.", "fr": "Un résumé."},
        countries=["TN", "MA"],
        action_lines={"primary": "C7.4", "secondary": ["C5", "C1"]},
    )
    services.initiative_set_good_practice(moderator=moderator, initiative=first, value=True)
    second = publish(author, organisation, moderator, "Second")
    draft = make_draft(author=author, organisation=organisation, **titled("Draft"))
    index = browse_index()
    facet_terms_by_pk(index)  # the vocabulary cache, read once per index state

    with CaptureQueriesContext(connection) as queries:
        entries = initiative_public_in_order(ids=[second.pk, draft.pk, first.pk], index=index)
        shown = [
            (
                entry.pk,
                entry.is_good_practice,
                entry.last_published_at,
                entry.published_at,
                entry.organisation.name,
                entry.published_revision.title,
                entry.published_revision.summary,
                entry.published_revision.original_language,
                [
                    (link.term.scheme.identifier, link.term.code, link.is_primary)
                    for link in entry.published_revision.term_links.all()
                ],
                entry.index_state,
            )
            for entry in entries
        ]
    assert len(queries) == 1  # the rows, their links and the index state together

    expected = []
    for pk in (second.pk, first.pk):
        entry = Initiative.objects.select_related("organisation", "published_revision").get(pk=pk)
        revision = entry.published_revision
        links = sorted(
            (
                link
                for link in revision.term_links.select_related("term__scheme")
                if link.term.scheme.identifier in ("countries", "wsis-action-lines")
            ),
            key=lambda link: (link.term.scheme.sort_order, link.term.sort_order),
        )
        expected.append(
            (
                entry.pk,
                entry.is_good_practice,
                entry.last_published_at,
                entry.published_at,
                entry.organisation.name,
                revision.title,
                revision.summary,
                revision.original_language,
                [(link.term.scheme.identifier, link.term.code, link.is_primary) for link in links],
                index.state,
            )
        )
    assert shown == expected
    assert shown[1][1] is True and shown[1][2].tzinfo is not None
    links = shown[1][8]
    action_lines = [(code, primary) for scheme, code, primary in links if scheme != "countries"]
    assert action_lines == [("C1", False), ("C5", False), ("C7.4", True)]
    assert initiative_public_in_order(ids=[], index=index) == []
    assert initiative_public_in_order(ids=[draft.pk], index=index) == []
