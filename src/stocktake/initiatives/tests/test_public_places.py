"""Country pages and organisation pages: published entries only."""

import pytest

from stocktake.initiatives import services

from .factories import make_draft, make_org, make_published, make_submitted, make_user

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.fixture
def author():
    return make_user()


@pytest.fixture
def organisation(author):
    return make_org(
        members=[author],
        names={"en": "Digital Ministry", "fr": "Ministère du numérique", "ar": "وزارة الرقمنة"},
        country="TN",
        website="https://ministry.example.org",
    )


@pytest.fixture
def moderator():
    return make_user(moderator=True)


def hidden_entries(author, organisation, moderator, **content):
    """One entry in each state a visitor must not see."""
    make_draft(author=author, organisation=organisation, title={"en": "Hidden draft"}, **content)
    make_submitted(
        author=author, organisation=organisation, title={"en": "Hidden submitted"}, **content
    )
    withdrawn = make_published(
        author=author, organisation=organisation, title={"en": "Hidden withdrawn"}, **content
    )
    services.initiative_withdraw(user=author, initiative=withdrawn)
    archived = make_published(
        author=author, organisation=organisation, title={"en": "Hidden archived"}, **content
    )
    services.initiative_archive(moderator=moderator, initiative=archived)


def test_country_list_counts_published_entries_only_with_arab_states_first(
    client, author, organisation, moderator
):
    make_published(author=author, organisation=organisation, countries=["FR", "MA"])
    make_published(author=author, organisation=organisation, countries=["MA"])
    hidden_entries(author, organisation, moderator, countries=["MA", "JP"])

    response = client.get("/en/initiatives/countries/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/en/initiatives/countries/MA/" in html and "/en/initiatives/countries/FR/" in html
    assert "/en/initiatives/countries/JP/" not in html  # only hidden entries there
    assert "/en/initiatives/countries/TN/" not in html  # the organisation's country, no entry
    assert "2 initiatives" in html and "1 initiative" in html
    assert (
        html.index("League of Arab States") < html.index("Morocco") < html.index("Other countries")
    )
    assert html.index("Other countries") < html.index("France")


def test_country_list_is_sorted_by_the_label_in_the_readers_language(client, author, organisation):
    make_published(author=author, organisation=organisation, countries=["EG", "DZ", "TN"])
    html = client.get("/fr/initiatives/countries/").content.decode()
    # Algérie, Égypte, Tunisie: accents do not push Égypte after Tunisie.
    assert html.index("Algérie") < html.index("Égypte") < html.index("Tunisie")
    html = client.get("/ar/initiatives/countries/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html and "مصر" in html


def test_country_page_lists_published_entries_implemented_there(
    client, author, organisation, moderator
):
    make_published(
        author=author, organisation=organisation, countries=["MA"], title={"en": "Moroccan entry"}
    )
    make_published(
        author=author, organisation=organisation, countries=["EG"], title={"en": "Egyptian entry"}
    )
    hidden_entries(author, organisation, moderator, countries=["MA"])
    response = client.get("/en/initiatives/countries/MA/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Morocco" in html and "Moroccan entry" in html
    assert "Egyptian entry" not in html and "Hidden" not in html
    assert "/en/initiatives/?countries=MA" in html


def test_country_page_codes(client):
    assert client.get("/en/initiatives/countries/XX/").status_code == 404
    assert client.get("/en/initiatives/countries/ZZZ/").status_code == 404
    response = client.get("/en/initiatives/countries/ma/")
    assert response.status_code == 301
    assert response["Location"].endswith("/en/initiatives/countries/MA/")
    # A real country without entries has a page that says so.
    response = client.get("/en/initiatives/countries/JP/")
    assert response.status_code == 200
    assert "has been published yet" in response.content.decode()


def test_country_page_paginates(client, author, organisation, django_assert_max_num_queries):
    for n in range(21):
        make_published(
            author=author, organisation=organisation, countries=["MA"], title={"en": f"Entry {n}"}
        )
    with django_assert_max_num_queries(8):
        html = client.get("/en/initiatives/countries/MA/").content.decode()
    assert html.count('class="entry-card"') == 20
    html = client.get("/en/initiatives/countries/MA/?page=2").content.decode()
    assert html.count('class="entry-card"') == 1
    assert client.get("/en/initiatives/countries/MA/?page=nope").status_code == 200


def test_organisation_page_shows_its_profile_and_published_entries_only(
    client, author, organisation, moderator
):
    make_published(author=author, organisation=organisation, title={"en": "Its entry"})
    other = make_org(members=[author])
    make_published(author=author, organisation=other, title={"en": "Someone else's entry"})
    hidden_entries(author, organisation, moderator)

    response = client.get(f"/en/initiatives/organisations/{organisation.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Digital Ministry" in html
    assert 'lang="ar" dir="rtl">وزارة الرقمنة' in html  # its name in the other languages
    assert "Government" in html and "Tunisia" in html
    assert 'href="https://ministry.example.org" rel="nofollow noopener"' in html
    assert "Its entry" in html
    assert "Someone else" not in html and "Hidden" not in html


def test_organisation_page_in_arabic(client, organisation):
    html = client.get(f"/ar/initiatives/organisations/{organisation.slug}/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "وزارة الرقمنة" in html


def test_unknown_organisation_is_404(client):
    assert client.get("/en/initiatives/organisations/no-such-body/").status_code == 404


def test_organisation_page_offers_profile_and_member_management_to_its_admins_only(
    client, author, organisation, moderator
):
    admin = make_user()
    managed = make_org(admins=[admin], members=[author])
    edit_url = f"/en/organisations/{managed.slug}/edit/"
    page = f"/en/initiatives/organisations/{managed.slug}/"
    for user, offered in ((None, False), (author, False), (admin, True), (moderator, True)):
        client.logout()
        if user is not None:
            client.force_login(user)
        html = client.get(page).content.decode()
        assert (edit_url in html) is offered, user
        assert (f"/en/organisations/{managed.slug}/members/" in html) is offered, user
