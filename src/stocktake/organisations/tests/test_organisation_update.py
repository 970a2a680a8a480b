"""Editing an organisation's profile: who may, what is checked, and no silent overwrite."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from stocktake.initiatives.tests.factories import make_org, make_published, make_user
from stocktake.organisations.models import Membership, MembershipRole, Organisation
from stocktake.organisations.services import OrganisationConflict, organisation_update
from stocktake.search.query import parse_query
from stocktake.search.selectors import search_browse

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.fixture
def people():
    """An organisation and one person of each kind around it."""
    admin, contributor, unscreened = make_user(), make_user(), make_user(screened=False)
    other_admin = make_user()
    organisation = make_org(
        admins=[admin],
        members=[contributor],
        names={"en": "Digital Agency", "ar": "الوكالة الرقمية"},
        acronym="DA",
        website="https://agency.example.org",
    )
    # Waiting for screening, yet named an admin of the organisation: still refused.
    Membership.objects.create(organisation=organisation, user=unscreened, role="admin")
    make_org(admins=[other_admin])
    return {
        "organisation": organisation,
        "visitor": AnonymousUser(),
        "unscreened": unscreened,
        "contributor": contributor,
        "admin": admin,
        "other_admin": other_admin,
        "moderator": make_user(moderator=True),
    }


def _profile(organisation: Organisation, **changes) -> dict:
    """The form's fields as the edit page fills them, with these changes."""
    data = {
        "name_ar": organisation.names.get("ar", ""),
        "name_en": organisation.names.get("en", ""),
        "name_fr": organisation.names.get("fr", ""),
        "description_ar": "",
        "description_en": "",
        "description_fr": "",
        "acronym": organisation.acronym,
        "stakeholder_type": organisation.stakeholder_type.code,
        "country": organisation.country.code if organisation.country else "",
        "website": organisation.website,
        "updated_at": organisation.updated_at.isoformat(),
    }
    data.update(changes)
    return data


def _update(actor, organisation: Organisation, **changes) -> Organisation:
    arguments = {
        "names": dict(organisation.names),
        "descriptions": {},
        "acronym": organisation.acronym,
        "stakeholder_type": organisation.stakeholder_type.code,
        "country": organisation.country.code if organisation.country else None,
        "website": organisation.website,
        "updated_at": organisation.updated_at,
    }
    arguments.update(changes)
    return organisation_update(actor=actor, organisation=organisation, **arguments)


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "unscreened", "contributor", "other_admin"])
def test_only_the_organisations_admins_and_moderators_may_edit_its_profile(people, who):
    organisation = people["organisation"]
    with pytest.raises(PermissionDenied):
        _update(people[who], organisation, names={"en": "Taken over"})
    organisation.refresh_from_db()
    assert organisation.names["en"] == "Digital Agency"


@pytest.mark.parametrize("who", ["admin", "moderator"])
def test_an_admin_or_a_moderator_edits_the_profile(people, who):
    organisation = people["organisation"]
    saved = _update(
        people[who],
        organisation,
        names={"en": "Digital Government Agency", "fr": "Agence du numérique", "ar": ""},
        descriptions={"en": "Runs the national digital services."},
        acronym="DGA",
        stakeholder_type="academia",
        country="JO",
        website="https://dga.example.org",
    )
    organisation.refresh_from_db()
    assert organisation.names == {"en": "Digital Government Agency", "fr": "Agence du numérique"}
    assert organisation.descriptions == {"en": "Runs the national digital services."}
    assert (organisation.acronym, organisation.website) == ("DGA", "https://dga.example.org")
    assert (organisation.stakeholder_type.code, organisation.country.code) == ("academia", "JO")
    assert organisation.updated_at == saved.updated_at
    assert organisation.slug == people["organisation"].slug  # addresses do not move


