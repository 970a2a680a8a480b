"""The demo data set loads through the real services into every workflow state."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stocktake.accounts.models import ScreeningStatus, User
from stocktake.accounts.selectors import user_screening_queue
from stocktake.initiatives.demo import DEMO_ACCOUNTS, load_demo
from stocktake.initiatives.models import Initiative, RevisionState, RevisionTerm, Status
from stocktake.initiatives.selectors import initiative_public_list
from stocktake.initiatives.services import can_contribute
from stocktake.organisations.models import Membership, MembershipRole, Organisation
from stocktake.organisations.selectors import (
    can_manage_organisation,
    can_register_organisation,
    is_organisation_admin,
)
from stocktake.search.query import parse_query
from stocktake.search.selectors import search_browse

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_the_demo_has_sixty_entries_across_fifteen_arab_countries_in_every_state():
    counts = load_demo()
    assert counts["initiatives"] >= 60
    states = Counter(Initiative.objects.values_list("status", flat=True))
    assert set(states) == set(Status.values)
    assert (
        Initiative.objects.filter(working_revision__state=RevisionState.SUBMITTED)
        .exclude(published_revision=None)
        .exists()
    )  # a published entry with a pending revision
    countries = set(
        RevisionTerm.objects.filter(term__scheme__identifier="countries").values_list(
            "term__code", flat=True
        )
    )
    arab_league = set("DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE".split())
    assert len(countries & arab_league) >= 15
    languages = Counter(i.published_revision.original_language for i in initiative_public_list())
    assert set(languages) == {"ar", "en", "fr"}
    bilingual = [i for i in initiative_public_list() if len(i.published_revision.summary) > 1]
    assert bilingual


def test_the_demo_is_searchable_in_its_backdated_order():
    load_demo()
    published = initiative_public_list()
    result = search_browse(filters={}, with_counts=False)
    assert result.total == published.count()
    assert result.ids(0, 20) == list(published.values_list("pk", flat=True)[:20])
    assert search_browse(query=parse_query("الذكاء الاصطناعي"), filters={}).total > 0


def test_loading_the_demo_twice_adds_nothing_and_puts_the_applicant_back_in_the_queue():
    load_demo()
    before = Initiative.objects.count()
    memberships = Membership.objects.count()
    User.objects.filter(username="applicant").update(screening_status=ScreeningStatus.APPROVED)
    assert load_demo()["initiatives"] == 0
    assert Initiative.objects.count() == before
    assert Membership.objects.count() == memberships
    assert list(user_screening_queue().values_list("username", flat=True)) == ["applicant"]


def test_the_demo_command_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")


def test_the_demo_has_an_account_of_each_kind_and_their_passwords_work():
    load_demo()
    users = {account.username: account for account in DEMO_ACCOUNTS}
    assert set(users) == {"moderator", "moderator2", "contributor", "member", "applicant"}
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(account.password), account.username
        assert user.email_confirmed_at is not None
    organisations = Organisation.objects.all()

    contributor = User.objects.get(username="contributor")
    assert all(is_organisation_admin(user=contributor, organisation=o) for o in organisations)

    member = User.objects.get(username="member")
    assert member.is_screened and not member.can_moderate
    assert set(member.memberships.values_list("role", flat=True)) == {MembershipRole.CONTRIBUTOR}
    assert member.memberships.count() == organisations.count()
    for organisation in organisations:
        assert can_contribute(user=member, organisation=organisation)
        assert not can_manage_organisation(user=member, organisation=organisation)

    applicant = User.objects.get(username="applicant")
    assert applicant.screening_status == ScreeningStatus.PENDING
    assert not applicant.can_moderate and not applicant.memberships.exists()
    assert applicant.registration_note
    assert list(user_screening_queue()) == [applicant]
    assert not can_register_organisation(user=applicant)


def test_the_demo_command_prints_every_account_with_its_password(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(
        "stocktake.initiatives.management.commands.load_demo.load_demo",
        lambda: {"initiatives": 0, "organisations": 0},
    )
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    for account in DEMO_ACCOUNTS:
        assert f"{account.username} / {account.password}, {account.description}" in printed
    assert "waiting for screening" in printed
    assert "not organisation admin" in printed
