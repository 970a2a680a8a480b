"""The public page of one entry: who sees what, languages, hostile input, structured data."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from stocktake.initiatives import services
from stocktake.initiatives.models import Initiative
from stocktake.initiatives.templatetags.initiative_tags import entry_text

from .factories import edit, make_draft, make_org, make_published, make_submitted, make_user

pytestmark = pytest.mark.usefixtures("vocabularies")

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> "
    '[click](javascript:alert(3)) <a href="javascript:alert(4)">x</a> '
    '<svg onload=alert(5)></svg> "><iframe src=javascript:alert(6)>'
)


class _Markup(HTMLParser):
    """Every element of a page with its attributes, and the text of each <script>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))

    def handle_data(self, data):
        if self._script is not None:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def parse(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    return parser


def json_ld(html: str) -> dict:
    blocks = [
        text for attrs, text in parse(html).scripts if attrs.get("type") == "application/ld+json"
    ]
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def author():
    return make_user()


@pytest.fixture
def organisation(author):
    return make_org(members=[author])


def test_visitor_reads_a_published_entry_with_its_tags_linking_to_the_filtered_list(
    client, author, organisation
):
    initiative = make_published(
        author=author,
        organisation=organisation,
        sdg_targets=[{"code": "9.c", "evidence": "Rural broadband"}],
        countries=["TN", "MA"],
        website="https://example.org/programme",
    )
    response = client.get(f"/en/initiatives/{initiative.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "National AI skills programme" in html
    assert "/en/initiatives/?sdg-targets=9.c" in html
    assert "/en/initiatives/?wsis-action-lines=C4" in html
    assert "/en/initiatives/?countries=MA" in html
    assert "Rural broadband" in html
    assert "(primary)" in html
    assert f"/en/initiatives/organisations/{organisation.slug}/" in html
    assert f"/en/initiatives/{initiative.pk}/history/" in html
    assert 'href="https://example.org/programme" rel="nofollow noopener"' in html
    assert "/static/css/initiatives.css" in html


def test_tag_labels_are_in_the_readers_language(client, author, organisation):
    initiative = make_published(author=author, organisation=organisation, countries=["MA"])
    assert "Maroc" in client.get(f"/fr/initiatives/{initiative.pk}/").content.decode()
    assert "المغرب" in client.get(f"/ar/initiatives/{initiative.pk}/").content.decode()


@pytest.mark.parametrize(
    "state", ["draft", "submitted", "changes_requested", "withdrawn", "archived"]
)
def test_an_entry_that_is_not_published_is_404_for_visitors_and_outsiders(
    client, author, organisation, state
):
    moderator = make_user(moderator=True)
    if state == "draft":
        initiative = make_draft(author=author, organisation=organisation)
    elif state == "submitted":
        initiative = make_submitted(author=author, organisation=organisation)
    elif state == "changes_requested":
        initiative = make_submitted(author=author, organisation=organisation)
        services.initiative_request_changes(moderator=moderator, initiative=initiative, note="More")
    elif state == "withdrawn":
        initiative = make_published(author=author, organisation=organisation)
        services.initiative_withdraw(user=author, initiative=initiative)
    else:
        initiative = make_published(author=author, organisation=organisation)
        services.initiative_archive(moderator=moderator, initiative=initiative)

    for path in (f"/en/initiatives/{initiative.pk}/", f"/en/initiatives/{initiative.pk}/history/"):
        assert client.get(path).status_code == 404
    outsider = make_user()
    make_org(members=[outsider])
    client.force_login(outsider)
    assert client.get(f"/en/initiatives/{initiative.pk}/").status_code == 404


def test_an_unknown_entry_is_404(client):
    assert client.get("/en/initiatives/999999/").status_code == 404


def test_owners_see_their_draft_with_a_banner_stating_its_state(client, author, organisation):
    initiative = make_draft(author=author, organisation=organisation, title={"en": "Still a draft"})
    client.force_login(author)
    response = client.get(f"/en/initiatives/{initiative.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Still a draft" in html
    assert "state-banner" in html and "This entry is a draft." in html
    assert '<meta name="robots" content="noindex">' in html
    assert "application/ld+json" not in html


def test_moderators_see_a_submitted_entry_with_its_state(client, author, organisation):
    initiative = make_submitted(author=author, organisation=organisation)
    client.force_login(make_user(moderator=True))
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert (
        "waiting for a moderator&#x27;s review" in html
        or "waiting for a moderator's review" in html
    )


def test_visitors_keep_seeing_the_published_version_while_a_revision_waits(
    client, author, organisation
):
    initiative = make_published(author=author, organisation=organisation)
    edit(initiative, user=author, title={"en": "Renamed while pending"})
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert "National AI skills programme" in html
    assert "Renamed while pending" not in html
    client.force_login(author)
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert "A revised version of this entry is in progress." in html


def test_an_english_reader_of_an_arabic_only_entry_sees_it_marked_as_original_in_arabic(
    client, author, organisation
):
    initiative = make_published(
        author=author,
        organisation=organisation,
        original_language="ar",
        title={"ar": "منصة البيانات المفتوحة"},
        summary={"ar": "ملخص قصير للمبادرة."},
        description={"ar": "وصف **أطول** للمبادرة."},
    )
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert "Original in Arabic" in html
    assert re.search(r'<h1 id="entry-title" lang="ar" dir="rtl">منصة البيانات المفتوحة</h1>', html)
    assert '<div class="entry-text" lang="ar" dir="rtl">' in html
    # …and an Arabic reader sees no such mark.
    html = client.get(f"/ar/initiatives/{initiative.pk}/").content.decode()
    assert "Original in" not in html and "fallback-mark" not in html


def _marks_by_section(html: str) -> dict[str, str]:
    """The fallback mark of each text section of an entry's page, by field."""
    return dict(
        re.findall(
            r'<h2 id="section-(\w+)">.*?</h2>\s*(?:<span class="fallback-mark">([^<]*)</span>)?',
            html,
            flags=re.S,
        )
    )


def test_a_text_only_in_a_third_language_is_shown_in_it_not_called_the_original(
    client, author, organisation
):
    initiative = make_published(
        author=author,
        organisation=organisation,
        original_language="ar",
        title={"ar": "منصة البيانات المفتوحة"},
        summary={"ar": "ملخص قصير للمبادرة."},
        description={"ar": "وصف المبادرة."},
        objectives={"fr": "Former dix mille personnes par an."},
    )
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    marks = _marks_by_section(html)
    assert marks["description"] == "Original in Arabic"
    assert marks["objectives"] == "Shown in French"
    assert "Original in French" not in html
    # A French reader reads the objectives in their own language: no mark on them.
    html = client.get(f"/fr/initiatives/{initiative.pk}/").content.decode()
    assert _marks_by_section(html)["objectives"] == ""


def test_the_mark_says_original_only_for_the_original_language(settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("es", "Spanish")]
    revision = SimpleNamespace(
        original_language="ar",
        title={"ar": "عنوان"},
        summary={"es": "Resumen"},
        objectives={"fr": "Objectifs", "es": "Objetivos"},
    )
    with translation.override("en"):
        title = entry_text(revision, "title")
        summary = entry_text(revision, "summary")
        objectives = entry_text(revision, "objectives")
    assert (title["mark"], title["original"]) == ("Original in Arabic", True)
    # A language without a sentence of its own gets the general one with its name.
    assert (summary["mark"], summary["original"]) == ("Shown in Spanish", False)
    assert (objectives["language"], objectives["mark"]) == ("fr", "Shown in French")
    spanish = SimpleNamespace(original_language="es", title={"es": "Título"})
    with translation.override("en"):
        assert entry_text(spanish, "title")["mark"] == "Original in Spanish"


def test_a_french_reader_is_told_the_original_language_in_french(client, author, organisation):
    initiative = make_published(author=author, organisation=organisation)
    html = client.get(f"/fr/initiatives/{initiative.pk}/").content.decode()
    assert "fallback-mark" in html
    assert "anglais" in html.lower()


def test_hostile_input_in_every_text_field_is_rendered_inert(client, author, organisation):
    texts = {
        field: {"en": f"{field} {HOSTILE}"}
        for field in (
            "title",
            "summary",
            "description",
            "objectives",
            "results",
            "challenges",
            "future_plans",
        )
    }
    initiative = make_published(
        author=author,
        organisation=organisation,
        **texts,
        sdg_targets=[{"code": "9.c", "evidence": HOSTILE}],
        partners=[{"name": HOSTILE, "stakeholder_type": "academia", "country": "EG"}],
        funding_source=HOSTILE[:300],
        keywords=["<script>alert(7)</script>", "<img src=x onerror=alert(8)>"],
        links=[{"label": HOSTILE[:200], "url": "https://example.org/report"}],
        contact_name=HOSTILE[:200],
    )
    for viewer in (None, author):
        if viewer:
            client.force_login(viewer)
        html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
        page = parse(html)
        for tag, attributes in page.elements:
            assert tag not in ("iframe", "img", "svg") or "onerror" not in attributes
            assert tag not in ("iframe",), "an iframe came through"
            for name, value in attributes.items():
                assert not name.startswith("on"), f"<{tag} {name}=…> came through"
                if name in ("href", "src", "action"):
                    assert not value.strip().lower().startswith("javascript:"), value
        for attributes, text in page.scripts:
            # Only the site's own script file and the JSON-LD data block.
            assert attributes.get("src") or attributes.get("type") == "application/ld+json"
            assert "alert" not in text or attributes.get("type") == "application/ld+json"
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, not run
        assert "<script>alert" not in html
    # The JSON-LD block cannot be closed early by the title.
    data = json_ld(client.get(f"/en/initiatives/{initiative.pk}/").content.decode())
    assert data["name"].startswith("title <script>alert(1)</script>")


def test_json_ld_is_valid_and_describes_the_entry(client, author, organisation):
    initiative = make_published(
        author=author, organisation=organisation, countries=["TN", "MA"], keywords=["skills"]
    )
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    head = html.split("</head>")[0]
    assert '<script type="application/ld+json">' in head
    data = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] in ("Project", "CreativeWork")
    assert data["name"] == "National AI skills programme"
    assert data["url"].endswith(f"/en/initiatives/{initiative.pk}/")
    assert data["inLanguage"] == "en"
    assert data["datePublished"] and data["dateModified"] and data["dateCreated"]
    assert data["sponsor"]["@type"] == "Organization"
    assert {country["name"] for country in data["areaServed"]} == {"Tunisia", "Morocco"}
    assert all(country["@type"] == "Country" for country in data["areaServed"])
    assert "skills" in data["keywords"]
    assert any(item["termCode"] == "C4" for item in data["about"])


def test_contact_details_are_hidden_from_visitors_and_shown_to_owners(client, author, organisation):
    initiative = make_published(
        author=author,
        organisation=organisation,
        contact_name="Contact Person Name",
        contact_email="contact.person@example.org",
    )
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert "Contact Person Name" not in html
    assert "contact.person@example.org" not in html
    outsider = make_user()
    client.force_login(outsider)
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert "contact.person@example.org" not in html
    client.force_login(author)
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert "Contact Person Name" in html and "contact.person@example.org" in html


def test_owners_get_edit_confirm_and_withdraw_actions_and_visitors_do_not(
    client, author, organisation
):
    initiative = make_published(author=author, organisation=organisation)
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert f"/en/initiatives/{initiative.pk}/edit/" not in html
    assert f"/en/initiatives/{initiative.pk}/act/" not in html

    client.force_login(author)
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert f'href="/en/initiatives/{initiative.pk}/edit/"' in html
    assert f'action="/en/initiatives/{initiative.pk}/act/confirm/"' in html
    assert f'action="/en/initiatives/{initiative.pk}/act/withdraw/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_colleague_who_did_not_write_the_entry_cannot_withdraw_it(client, author, organisation):
    colleague = make_user()
    organisation.memberships.create(user=colleague)
    initiative = make_published(author=author, organisation=organisation)
    client.force_login(colleague)
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert f"/en/initiatives/{initiative.pk}/edit/" in html
    assert "/act/withdraw/" not in html


def test_an_entry_not_confirmed_for_a_year_is_flagged(client, author, organisation):
    initiative = make_published(author=author, organisation=organisation)
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert "Not confirmed for 12 months" not in html
    # Time passing is the one thing no service does.
    Initiative.objects.filter(pk=initiative.pk).update(
        last_confirmed_at=timezone.now() - timedelta(days=400)
    )
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert "Not confirmed for 12 months" in html


def test_good_practices_carry_a_badge(client, author, organisation):
    initiative = make_published(author=author, organisation=organisation)
    services.initiative_set_good_practice(
        moderator=make_user(moderator=True), initiative=initiative, value=True
    )
    assert "badge-good-practice" in client.get(f"/en/initiatives/{initiative.pk}/").content.decode()


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("en", "ltr"), ("fr", "ltr")])
def test_the_page_follows_the_direction_of_its_language(
    client, author, organisation, language, direction
):
    initiative = make_published(author=author, organisation=organisation)
    html = client.get(f"/{language}/initiatives/{initiative.pk}/").content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html