@pytest.mark.parametrize(
    "who, status",
    [
        ("unscreened", 403),
        ("contributor", 403),
        ("other_admin", 403),
        ("admin", 200),
        ("moderator", 200),
    ],
)
def test_the_edit_page_is_for_admins_and_moderators(client, people, who, status):
    client.force_login(people[who])
    slug = people["organisation"].slug
    assert client.get(f"/en/organisations/{slug}/edit/").status_code == status


def test_a_visitor_is_sent_to_log_in(client, people):
    response = client.get(f"/en/organisations/{people['organisation'].slug}/edit/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_refused_post_changes_nothing(client, people):
    organisation = people["organisation"]
    client.force_login(people["contributor"])
    response = client.post(
        f"/en/organisations/{organisation.slug}/edit/", _profile(organisation, name_en="Mine")
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.names["en"] == "Digital Agency"


# --- the page ------------------------------------------------------------------------------


def test_an_admin_saves_names_in_each_language_through_the_page(client, people):
    organisation = people["organisation"]
    client.force_login(people["admin"])
    page = client.get(f"/en/organisations/{organisation.slug}/edit/").content.decode()
    assert 'name="updated_at"' in page
    assert re.search(r'name="name_ar"[^>]*lang="ar"|lang="ar"[^>]*name="name_ar"', page)
    response = client.post(
        f"/en/organisations/{organisation.slug}/edit/",
        _profile(
            organisation,
            name_fr="Agence numérique",
            description_ar="تدير الخدمات الرقمية.",
            country="LB",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/initiatives/organisations/{organisation.slug}/"
    organisation.refresh_from_db()
    assert organisation.names == {
        "en": "Digital Agency",
        "ar": "الوكالة الرقمية",
        "fr": "Agence numérique",
    }
    assert organisation.descriptions == {"ar": "تدير الخدمات الرقمية."}
    assert organisation.country.code == "LB"


def test_the_members_page_links_to_the_profile(client, people):
    organisation = people["organisation"]
    client.force_login(people["admin"])
    page = client.get(f"/en/organisations/{organisation.slug}/members/").content.decode()
    assert f'href="/en/organisations/{organisation.slug}/edit/"' in page
    assert f'href="/en/initiatives/organisations/{organisation.slug}/"' in page


def test_an_admins_profile_page_links_to_the_organisation_profile(client, people):
    organisation = people["organisation"]
    client.force_login(people["admin"])
    page = client.get("/en/accounts/profile/").content.decode()
    assert f'href="/en/organisations/{organisation.slug}/edit/"' in page
    client.force_login(people["contributor"])
    page = client.get("/en/accounts/profile/").content.decode()
    assert f"/en/organisations/{organisation.slug}/edit/" not in page


def _field_errors(page: str, field: str) -> str:
    """The error text Django links to this field (aria-describedby id_<field>_error)."""
    match = re.search(rf'id="id_{field}_error">(.*?)</div>', page, flags=re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else ""


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"name_ar": "", "name_en": "", "name_fr": " "},
            "name_en",
            "at least one language",
        ),
        ({"website": "not a web address"}, "website", "valid URL"),
        ({"stakeholder_type": ""}, "stakeholder_type", "required"),
        ({"stakeholder_type": "no-such-type"}, "stakeholder_type", "valid choice"),
        ({"country": "ZZ"}, "country", "valid choice"),
        ({"name_fr": "x" * 301}, "name_fr", "at most 300"),
        ({"acronym": "A" * 41}, "acronym", "at most 40"),
    ],
)
def test_each_mistake_is_told_beside_its_field(client, people, changes, field, message):
    organisation = people["organisation"]
    client.force_login(people["admin"])
    response = client.post(
        f"/en/organisations/{organisation.slug}/edit/", _profile(organisation, **changes)
    )
    assert response.status_code == 400
    assert message in _field_errors(response.content.decode(), field)
    organisation.refresh_from_db()
    assert organisation.names["en"] == "Digital Agency"


def test_a_tampered_stamp_is_refused_with_a_message(client, people):
    organisation = people["organisation"]
    client.force_login(people["admin"])
    response = client.post(
        f"/en/organisations/{organisation.slug}/edit/",
        _profile(organisation, name_en="Renamed", updated_at="yesterday"),
    )
    assert response.status_code == 400
    assert "This form is out of date" in response.content.decode()


def test_the_service_checks_what_the_form_cannot(people):
    organisation, admin = people["organisation"], people["admin"]
    with pytest.raises(ValidationError) as error:
        _update(admin, organisation, names={"en": "", "ar": ""})
    assert "names" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _update(admin, organisation, names={"xx": "Unknown language"})
    assert "names" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _update(admin, organisation, descriptions={"en": "x" * 5001})
    assert "descriptions" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _update(admin, organisation, country="ZZ")
    assert "country" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _update(admin, organisation, website="ftp://nowhere")
    assert "website" in error.value.message_dict


def test_names_in_a_language_the_site_no_longer_offers_are_kept(people):
    organisation = people["organisation"]
    Organisation.objects.filter(pk=organisation.pk).update(
        names={**organisation.names, "de": "Digitalagentur"}
    )
    organisation.refresh_from_db()
    _update(people["admin"], organisation, names={"en": "Digital Agency 2"})
    organisation.refresh_from_db()
    assert organisation.names["de"] == "Digitalagentur"
    assert organisation.names["en"] == "Digital Agency 2"


# --- no silent overwrite -------------------------------------------------------------------


def test_a_stale_save_is_refused_and_changes_nothing(people):
    organisation = people["organisation"]
    loaded = Organisation.objects.get(pk=organisation.pk)
    _update(people["moderator"], organisation, acronym="MOD")
    with pytest.raises(OrganisationConflict) as conflict:
        _update(people["admin"], loaded, acronym="ADM")
    assert conflict.value.current.acronym == "MOD"
    organisation.refresh_from_db()
    assert organisation.acronym == "MOD"


def test_a_stamp_from_the_future_is_a_conflict_too(people):
    organisation = people["organisation"]
    with pytest.raises(OrganisationConflict):
        _update(people["admin"], organisation, updated_at=organisation.updated_at + timedelta(1))


def test_the_page_shows_the_other_version_keeps_mine_and_a_second_save_is_a_choice(client, people):
    organisation = people["organisation"]
    client.force_login(people["admin"])
    loaded = _profile(organisation, name_en="My name for it")
    # Someone else saves in between.
    _update(people["moderator"], organisation, names={"en": "Their name for it"})
    response = client.post(f"/en/organisations/{organisation.slug}/edit/", loaded)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this profile after you opened it" in page
    assert "Their name for it" in page  # their version, shown
    assert 'value="My name for it"' in page  # mine, kept in the form
    organisation.refresh_from_db()
    assert organisation.names["en"] == "Their name for it"
    # Saving the page again (it now carries their stamp) replaces their version knowingly.
    stamp = re.search(r'name="updated_at" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/en/organisations/{organisation.slug}/edit/", {**loaded, "updated_at": stamp}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.names["en"] == "My name for it"


# --- search follows ------------------------------------------------------------------------


def test_entries_are_found_by_the_organisations_new_name(people):
    organisation, admin = people["organisation"], people["admin"]
    make_published(author=people["contributor"], organisation=organisation)

    def found(text: str) -> int:
        return search_browse(query=parse_query(text), filters={}, with_counts=False).total

    assert found("Zanzibarian") == 0
    _update(admin, organisation, names={"en": "Zanzibarian Bureau"}, acronym="ZB")
    assert found("Zanzibarian") == 1


def test_a_member_role_is_unchanged_by_editing_the_profile(people):
    _update(people["admin"], people["organisation"], acronym="NEW")
    assert (
        Membership.objects.get(organisation=people["organisation"], user=people["admin"]).role
        == MembershipRole.ADMIN
    )
