import pytest

from canvass.models import Household, Voter, WalkList
from wards.models import Ward

pytestmark = pytest.mark.django_db


def test_volunteer_sees_only_voters_on_their_walk_lists(vera, veras_list, popley_voters, south_ham_voter):
    assert set(Voter.objects.visible_to(vera)) == set(popley_voters[:2])


def test_volunteer_without_lists_sees_no_voter(victor, veras_list, popley_voters):
    assert not Voter.objects.visible_to(victor).exists()


def test_organiser_sees_every_voter_in_their_wards_only(olivia, popley_voters, south_ham_voter):
    assert set(Voter.objects.visible_to(olivia)) == set(popley_voters)


def test_admin_sees_every_voter(alice, popley_voters, south_ham_voter):
    assert Voter.objects.visible_to(alice).count() == 4


def test_volunteer_sees_the_households_and_ward_of_their_lists(vera, veras_list, popley, popley_households):
    assert set(Household.objects.visible_to(vera)) == set(popley_households[:2])
    assert list(Ward.objects.visible_to(vera)) == [popley]


def test_organiser_sees_walk_lists_of_their_wards_not_others(olivia, oscar, veras_list):
    assert list(WalkList.objects.visible_to(olivia)) == [veras_list]
    assert not WalkList.objects.visible_to(oscar).exists()


def test_user_without_profile_sees_nothing(veras_list, popley_voters):
    from tests.factories import UserFactory

    assert not Voter.objects.visible_to(UserFactory()).exists()


def test_anonymous_visitor_sees_nothing_and_nothing_raises(veras_list, popley_voters):
    """The schema generator and a logged-out request ask as AnonymousUser: no rows, and no error."""
    from django.contrib.auth.models import AnonymousUser

    from canvass.models import ContactRecord

    for model in (Household, Voter, ContactRecord, WalkList):
        assert not model.objects.visible_to(AnonymousUser()).exists()
