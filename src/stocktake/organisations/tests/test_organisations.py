"""Registering an organisation and managing its members: who may do what."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from stocktake.initiatives.tests.factories import make_org, make_user
from stocktake.organisations.models import Membership, MembershipRole, Organisation
from stocktake.organisations.services import (
    membership_remove,
    membership_set,
    organisation_create,
)

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_a_screened_user_registers_an_organisation_and_becomes_its_admin(client):
    user = make_user()
    client.force_login(user)
    response = client.post(
        "/en/organisations/new/",
        {
            "name": "Digital Agency",
            "language": "en",
            "acronym": "DA",
            "stakeholder_type": "government",
            "country": "JO",
            "website": "https://agency.example.org",
        },
    )
    organisation = Organisation.objects.get(acronym="DA")
    assert response.status_code == 302
    assert organisation.country.code == "JO"
    assert Membership.objects.get(organisation=organisation).role == MembershipRole.ADMIN


def test_an_unscreened_user_cannot_register_an_organisation(client):
    client.force_login(make_user(screened=False))
    assert client.get("/en/organisations/new/").status_code == 403


def test_an_unknown_country_is_a_form_error_not_a_500(client):
    client.force_login(make_user())
    response = client.post(
        "/en/organisations/new/",
        {"name": "X", "language": "en", "stakeholder_type": "government", "country": "ZZ"},
    )
    assert response.status_code == 400


def test_an_organisation_admin_adds_a_colleague_by_email(client):
    admin, colleague = make_user(), make_user()
    organisation = make_org(admins=[admin])
    client.force_login(admin)
    response = client.post(
        f"/en/organisations/{organisation.slug}/members/",
        {"email": colleague.email.upper(), "role": "contributor"},
    )
    assert response.status_code == 302
    assert organisation.memberships.filter(user=colleague, role="contributor").exists()


@pytest.mark.parametrize("role", ["contributor", "outsider"])
def test_contributors_and_outsiders_cannot_manage_members(client, role):
    contributor, outsider, colleague = make_user(), make_user(), make_user()
    organisation = make_org(members=[contributor])
    actor = contributor if role == "contributor" else outsider
    client.force_login(actor)
    assert client.get(f"/en/organisations/{organisation.slug}/members/").status_code == 403
    with pytest.raises(PermissionDenied):
        membership_set(actor=actor, organisation=organisation, user=colleague, role="admin")


def test_the_last_admin_cannot_be_removed():
    admin = make_user()
    organisation = make_org(admins=[admin])
    with pytest.raises(ValidationError):
        membership_remove(actor=admin, organisation=organisation, user=admin)


def test_a_moderator_manages_any_organisation():
    moderator, colleague = make_user(moderator=True), make_user()
    organisation = make_org()
    membership_set(actor=moderator, organisation=organisation, user=colleague, role="admin")
    assert organisation.memberships.get(user=colleague).role == "admin"


# --- the last admin ------------------------------------------------------------------------


def test_the_last_admin_cannot_demote_themselves():
    admin = make_user()
    organisation = make_org(admins=[admin])
    with pytest.raises(ValidationError) as error:
        membership_set(actor=admin, organisation=organisation, user=admin, role="contributor")
    assert "at least one admin" in " ".join(error.value.messages)
    assert organisation.memberships.get(user=admin).role == MembershipRole.ADMIN


def test_a_moderator_cannot_demote_the_last_admin_either():
    admin = make_user()
    organisation = make_org(admins=[admin])
    with pytest.raises(ValidationError):
        membership_set(
            actor=make_user(moderator=True),
            organisation=organisation,
            user=admin,
            role="contributor",
        )


def test_an_admin_steps_down_once_another_admin_is_named():
    admin, colleague = make_user(), make_user()
    organisation = make_org(admins=[admin], members=[colleague])
    membership_set(actor=admin, organisation=organisation, user=colleague, role="admin")
    membership_set(actor=admin, organisation=organisation, user=admin, role="contributor")
    roles = dict(organisation.memberships.values_list("user__username", "role"))
    assert roles == {colleague.username: "admin", admin.username: "contributor"}


def test_the_members_page_says_why_the_last_admin_cannot_step_down(client):
    admin = make_user()
    organisation = make_org(admins=[admin])
    client.force_login(admin)
    response = client.post(
        f"/en/organisations/{organisation.slug}/members/",
        {"email": admin.email, "role": "contributor"},
    )
    assert response.status_code == 400
    assert "An organisation keeps at least one admin" in response.content.decode()
    assert organisation.memberships.get(user=admin).role == MembershipRole.ADMIN


# --- who may manage members ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "unscreened", "contributor", "other_admin"])
def test_who_may_not_manage_members(who):
    admin, contributor, colleague = make_user(), make_user(), make_user()
    unscreened, other_admin = make_user(screened=False), make_user()
    organisation = make_org(admins=[admin], members=[contributor])
    Membership.objects.create(organisation=organisation, user=unscreened, role="admin")
    make_org(admins=[other_admin])
    actor = {
        "visitor": AnonymousUser(),
        "unscreened": unscreened,
        "contributor": contributor,
        "other_admin": other_admin,
    }[who]
    with pytest.raises(PermissionDenied):
        membership_set(actor=actor, organisation=organisation, user=colleague, role="contributor")
    with pytest.raises(PermissionDenied):
        membership_remove(actor=actor, organisation=organisation, user=contributor)
    assert not organisation.memberships.filter(user=colleague).exists()
    assert organisation.memberships.filter(user=contributor).exists()


# --- who may register an organisation ------------------------------------------------------


def _register(actor, **fields):
    return organisation_create(
        names={"en": "Open Data Lab"}, stakeholder_type="academia", created_by=actor, **fields
    )


@pytest.mark.parametrize("who", ["visitor", "unscreened"])
def test_the_service_refuses_to_register_an_organisation_for(who):
    actor = AnonymousUser() if who == "visitor" else make_user(screened=False)
    with pytest.raises(PermissionDenied, match="screening"):
        _register(actor)
    with pytest.raises(PermissionDenied):
        organisation_create(names={"en": "Open Data Lab"}, stakeholder_type="academia", actor=actor)
    assert not Organisation.objects.filter(names__en="Open Data Lab").exists()


@pytest.mark.parametrize("who", ["contributor", "admin", "other_admin", "moderator"])
def test_screened_people_and_moderators_register_organisations(who):
    contributor, admin, other_admin = make_user(), make_user(), make_user()
    make_org(admins=[admin], members=[contributor])
    make_org(admins=[other_admin])
    actor = {
        "contributor": contributor,
        "admin": admin,
        "other_admin": other_admin,
        "moderator": make_user(moderator=True),
    }[who]
    organisation = _register(actor)
    assert organisation.memberships.get().user == actor
    assert organisation.memberships.get().role == MembershipRole.ADMIN


def test_a_moderator_waiting_for_screening_may_still_register():
    moderator = make_user(moderator=True, screened=False)
    assert _register(moderator).memberships.get().user == moderator


def test_the_system_registers_organisations_without_a_person():
    """Imports a moderator committed, and the demo loader, act without a person."""
    organisation = organisation_create(names={"en": "Imported"}, stakeholder_type="academia")
    assert not organisation.memberships.exists()


def test_an_unscreened_post_registers_nothing(client):
    client.force_login(make_user(screened=False))
    response = client.post(
        "/en/organisations/new/",
        {"name": "Sneaky", "language": "en", "stakeholder_type": "government", "country": "JO"},
    )
    assert response.status_code == 403
    assert "screening" in response.content.decode()
    assert not Organisation.objects.filter(names__en="Sneaky").exists()
