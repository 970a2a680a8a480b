"""Registering an organisation and managing its members: who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stocktake.initiatives.tests.factories import make_org, make_user
from stocktake.organisations.models import Membership, MembershipRole, Organisation
from stocktake.organisations.services import membership_remove, membership_set

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
