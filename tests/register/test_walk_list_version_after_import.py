"""A register import changes the validator of the walk lists whose doors or voters it changed, and no other."""

import dataclasses

import pytest

from canvass.models import Household, WalkList
from canvass.register import generator
from canvass.register.services import absent_voters_import, register_import
from canvass.walklists.version import walk_list_version
from tests.factories import WalkListFactory
from tests.register.conftest import absent_voters_bytes
from wards.models import Ward

pytestmark = pytest.mark.django_db


def version_of(walk_list: WalkList) -> str:
    return walk_list_version(WalkList.objects.get(pk=walk_list.pk))[0]


@pytest.fixture
def lists(council, register):
    register_import(file=generator.register_bytes(register), council=council)

    def cut(code):
        doors = list(Household.objects.filter(polling_district__code=code).order_by("id"))
        return WalkListFactory(ward=Ward.objects.get(polling_districts__code=code), households=doors)

    return cut("AB1"), cut("CD1")


def test_the_same_register_again_leaves_every_list_unchanged(council, register, lists):
    before = [version_of(walk_list) for walk_list in lists]
    register_import(file=generator.register_bytes(register), council=council)
    assert [version_of(walk_list) for walk_list in lists] == before


def test_a_renamed_elector_changes_only_the_list_at_their_door(council, register, lists):
    ab1, cd1 = lists
    before = version_of(ab1), version_of(cd1)
    changed = [
        dataclasses.replace(e, surname="Renamed") if e.pd == "AB1" and i == 0 else e for i, e in enumerate(register)
    ]
    register_import(file=generator.register_bytes(changed), council=council)
    assert version_of(ab1) != before[0]
    assert version_of(cd1) == before[1]


def test_an_absent_voters_list_changes_the_lists_of_its_voters(council, register, lists):
    before = [version_of(walk_list) for walk_list in lists]
    absent_voters_import(file=absent_voters_bytes(register, share=1.0), council=council)
    assert all(version_of(walk_list) != old for walk_list, old in zip(lists, before, strict=True))
