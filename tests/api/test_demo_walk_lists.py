import pytest

from canvass.demo.build import demo_council_build
from canvass.models import Voter, WalkList

pytestmark = pytest.mark.django_db


def test_demo_gives_each_volunteer_walk_lists_in_their_ward():
    demo_council_build(electors=600, seed=1)
    # A small register has few streets, so Popley may get one round or two; each volunteer has one at least.
    lists = {(w.ward.name, tuple(u.username for u in w.assigned_to.all())) for w in WalkList.objects.all()}
    assert lists == {("Popley", ("vera",)), ("South Ham", ("victor",))}
    vera = WalkList.objects.filter(name="Popley round 1").get().assigned_to.get()
    assert Voter.objects.visible_to(vera).exists()


def test_demo_walk_lists_are_not_cut_twice():
    first = demo_council_build(electors=600, seed=1)
    summary = demo_council_build(electors=600, seed=1)
    assert first.walk_lists_created == WalkList.objects.count() >= 2
    assert summary.walk_lists_created == 0
