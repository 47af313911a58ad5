"""`make run` a second time: the demo loader and the statistics recompute skip what is already done."""

import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from canvass.demo import build
from canvass.models import Voter
from tests.factories import ContactRecordFactory, VoterFactory, WardFactory
from wards.models import AreaStatistics

pytestmark = pytest.mark.django_db

SMALL = 300


@pytest.fixture
def importer():
    """The register importer, counted: a call is a full pass over the demo register."""
    with mock.patch.object(build, "register_import", wraps=build.register_import) as spy:
        yield spy


def load(*args):
    call_command("load_demo", "--electors", str(SMALL), "--seed", "3", *args)


def test_a_second_load_does_not_import_the_register_again(settings, importer, capsys):
    settings.DEBUG = True
    load()
    load()
    assert importer.call_count == 1
    out = capsys.readouterr().out
    assert "already loaded" in out and "demo-organiser-pass" in out


def test_the_skipped_load_costs_two_queries(settings, importer, django_assert_max_num_queries):
    settings.DEBUG = True
    load()
    with django_assert_max_num_queries(2):
        load()


def test_a_changed_electors_count_loads_again(settings, importer):
    settings.DEBUG = True
    load()
    call_command("load_demo", "--electors", str(SMALL + 50), "--seed", "3")
    assert importer.call_count == 2


def test_a_changed_seed_loads_again(settings, importer):
    settings.DEBUG = True
    load()
    call_command("load_demo", "--electors", str(SMALL), "--seed", "4")
    assert importer.call_count == 2


def test_reload_builds_again_when_already_loaded(settings, importer):
    settings.DEBUG = True
    load()
    load("--reload")
    assert importer.call_count == 2


def test_a_register_changed_since_the_load_loads_again(settings, importer):
    settings.DEBUG = True
    load()
    Voter.objects.filter(pk=Voter.objects.order_by("pk").values("pk")[:1]).delete()
    load()
    assert importer.call_count == 2
    assert build.demo_council_loaded(electors=SMALL, seed=3)


def test_an_interrupted_build_leaves_no_marker(importer):
    interrupted = mock.patch.object(build, "demo_walk_lists_build", side_effect=RuntimeError("interrupted"))
    with interrupted, pytest.raises(RuntimeError):
        build.demo_council_build(electors=SMALL, seed=3)
    assert not build.demo_council_loaded(electors=SMALL, seed=3)


def ward_computed_at() -> list:
    return list(AreaStatistics.objects.wards().order_by("ward").values_list("computed_at", flat=True))


def test_if_stale_computes_missing_statistics(popley):
    call_command("recompute_statistics", "--if-stale")
    assert AreaStatistics.objects.wards().count() == 1


def test_if_stale_skips_statistics_newer_than_the_data(popley, capsys):
    VoterFactory(polling_district__ward=popley)
    call_command("recompute_statistics")
    before = ward_computed_at()
    call_command("recompute_statistics", "--if-stale")
    assert ward_computed_at() == before
    assert "up to date" in capsys.readouterr().out


def test_if_stale_recomputes_after_a_new_contact(popley):
    voter = VoterFactory(polling_district__ward=popley)
    call_command("recompute_statistics")
    before = ward_computed_at()
    ContactRecordFactory(voter=voter)
    call_command("recompute_statistics", "--if-stale")
    assert ward_computed_at() > before


def test_if_stale_recomputes_a_day_old_set(popley):
    call_command("recompute_statistics")
    AreaStatistics.objects.update(computed_at=timezone.now() - dt.timedelta(days=2))
    call_command("recompute_statistics", "--if-stale")
    assert ward_computed_at()[0] > timezone.now() - dt.timedelta(hours=1)


def test_if_stale_recomputes_when_a_ward_has_no_figures(popley):
    call_command("recompute_statistics")
    WardFactory(name="Norden")
    call_command("recompute_statistics", "--if-stale")
    assert AreaStatistics.objects.wards().count() == 2


def test_by_hand_the_command_recomputes_even_when_fresh(popley):
    call_command("recompute_statistics")
    before = ward_computed_at()
    call_command("recompute_statistics")
    assert ward_computed_at() > before
