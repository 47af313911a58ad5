"""An applied import changes the electorate: the statistics of the wards it covered are recomputed soon."""

from unittest import mock

import pytest

from canvass.models import Voter
from canvass.register import generator
from canvass.register.services import register_import
from wards import tasks
from wards.models import AreaStatistics, Ward


@pytest.fixture
def recomputes():
    with mock.patch.object(tasks.recompute_wards, "delay") as delay:
        yield delay


def test_an_applied_register_recomputes_the_wards_it_covers(
    council, register, recomputes, django_capture_on_commit_callbacks
):
    popley_only = [elector for elector in register if elector.pd in ("AB1", "AB2")]

    with django_capture_on_commit_callbacks(execute=True):
        register_import(file=generator.register_bytes(popley_only), council=council)

    recomputes.assert_called_once_with([Ward.objects.get(name="Popley").pk])


def test_the_recompute_counts_the_new_electorate(council, register, eager_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register_import(file=generator.register_bytes(register), council=council)

    popley = AreaStatistics.objects.wards().get(ward__name="Popley")
    assert popley.electors == Voter.objects.filter(polling_district__ward__name="Popley").council_electors().count()
    assert popley.electors > 0


def test_a_dry_run_recomputes_nothing(council, register, recomputes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register_import(file=generator.register_bytes(register), council=council, dry_run=True)

    recomputes.assert_not_called()