def test_detail_query_count_does_not_grow_with_tags(
    client, author, organisation, django_assert_max_num_queries
):
    initiative = make_published(
        author=author,
        organisation=organisation,
        countries=["TN", "MA", "EG", "JO", "LB"],
        sdg_targets=[{"code": code} for code in ("4.4", "9.c", "9.5", "17.8")],
        technologies=["artificial-intelligence", "machine-learning", "cloud-computing"],
        partners=[
            {"name": "University A", "stakeholder_type": "academia", "country": "EG"},
            {"name": "Company B", "stakeholder_type": "private-sector", "country": "MA"},
        ],
    )
    with django_assert_max_num_queries(8):
        assert client.get(f"/en/initiatives/{initiative.pk}/").status_code == 200


def test_goal_evidence_is_shown_under_its_goal_as_target_evidence_is(client, author, organisation):
    initiative = make_published(
        author=author,
        organisation=organisation,
        sdg_goals=["4", "16"],
        sdg_goal_evidence={"16": "Identity <b>for all</b>"},
        sdg_targets=[{"code": "9.c", "evidence": "Rural broadband"}],
    )
    html = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    items = re.findall(r'<li class="tag-item">(.*?)</li>', html, re.S)
    goal = next(item for item in items if "?sdg-goals=16" in item)
    assert re.search(
        r'<p class="tag-evidence"><span class="muted">Evidence:</span> '
        r'<bdi dir="auto">Identity &lt;b&gt;for all&lt;/b&gt;</bdi></p>',
        goal,
    )
    target = next(item for item in items if "?sdg-targets=9.c" in item)
    assert "Rural broadband" in target and "Identity" not in target
    other = next(item for item in items if "?sdg-goals=4" in item)
    assert "tag-evidence" not in other
